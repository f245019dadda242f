/**
 * A local stand-in for the Hugging Face hub, for tests: the search and tree APIs, `resolve` URLs that answer
 * HEAD with `X-Linked-Etag` / `X-Linked-Size` and redirect to a CDN-like path, and a CDN that serves byte
 * ranges with an ETag and `If-Range`. Faults (dropped connections, ignored ranges, changed ETags, wrong
 * bytes, slow drips, stalls, 5xx, bad redirects, gated repositories) are switched per run with `setFaults`
 * or `POST /_control/faults`. It serves the `.gguf` files of one folder (the generated test models).
 *
 * Runs directly under Node (scripts/): `.ts` import extensions, no enums or parameter properties.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FakeHfFaults {
  /** Close the connection once a content response has sent the file up to this byte offset. */
  dropAtByte?: number;
  /** How many content responses `dropAtByte` hits (default 1). */
  dropTimes?: number;
  /** Answer ranged requests with 200 and the whole file, as a server without range support does. */
  ignoreRange?: boolean;
  /** Serve the range even when `If-Range` no longer matches the current ETag (a broken cache). */
  ignoreIfRange?: boolean;
  /** After this many content GETs the CDN's ETag changes, as when its object is replaced. */
  changeEtagAfter?: number;
  /** Flip the byte at this file offset in every content body (wrong bytes on the wire). */
  corruptAt?: number;
  /** Announce a wrong sha256 in `X-Linked-Etag`. */
  wrongSha256?: boolean;
  /** Leave `X-Linked-Etag` out of the resolve answer. */
  omitLinkedEtag?: boolean;
  /** Send content in chunks of this many bytes … */
  dripBytes?: number;
  /** … with this pause between chunks. */
  dripIntervalMs?: number;
  /** Stop sending at this file offset and keep the connection open (once). */
  stallAtByte?: number;
  /** Answer the next N resolve or CDN requests with `serverErrorStatus`. */
  serverErrors?: number;
  /** Default 503. */
  serverErrorStatus?: number;
  /**
   * Where `resolve` redirects: this server's `/cdn/…` (default); the second "CDN" server (same host name,
   * another port); a host outside any allowlist (`localhost` instead of 127.0.0.1); or, when the hub runs
   * with TLS, a plain-http URL (a downgrade).
   */
  redirect?: 'same' | 'cdn-port' | 'foreign-host' | 'http-downgrade';
  /** Extra paths listed in every tree answer, e.g. `../evil.gguf`. */
  treeExtra?: string[];
}

export interface FakeHfOptions {
  /** Folder whose `.gguf` files the repositories serve. */
  modelsDir: string;
  port?: number;
  /** Default `edgewise/test-models-GGUF`. */
  repo?: string;
  /** A second repository with the same files that answers 401 without the token. Default `edgewise/gated-test-models-GGUF`. */
  gatedRepo?: string;
  /** The token the gated repository accepts (`Authorization: Bearer …`). Default `hf_fake_token`. */
  token?: string;
  /** Tree answers are paginated with a `Link: rel="next"` header after this many entries. Default 1000. */
  treePageSize?: number;
  faults?: FakeHfFaults;
  /** Serve the hub and the CDN over https with this certificate (the downgrade target stays plain http). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface FakeHfRequest {
  server: 'hub' | 'cdn' | 'plain';
  method: string;
  path: string;
  range: string | null;
  ifRange: string | null;
  authorization: boolean;
  status: number;
}

export interface FakeHf {
  /** The hub's base URL, e.g. `http://127.0.0.1:43123`: use it as HF_ENDPOINT. */
  url: string;
  port: number;
  /** The second "CDN" server's base URL (same host name, another port). */
  cdnUrl: string;
  repo: string;
  gatedRepo: string;
  token: string;
  /** Every request so far, in arrival order (control requests excluded). */
  readonly requests: FakeHfRequest[];
  setFaults(faults: FakeHfFaults): void;
  clearRequests(): void;
  sha256(fileName: string): Promise<string>;
  close(): Promise<void>;
}

