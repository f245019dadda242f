import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServeServerMessage } from '../../shared/contract';
import type { AppServices } from '../appServices';
import { SECURITY_HEADERS } from '../securityHeaders';

export { SECURITY_HEADERS };

export interface ServeOptions {
  services: Pick<AppServices, 'router' | 'events' | 'senderGone'>;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * A `Host` header that names this machine's loopback. Anything else is a DNS-rebinding attempt (a web page
 * whose domain now resolves to 127.0.0.1) and is refused before any handler runs.
 */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!match) return false;
  const [, name, portText] = match;
  if (!name || !LOOPBACK_NAMES.has(name)) return false;
  return portText === undefined || Number(portText) === port;
}

/** Same-origin check for the WebSocket: browsers always send Origin, and it must be us. */
export function isOwnOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  port: number,
): boolean {
  if (!origin) return false;
  try {
    const url = new URL(origin);
    return (
      url.protocol === 'http:' && isLoopbackHost(url.host, port) && url.host === hostHeader?.toLowerCase()
    );
  } catch {
    return false;
  }
}

/**
 * Serve mode: the built renderer and the contract over one WebSocket at `/api`, bound to 127.0.0.1 only.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const statics = sirv(options.rendererDir, {
    dev: false,
    etag: true,
    setHeaders: (res, pathname) => {
      if (pathname.endsWith('.html')) res.setHeader('Cache-Control', 'no-store');
    },
  });
  let port = options.port;

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!isLoopbackHost(req.headers.host, port)) {
      res
        .writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Forbidden: unexpected Host header.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    statics(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.\n');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let nextConnection = 1;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (
      url.pathname !== '/api' ||
      !isLoopbackHost(req.headers.host, port) ||
      !isOwnOrigin(req.headers.origin, req.headers.host, port)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, `ws-${nextConnection++}`));
  });

  function serveConnection(ws: WebSocket, senderId: string): void {
    const send = (message: ServeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const detach = options.services.events.attach(senderId, (channel, payload) =>
      send({ type: 'event', channel, payload } as ServeServerMessage),
    );
    ws.on('message', (data, isBinary) => {
      const call = isBinary ? null : parseCall(data.toString());
      if (!call) {
        ws.close(1003, 'Expected a JSON call message.');
        return;
      }
      void options.services.router
        .dispatch(call.channel, call.args, { senderId })
        .then((result) => send({ type: 'result', id: call.id, result }));
    });
    ws.on('close', () => {
      detach();
      options.services.senderGone(senderId);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseCall(text: string): { id: number; channel: string; args: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { type, id, channel, args } = value as Record<string, unknown>;
    if (
      type !== 'call' ||
      typeof id !== 'number' ||
      !Number.isSafeInteger(id) ||
      typeof channel !== 'string'
    ) {
      return null;
    }
    return { id, channel, args };
  } catch {
    return null;
  }
}
