import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { ServeServerMessage } from '../../shared/contract';
import { EventHub } from '../services/events';
import { createRouter, type HandlerTable } from '../ipc/router';
import { isLoopbackHost, isOwnOrigin, startServer, type RunningServer } from './server';

let dir: string;
let server: RunningServer;
const events = new EventHub();
const senderGone = vi.fn();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-serve-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Edgewise</title>');
  const handlers = {
    'conversations:list': () => [],
    'chat:abort': ({ requestId }: { requestId: string }) => ({ aborted: requestId === 'yes' }),
  } as unknown as HandlerTable;
  server = await startServer({
    services: { router: createRouter(handlers), events, senderGone },
    rendererDir: dir,
    port: 0,
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function get(
  pathname: string,
  host: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, headers: { host } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function connect(origin: string | undefined, host = `127.0.0.1:${server.port}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers, ...(origin ? { origin } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<ServeServerMessage> {
  return new Promise((resolve) =>
    ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as ServeServerMessage)),
  );
}

describe('serve mode server', () => {
  it('listens on 127.0.0.1 and serves the renderer with security headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get('/', `127.0.0.1:${server.port}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Edgewise</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it.each(['evil.example', `evil.example:${0}`, 'attacker.127.0.0.1.nip.io', '127.0.0.1.evil.example', ''])(
    'refuses a Host header that is not loopback (DNS rebinding): %s',
    async (host) => {
      const res = await get('/', host || 'x');
      expect(res.status).toBe(403);
    },
  );

  it('accepts the loopback names', async () => {
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, '127.0.0.1']) {
      expect((await get('/', host)).status).toBe(200);
    }
  });

  it('carries calls and results over the WebSocket', async () => {
    const ws = await connect(`http://127.0.0.1:${server.port}`);
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'call', id: 7, channel: 'chat:abort', args: { requestId: 'yes' } }));
    expect(await reply).toEqual({ type: 'result', id: 7, result: { ok: true, value: { aborted: true } } });
    const invalid = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'call', id: 8, channel: 'chat:abort', args: { requestId: 5 } }));
    expect(await invalid).toMatchObject({
      id: 8,
      result: { ok: false, error: { code: 'INVALID_ARGUMENT' } },
    });
    ws.close();
  });

  it('pushes events to the connection and reports it gone when it closes', async () => {
    const ws = await connect(`http://localhost:${server.port}`, `localhost:${server.port}`);
    // Learn this connection's sender id from a call context.
    const event = nextMessage(ws);
    events.broadcast('engine:status', {
      state: 'idle',
      pid: null,
      modelId: null,
      backend: null,
      threads: null,
      contextSize: null,
      restarts: 0,
      lastError: null,
    });
    expect(await event).toMatchObject({
      type: 'event',
      channel: 'engine:status',
      payload: { state: 'idle' },
    });
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await closed;
    await vi.waitFor(() => expect(senderGone).toHaveBeenCalledWith(expect.stringMatching(/^ws-\d+$/)));
  });

  it.each([
    ['no Origin', undefined],
    ['a foreign Origin', 'https://evil.example'],
    ['a rebinding Origin', 'http://evil.example:1234'],
  ])('refuses a WebSocket with %s', async (_name, origin) => {
    await expect(connect(origin)).rejects.toThrow(/403/);
  });

  it('closes a connection that sends something other than a call', async () => {
    const ws = await connect(`http://127.0.0.1:${server.port}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1003);
  });
});

describe('host and origin checks', () => {
  it('matches loopback names and the port exactly', () => {
    expect(isLoopbackHost('127.0.0.1:4477', 4477)).toBe(true);
    expect(isLoopbackHost('LOCALHOST:4477', 4477)).toBe(true);
    expect(isLoopbackHost('127.0.0.1:4478', 4477)).toBe(false);
    expect(isLoopbackHost('127.0.0.2:4477', 4477)).toBe(false);
    expect(isLoopbackHost(undefined, 4477)).toBe(false);
    expect(isOwnOrigin('http://127.0.0.1:4477', '127.0.0.1:4477', 4477)).toBe(true);
    expect(isOwnOrigin('http://localhost:4477', '127.0.0.1:4477', 4477)).toBe(false);
    expect(isOwnOrigin('null', '127.0.0.1:4477', 4477)).toBe(false);
  });
});
