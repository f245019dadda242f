import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHf, type FakeHf } from '../../../../scripts/fake-hf/server.ts';
import { tinyHubDir } from '../downloads/testHarness';
import { HfClient } from './hfClient';
import { HfSettingsStore } from './hfSettings';

let root: string;
let fake: FakeHf;
const dispatcher = new Agent();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'edgewise-hf-'));
  fake = await startFakeHf({ modelsDir: await tinyHubDir(root), treePageSize: 2 });
});

afterAll(async () => {
  await fake.close();
  await dispatcher.close();
  await rm(root, { recursive: true, force: true });
});

function client(env: NodeJS.ProcessEnv = { HF_ENDPOINT: fake.url }, file: string | null = null) {
  const settings = new HfSettingsStore(file, env);
  return { settings, hf: new HfClient({ settings, dispatcher }) };
}

describe('HfClient against the fake hub', () => {
  it('searches GGUF repositories', async () => {
    const { hf } = client();
    fake.clearRequests();
    const repos = await hf.search({ query: 'test-models', limit: 5 });
    expect(repos.map((r) => r.repo)).toEqual([fake.repo, fake.gatedRepo]);
    expect(repos[0]).toMatchObject({ gated: false, downloads: 1000, likes: 10 });
    expect(repos[1]?.gated).toBe(true);
    const request = new URL(fake.requests[0]?.path ?? '', fake.url);
    expect(request.pathname).toBe('/api/models');
    expect(request.searchParams.get('filter')).toBe('gguf');
    expect(request.searchParams.get('search')).toBe('test-models');
  });

  it('lists GGUF files across tree pages, with sizes, sha256 and quantization', async () => {
    const { hf } = client();
    const result = await hf.files({ repo: fake.repo });
    expect(result.revision).toBe('main');
    expect(result.files.map((f) => [f.path, f.quant])).toEqual([
      ['tiny.F16.gguf', 'F16'],
      ['tiny.Q4_0.gguf', 'Q4_0'],
      ['tiny.Q8_0.gguf', 'Q8_0'],
    ]);
    expect(result.files[1]).toMatchObject({ sizeBytes: 74_496, sha256: await fake.sha256('tiny.Q4_0.gguf') });
  });

  it('leaves out tree entries whose names could escape a folder', async () => {
    const { hf } = client();
    fake.setFaults({
      treeExtra: ['../evil.gguf', 'a/../../evil.gguf', 'x\u0000.gguf', '/abs.gguf', 'ok/fine.Q4_K_M.gguf'],
    });
    try {
      const paths = (await hf.files({ repo: fake.repo })).files.map((f) => f.path);
      expect(paths).toContain('ok/fine.Q4_K_M.gguf');
      expect(paths.filter((p) => p.includes('evil') || p.includes('abs') || p.includes('\u0000'))).toEqual(
        [],
      );
    } finally {
      fake.setFaults({});
    }
  });

  it('reads size and sha256 from the HEAD of a resolve URL without following the CDN redirect', async () => {
    const { hf } = client();
    fake.clearRequests();
    const info = await hf.fileInfo({ repo: fake.repo, revision: 'main', file: 'tiny.Q8_0.gguf' });
    expect(info).toEqual({
      sha256: await fake.sha256('tiny.Q8_0.gguf'),
      size: 132_096,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(fake.requests.map((r) => r.method + ' ' + r.path)).toEqual([
      `HEAD /${fake.repo}/resolve/main/tiny.Q8_0.gguf`,
    ]);
  });

  it('maps missing repositories and gated files to clear errors', async () => {
    const { hf } = client();
    await expect(hf.files({ repo: 'nobody/nothing' })).rejects.toMatchObject({ code: 'HF_NOT_FOUND' });
    await expect(
      hf.fileInfo({ repo: fake.gatedRepo, revision: 'main', file: 'tiny.Q4_0.gguf' }),
    ).rejects.toMatchObject({ code: 'HF_UNAUTHORIZED', message: expect.stringMatching(/gated/) });
    const withToken = client({ HF_ENDPOINT: fake.url, HF_TOKEN: fake.token }).hf;
    await expect(
      withToken.fileInfo({ repo: fake.gatedRepo, revision: 'main', file: 'tiny.Q4_0.gguf' }),
    ).resolves.toMatchObject({ size: 74_496 });
  });

  it('reports an unreachable endpoint as NETWORK', async () => {
    const { hf } = client({ HF_ENDPOINT: 'http://127.0.0.1:9' });
    await expect(hf.search({ query: 'x' })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('resolves hf: links and URLs on the configured endpoint', () => {
    const { hf } = client();
    expect(hf.resolveInput(`${fake.url}/${fake.repo}/resolve/main/tiny.Q4_0.gguf`)).toEqual({
      repo: fake.repo,
      revision: 'main',
      file: 'tiny.Q4_0.gguf',
    });
    expect(() => hf.resolveInput('hf:a/b/../../x.gguf')).toThrow(/Refused/);
  });
});

describe('HfSettingsStore', () => {
  it('takes the endpoint from settings, then HF_ENDPOINT, then the default', async () => {
    const file = path.join(root, 'data', 'hf.json');
    const { settings } = client({}, file);
    expect(settings.get()).toEqual({
      endpoint: 'https://huggingface.co',
      endpointSource: 'default',
      hasToken: false,
    });
    expect(client({ HF_ENDPOINT: 'https://hf-mirror.com/' }).settings.get()).toMatchObject({
      endpoint: 'https://hf-mirror.com',
      endpointSource: 'env',
    });

    const saved = await settings.set({ endpoint: 'https://mirror.example.com/hf/', token: 'hf_abc' });
    expect(saved).toEqual({
      endpoint: 'https://mirror.example.com/hf',
      endpointSource: 'settings',
      hasToken: true,
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      endpoint: 'https://mirror.example.com/hf',
      token: 'hf_abc',
    });

    const reloaded = client({ HF_ENDPOINT: 'https://ignored.example.com' }, file).settings;
    await reloaded.load();
    expect(reloaded.get().endpointSource).toBe('settings');
    expect(reloaded.token()).toBe('hf_abc');
    expect(await reloaded.set({ endpoint: null, token: null })).toEqual({
      endpoint: 'https://ignored.example.com',
      endpointSource: 'env',
      hasToken: false,
    });
  });

  it('refuses plain-http mirrors off this machine and tokens that could inject headers', async () => {
    const { settings } = client({});
    await expect(settings.set({ endpoint: 'http://mirror.corp' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(settings.set({ endpoint: 'ftp://x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(settings.set({ token: 'a\r\nX-Evil: 1' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect((await settings.set({ endpoint: 'http://127.0.0.1:8080' })).endpoint).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('uses HF_TOKEN when the settings hold none, and refuses requests to an unusable HF_ENDPOINT', async () => {
    expect(client({ HF_TOKEN: 'hf_env' }).settings.token()).toBe('hf_env');
    const { hf } = client({ HF_ENDPOINT: 'http://mirror.corp' });
    await expect(hf.search({ query: 'x' })).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
  });
});

describe('HfClient against a misbehaving endpoint', () => {
  it('stops reading an oversized answer that has no Content-Length (chunked) instead of filling memory', async () => {
    let sent = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent >= 64) res.end();
        else res.once('drain', pump);
      };
      res.write('[');
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { hf } = client({ HF_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await expect(hf.search({ query: 'x' })).rejects.toMatchObject({
        code: 'NETWORK',
        message: expect.stringContaining('oversized'),
      });
      // It hung up well before the 64 MiB the server was willing to send.
      expect(sent).toBeLessThan(64);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