const FAKE_COMMIT = 'f00dfacecafe0123456789abcdef0123456789ab';

interface FileInfo {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export async function startFakeHf(options: FakeHfOptions): Promise<FakeHf> {
  const modelsDir = path.resolve(options.modelsDir);
  const repo = options.repo ?? 'edgewise/test-models-GGUF';
  const gatedRepo = options.gatedRepo ?? 'edgewise/gated-test-models-GGUF';
  const token = options.token ?? 'hf_fake_token';
  const treePageSize = options.treePageSize ?? 1000;
  const requests: FakeHfRequest[] = [];
  let faults: FakeHfFaults = { ...options.faults };
  let counters = { contentGets: 0, drops: 0, stalls: 0, serverErrors: 0 };
  const hashes = new Map<string, { key: string; sha256: string }>();
  const bySha = new Map<string, FileInfo>();

  async function listFiles(): Promise<string[]> {
    const entries = await readdir(modelsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.gguf'))
      .map((e) => e.name)
      .sort();
  }

  async function fileInfo(name: string): Promise<FileInfo | null> {
    if (!(await listFiles()).includes(name)) return null;
    const file = path.join(modelsDir, name);
    const info = await stat(file);
    const key = `${info.size}:${info.mtimeMs}`;
    let cached = hashes.get(name);
    if (cached?.key !== key) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      cached = { key, sha256: hash.digest('hex') };
      hashes.set(name, cached);
    }
    const result = { name, path: file, size: info.size, sha256: cached.sha256 };
    bySha.set(result.sha256, result);
    return result;
  }

  const scheme = options.tls ? 'https' : 'http';
  const hub = createServer('hub', options.tls);
  const cdn = createServer('cdn', options.tls);
  const plain = createServer('plain', undefined);
  await Promise.all([listen(hub, options.port ?? 0), listen(cdn, 0), listen(plain, 0)]);
  const port = (hub.address() as AddressInfo).port;
  const cdnPort = (cdn.address() as AddressInfo).port;
  const plainPort = (plain.address() as AddressInfo).port;
  const url = `${scheme}://127.0.0.1:${port}`;
  const cdnUrl = `${scheme}://127.0.0.1:${cdnPort}`;

