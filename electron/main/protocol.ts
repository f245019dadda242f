/**
 * `app://edgewise/…`: the renderer's origin in the desktop app. Serving the built renderer from a privileged
 * custom scheme instead of `file://` gives it a real origin for the CSP and the IPC sender check, and keeps
 * every other file on disk out of its reach.
 */
import { net, protocol } from 'electron';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SECURITY_HEADERS } from './securityHeaders';

export const APP_SCHEME = 'app';
export const APP_HOST = 'edgewise';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** A URL on our own origin, exactly: `app://edgewise` with no port, no credentials. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export type AppResource = { ok: true; filePath: string } | { ok: false; status: 400 | 403; reason: string };

/**
 * Maps a request URL to a file inside `rendererDir`, or refuses it. Pure (no file system access): whether the
 * file exists is the caller's question. Refuses other hosts, `..` in any spelling (`%2e%2e`, `%2f`-joined),
 * absolute or drive-qualified paths, backslashes and NUL, and anything that resolves outside the folder.
 */
export function resolveAppResource(requestUrl: string, rendererDir: string): AppResource {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (!isAppUrl(url.href)) return { ok: false, status: 403, reason: 'not the app origin' };
  // The URL parser quietly collapses `..`, `%2e%2e` and the like; a request that contains them is an attempt,
  // so it is refused rather than served whatever it collapsed to.
  if (hasDotSegment(requestUrl)) return { ok: false, status: 403, reason: 'dot segment in path' };

  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (/[\\\0:]/.test(decoded)) return { ok: false, status: 403, reason: 'backslash, NUL or drive in path' };

  // Dot segments that only appear after decoding (`%2e%2e%2f`) are caught here.
  const segments = decoded.split('/').slice(1);
  const last = segments.length - 1;
  for (const [index, segment] of segments.entries()) {
    if (segment === '..' || segment === '.') return { ok: false, status: 403, reason: 'dot segment in path' };
    if (segment === '' && index !== last)
      return { ok: false, status: 403, reason: 'absolute or empty segment' };
  }
  const relative = segments.join('/');
  const wanted = relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;

  const root = path.resolve(rendererDir);
  const filePath = path.resolve(root, wanted);
  const fromRoot = path.relative(root, filePath);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
    return { ok: false, status: 403, reason: 'outside the renderer folder' };
  }
  return { ok: true, filePath };
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function hasDotSegment(rawUrl: string): boolean {
  const afterScheme = rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const rawPath = afterScheme.split(/[?#]/, 1)[0] ?? '';
  return rawPath.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export type FetchFile = (fileUrl: string) => Promise<Response>;

/** Electron's request carries the origin of the page that asked (absent for browser-initiated loads). */
type AppRequest = Request & { initiatorOrigin?: string };

/** Answers one `app://` request: the file, with the same security headers as serve mode, or an error status. */
export async function respondToAppRequest(
  request: AppRequest,
  rendererDir: string,
  fetchFile: FetchFile = (fileUrl) => net.fetch(fileUrl),
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'Method not allowed.', { Allow: 'GET, HEAD' });
  }
  // A page on another origin (if one were ever loaded) must not read the app's files either.
  if (request.initiatorOrigin !== undefined && request.initiatorOrigin !== APP_ORIGIN) {
    return plain(403, 'Forbidden.');
  }
  const resource = resolveAppResource(request.url, rendererDir);
  if (!resource.ok) return plain(resource.status, resource.status === 400 ? 'Bad request.' : 'Forbidden.');

  const isFile = await stat(resource.filePath).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!isFile) return plain(404, 'Not found.');

  const file = await fetchFile(pathToFileURL(resource.filePath).href);
  if (!file.ok) return plain(404, 'Not found.');

  const headers = new Headers(SECURITY_HEADERS);
  const extension = path.extname(resource.filePath).toLowerCase();
  headers.set(
    'Content-Type',
    CONTENT_TYPES[extension] ?? file.headers.get('Content-Type') ?? 'application/octet-stream',
  );
  // Hashed assets may be cached; the page that names them must not be, or an update would load stale names.
  if (extension === '.html') headers.set('Cache-Control', 'no-store');
  return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers });
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  const headers = new Headers(SECURITY_HEADERS);
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(text, { status, headers });
}

/** Must run before the app is ready: Chromium fixes its scheme table at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // No `corsEnabled` and no `bypassCSP`: other origins stay unable to read app:// and the CSP applies.
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

/** Serves the built renderer on `app://edgewise/`. Call once the app is ready. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(request, rendererDir));
}
