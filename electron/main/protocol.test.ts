import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  isAppUrl,
  registerAppScheme,
  resolveAppResource,
  respondToAppRequest,
  serveAppProtocol,
  type FetchFile,
} from './protocol';
import { SECURITY_HEADERS } from './securityHeaders';

vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  net: { fetch: vi.fn() },
}));
const fakes = electron as unknown as {
  protocol: { registerSchemesAsPrivileged: ReturnType<typeof vi.fn>; handle: ReturnType<typeof vi.fn> };
};

const ROOT = path.resolve('/srv/edgewise/out/renderer');

describe('isAppUrl', () => {
  it('accepts our origin only', () => {
    expect(isAppUrl('app://edgewise/index.html')).toBe(true);
    expect(isAppUrl('app://edgewise')).toBe(true);
    for (const url of [
      'https://edgewise/index.html',
      'app://evil.example/index.html',
      'app://edgewise.evil.example/',
      'app://edgewise:1234/',
      'app://user:pass@edgewise/',
      'file:///index.html',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('resolveAppResource', () => {
  const resolve = (url: string) => resolveAppResource(url, ROOT);

  it('maps paths inside the renderer folder', () => {
    expect(resolve('app://edgewise/index.html')).toEqual({
      ok: true,
      filePath: path.join(ROOT, 'index.html'),
    });
    expect(resolve('app://edgewise/assets/index-abc123.js')).toEqual({
      ok: true,
      filePath: path.join(ROOT, 'assets', 'index-abc123.js'),
    });
    expect(resolve('app://edgewise/assets/a%20b.css?v=1#x')).toEqual({
      ok: true,
      filePath: path.join(ROOT, 'assets', 'a b.css'),
    });
  });

  it('serves index.html for the root and folder URLs', () => {
    expect(resolve('app://edgewise/')).toEqual({ ok: true, filePath: path.join(ROOT, 'index.html') });
    expect(resolve('app://edgewise')).toEqual({ ok: true, filePath: path.join(ROOT, 'index.html') });
    expect(resolve('app://edgewise/assets/')).toEqual({
      ok: true,
      filePath: path.join(ROOT, 'assets', 'index.html'),
    });
  });

  it.each([
    'app://edgewise/%2e%2e/%2e%2e/etc/passwd',
    'app://edgewise/%2E%2E/secret',
    'app://edgewise/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://edgewise/..%2f..%2fetc%2fpasswd',
    'app://edgewise/%2e%2e%5c%2e%2e%5cwindows%5cwin.ini',
    'app://edgewise/assets/..%5c..%5csecret',
    'app://edgewise/%2e/index.html',
  ])('refuses traversal: %s', (url) => {
    expect(resolve(url)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses literal .. too, though the URL parser would have collapsed it', () => {
    expect(resolve('app://edgewise/../../etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolve('app://edgewise/assets/./../index.html')).toMatchObject({ ok: false, status: 403 });
  });

  it('allows dots inside names', () => {
    expect(resolve('app://edgewise/assets/a..b.js')).toEqual({
      ok: true,
      filePath: path.join(ROOT, 'assets', 'a..b.js'),
    });
    expect(resolve('app://edgewise/.well-known/x')).toMatchObject({ ok: true });
  });

  it.each([
    'app://edgewise/%2Fetc%2Fpasswd',
    'app://edgewise//etc/passwd',
    'app://edgewise/C:/Windows/win.ini',
    'app://edgewise/C%3A%5CWindows%5Cwin.ini',
    'app://edgewise/%5C%5Cserver%5Cshare%5Cfile',
    'app://edgewise/index.html%00.png',
  ])('refuses absolute, drive and NUL paths: %s', (url) => {
    expect(resolve(url)).toMatchObject({ ok: false, status: 403 });
  });

  it.each([
    'app://evil.example/index.html',
    'app://EVIL/index.html',
    'app://edgewise:99/index.html',
    'https://edgewise/index.html',
    'file:///srv/edgewise/out/renderer/index.html',
  ])('refuses other hosts and schemes: %s', (url) => {
    expect(resolve(url)).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 400 to malformed URLs and encodings', () => {
    expect(resolve('not a url')).toMatchObject({ ok: false, status: 400 });
    expect(resolve('app://edgewise/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('respondToAppRequest', () => {
  let dir: string;
  const fetchFile = vi.fn<FetchFile>(async (fileUrl) => {
    const { readFile } = await import('node:fs/promises');
    return new Response(await readFile(fileURLToPath(fileUrl)));
  });
  const get = (url: string, init: RequestInit & { initiatorOrigin?: string } = {}) => {
    const request = Object.assign(new Request(url.replace(/^app:/, 'http:'), init), {
      initiatorOrigin: init.initiatorOrigin,
    });
    // `Request` normalises custom schemes oddly in Node; hand the handler the URL Electron would.
    Object.defineProperty(request, 'url', { value: url });
    return respondToAppRequest(request, dir, fetchFile);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-protocol-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Edgewise</title>');
    await writeFile(path.join(dir, 'assets', 'main-1a2b.js'), 'console.log(1)');
    await writeFile(path.join(os.tmpdir(), 'edgewise-secret.txt'), 'secret');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(path.join(os.tmpdir(), 'edgewise-secret.txt'), { force: true });
  });

  it('serves a file with the security headers, its type, and no-store for HTML', async () => {
    const response = await get(APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Edgewise</title>');
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(fetchFile).toHaveBeenLastCalledWith(expect.stringMatching(/^file:\/\/.*index\.html$/));
  });

  it('gives scripts a JavaScript type (module scripts and nosniff need it)', async () => {
    const response = await get('app://edgewise/assets/main-1a2b.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBeNull();
  });

  it('answers HEAD without a body', async () => {
    const response = await get(APP_ENTRY_URL, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 404 for missing files and folders, 403 for traversal, 405 for other methods', async () => {
    fetchFile.mockClear();
    expect((await get('app://edgewise/missing.js')).status).toBe(404);
    expect((await get('app://edgewise/assets')).status).toBe(404);
    expect((await get('app://edgewise/%2e%2e/edgewise-secret.txt')).status).toBe(403);
    expect((await get('app://evil/index.html')).status).toBe(403);
    expect((await get(APP_ENTRY_URL, { method: 'POST', body: 'x' })).status).toBe(405);
    expect(fetchFile).not.toHaveBeenCalled();
  });

  it('refuses requests a page on another origin made', async () => {
    expect((await get(APP_ENTRY_URL, { initiatorOrigin: 'https://evil.example' })).status).toBe(403);
    expect((await get(APP_ENTRY_URL, { initiatorOrigin: 'app://edgewise' })).status).toBe(200);
  });

  it('keeps the security headers on errors', async () => {
    const response = await get('app://edgewise/missing.js');
    expect(response.headers.get('Content-Security-Policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
  });
});

describe('registration', () => {
  it('registers app:// as standard, secure and fetchable, without CORS or CSP bypass', () => {
    registerAppScheme();
    expect(fakes.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('handles the app scheme', () => {
    serveAppProtocol(ROOT);
    expect(fakes.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});