  function createServer(name: FakeHfRequest['server'], tls: FakeHfOptions['tls']): http.Server {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const entry: FakeHfRequest = {
        server: name,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        range: req.headers.range ?? null,
        ifRange: (req.headers['if-range'] as string | undefined) ?? null,
        authorization: Boolean(req.headers.authorization),
        status: 0,
      };
      const isControl = entry.path.startsWith('/_control/');
      if (!isControl) requests.push(entry);
      res.on('finish', () => (entry.status = res.statusCode));
      res.on('close', () => (entry.status ||= res.statusCode));
      route(name, req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { error: String(error) });
        else res.destroy();
      });
    };
    return tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  }

  async function route(name: FakeHfRequest['server'], req: http.IncomingMessage, res: http.ServerResponse) {
    const requestUrl = new URL(req.url ?? '/', 'http://fake');
    const parts = requestUrl.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'cdn') return serveContent(req, res, parts[1] ?? '');
    if (name !== 'hub') return send(res, 404, { error: 'Not found' });
    if (parts[0] === '_control') return control(req, res, parts[1] ?? '');
    if (parts[0] === 'api' && parts[1] === 'models' && parts.length === 2) return search(res, requestUrl);
    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'tree') {
      return tree(res, `${parts[2]}/${parts[3]}`, requestUrl);
    }
    if (parts[2] === 'resolve' && parts.length >= 5) {
      return resolve(req, res, `${parts[0]}/${parts[1]}`, parts.slice(4).join('/'));
    }
    return send(res, 404, { error: 'Not found' });
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, action: string) {
    if (action === 'requests' && req.method === 'GET') return send(res, 200, requests);
    if (req.method !== 'POST') return send(res, 405, { error: 'POST' });
    if (action === 'faults') {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      api.setFaults(body ? (JSON.parse(body) as FakeHfFaults) : {});
      return send(res, 200, faults);
    }
    if (action === 'reset') {
      api.setFaults({});
      api.clearRequests();
      return send(res, 200, {});
    }
    return send(res, 404, { error: 'Unknown control action' });
  }

  function knownRepo(name: string): boolean {
    return name === repo || name === gatedRepo;
  }

  async function search(res: http.ServerResponse, requestUrl: URL) {
    const query = (requestUrl.searchParams.get('search') ?? '').toLowerCase();
    const limit = Number(requestUrl.searchParams.get('limit') ?? 20);
    const rows = [repo, gatedRepo]
      .filter((id) => id.toLowerCase().includes(query))
      .slice(0, limit)
      .map((id, index) => ({
        _id: `fake${index}`,
        id,
        modelId: id,
        downloads: 1000 - index,
        likes: 10 - index,
        lastModified: '2026-01-01T00:00:00.000Z',
        gated: id === gatedRepo ? 'auto' : false,
        tags: ['gguf'],
      }));
    return send(res, 200, rows);
  }

  async function tree(res: http.ServerResponse, name: string, requestUrl: URL) {
    if (!knownRepo(name))
      return send(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    const entries: unknown[] = [{ type: 'file', oid: '0'.repeat(40), size: 42, path: 'README.md' }];
    for (const fileName of await listFiles()) {
      const info = await fileInfo(fileName);
      if (!info) continue;
      entries.push({
        type: 'file',
        oid: createHash('sha1').update(info.sha256).digest('hex'),
        size: info.size,
        path: info.name,
        lfs: { oid: info.sha256, size: info.size, pointerSize: 134 },
      });
    }
    for (const extra of faults.treeExtra ?? []) {
      entries.push({
        type: 'file',
        oid: '1'.repeat(40),
        size: 1,
        path: extra,
        lfs: { oid: 'a'.repeat(64), size: 1 },
      });
    }
    const cursor = Number(requestUrl.searchParams.get('cursor') ?? 0);
    const page = entries.slice(cursor, cursor + treePageSize);
    const headers: Record<string, string> = {};
    if (cursor + treePageSize < entries.length) {
      const next = new URL(requestUrl.pathname, url);
      next.search = requestUrl.search;
      next.searchParams.set('cursor', String(cursor + treePageSize));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return send(res, 200, page, headers);
  }

  function takeServerError(res: http.ServerResponse): boolean {
    if ((faults.serverErrors ?? 0) <= counters.serverErrors) return false;
    counters.serverErrors++;
    send(res, faults.serverErrorStatus ?? 503, { error: 'Service unavailable (fake)' });
    return true;
  }

  async function resolve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string,
    filePath: string,
  ) {
    if (!knownRepo(name)) {
      return send(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    }
    if (name === gatedRepo && req.headers.authorization !== `Bearer ${token}`) {
      return send(
        res,
        401,
        { error: 'Access to this model is restricted.' },
        { 'x-error-code': 'GatedRepo' },
      );
    }
    const info = await fileInfo(filePath);
    if (!info) return send(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
    if (takeServerError(res)) return;
    const announced = faults.wrongSha256
      ? createHash('sha256').update(info.sha256).digest('hex')
      : info.sha256;
    const cdnPath = `/cdn/${info.sha256}/${encodeURIComponent(info.name)}?X-Amz-Signature=fake`;
    const redirect = faults.redirect ?? 'same';
    const location =
      redirect === 'cdn-port'
        ? `${cdnUrl}${cdnPath}`
        : redirect === 'foreign-host'
          ? `${scheme}://localhost:${cdnPort}${cdnPath}`
          : redirect === 'http-downgrade'
            ? `http://127.0.0.1:${plainPort}${cdnPath}`
            : `${url}${cdnPath}`;
    const headers: Record<string, string> = {
      location,
      etag: `"${info.sha256}"`,
      'x-linked-size': String(info.size),
      'x-repo-commit': FAKE_COMMIT,
      'content-length': '0',
    };
    if (!faults.omitLinkedEtag) headers['x-linked-etag'] = `"${announced}"`;
    res.writeHead(302, headers);
    res.end();
  }

  function currentEtag(info: FileInfo): string {
    const changed = faults.changeEtagAfter !== undefined && counters.contentGets > faults.changeEtagAfter;
    return `"${info.sha256.slice(0, 16)}-v${changed ? 2 : 1}"`;
  }

  async function serveContent(req: http.IncomingMessage, res: http.ServerResponse, sha: string) {
    const info = bySha.get(sha);
    if (!info) return send(res, 404, { error: 'No such object' });
    if (takeServerError(res)) return;
    if (req.method === 'GET') counters.contentGets++;
    const etag = currentEtag(info);
    const base = { etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    let start = 0;
    let end = info.size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const rangeStillValid = !ifRange || ifRange === etag || faults.ignoreIfRange;
    if (range && !faults.ignoreRange && rangeStillValid) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      if (start >= info.size || start > end) {
        res.writeHead(416, { ...base, 'content-range': `bytes */${info.size}` });
        return res.end();
      }
      status = 206;
    }
    const headers: Record<string, string> = { ...base, 'content-length': String(end - start + 1) };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return res.end();
    await streamBody(res, info, start, end);
  }

  async function streamBody(res: http.ServerResponse, info: FileInfo, start: number, end: number) {
    let closed = false;
    res.on('close', () => (closed = true));
    const dropAt =
      faults.dropAtByte !== undefined && counters.drops < (faults.dropTimes ?? 1) && faults.dropAtByte > start
        ? faults.dropAtByte
        : null;
    const stallAt =
      faults.stallAtByte !== undefined && counters.stalls < 1 && faults.stallAtByte > start
        ? faults.stallAtByte
        : null;
    const chunkSize = faults.dripBytes ?? 64 * 1024;
    let position = start;
    for await (const raw of createReadStream(info.path, { start, end, highWaterMark: chunkSize })) {
      if (closed) return;
      let chunk = raw as Buffer;
      const corruptAt = faults.corruptAt;
      if (corruptAt !== undefined && corruptAt >= position && corruptAt < position + chunk.length) {
        chunk = Buffer.from(chunk);
        chunk[corruptAt - position] = (chunk[corruptAt - position] ?? 0) ^ 0xff;
      }
      const cut = dropAt ?? stallAt;
      if (cut !== null && position + chunk.length >= cut) {
        const head = chunk.subarray(0, cut - position);
        await write(res, head);
        if (dropAt !== null) {
          counters.drops++;
          res.socket?.destroy();
        } else {
          counters.stalls++;
          // Keep the connection open and silent until the client gives up.
          await new Promise<void>((done) => res.on('close', () => done()));
        }
        return;
      }
      await write(res, chunk);
      position += chunk.length;
      if (faults.dripIntervalMs) await new Promise((done) => setTimeout(done, faults.dripIntervalMs));
    }
    if (!closed) res.end();
  }

  const api: FakeHf = {
    url,
    port,
    cdnUrl,
    repo,
    gatedRepo,
    token,
    requests,
    setFaults(next) {
      faults = { ...next };
      counters = { contentGets: 0, drops: 0, stalls: 0, serverErrors: 0 };
    },
    clearRequests() {
      requests.length = 0;
    },
    async sha256(fileName) {
      const info = await fileInfo(fileName);
      if (!info) throw new Error(`No ${fileName} in ${modelsDir}`);
      return info.sha256;
    },
    async close() {
      await Promise.all([hub, cdn, plain].map(closeServer));
    },
  };
  return api;
}

function write(res: http.ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((done) => {
    if (chunk.length === 0 || res.destroyed) return done();
    // The callback runs once the bytes are handed to the socket, so a drop right after never loses them.
    res.write(chunk, () => done());
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
