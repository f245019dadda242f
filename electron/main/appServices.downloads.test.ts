import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CallResult,
  DownloadEvent,
  DownloadItem,
  HfSettings,
  ModelsListResult,
} from '../shared/contract';
import { startFakeHf, type FakeHf } from '../../scripts/fake-hf/server.ts';
import { createAppServices, type AppServices } from './appServices';
import { forkSpawner } from './services/engine/engineProcess';
import { tinyHubDir } from './services/downloads/testHarness';

const hostEntry = fileURLToPath(new URL('../../out/native/host.js', import.meta.url));
let dir: string;
let fake: FakeHf;
let services: AppServices;
const previousEndpoint = process.env.HF_ENDPOINT;
const downloadEvents: DownloadEvent[] = [];
const modelsChanged: unknown[] = [];

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-app-dl-'));
  fake = await startFakeHf({ modelsDir: await tinyHubDir(dir) });
  process.env.HF_ENDPOINT = fake.url;
  services = await createAppServices({
    mode: 'serve',
    version: '0.0.0-test',
    modelsDirs: [path.join(dir, 'models')],
    dataDir: path.join(dir, 'data'),
    spawnEngine: forkSpawner(hostEntry, { ...process.env, EDGEWISE_GPU: 'false' }),
    threads: 1,
    contextSize: 512,
    log: () => undefined,
  });
  services.events.attach('w1', (channel, payload) => {
    if (channel === 'downloads:event') downloadEvents.push(payload as DownloadEvent);
    if (channel === 'models:changed') modelsChanged.push(payload);
  });
});

afterAll(async () => {
  await services.dispose();
  await fake.close();
  if (previousEndpoint === undefined) delete process.env.HF_ENDPOINT;
  else process.env.HF_ENDPOINT = previousEndpoint;
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: string, args?: unknown) => services.router.dispatch(channel, args, { senderId: 'w1' });

describe('Hugging Face and downloads through the router', () => {
  it('takes the endpoint from HF_ENDPOINT, searches, and resolves hf: links', async () => {
    expect(value<HfSettings>(await call('hf:getSettings'))).toEqual({
      endpoint: fake.url,
      endpointSource: 'env',
      hasToken: false,
    });
    const repos = value<{ repo: string }[]>(await call('hf:search', { query: 'test-models' }));
    expect(repos.map((r) => r.repo)).toContain(fake.repo);
    expect(value(await call('hf:resolve', { input: `hf:${fake.repo}/tiny.Q4_0.gguf` }))).toEqual({
      repo: fake.repo,
      revision: 'main',
      file: 'tiny.Q4_0.gguf',
    });
    expect(await call('hf:resolve', { input: `hf:${fake.repo}/../x.gguf` })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FILE_NAME' },
    });
  });

  it('downloads into the library, emits download events and models:changed, and lists the model', async () => {
    expect(await call('downloads:start', { downloadId: '../x', source: {} })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const source = { repo: fake.repo, revision: 'main', file: 'tiny.Q4_0.gguf' };
    value(await call('downloads:start', { downloadId: 'dl-1', source }));
    await expect
      .poll(() => downloadEvents.find((e) => e.type !== 'progress')?.type, { timeout: 10_000 })
      .toBe('done');
    const modelId = `default:${fake.repo}/tiny.Q4_0.gguf`;
    expect(downloadEvents.at(-1)?.item.modelId).toBe(modelId);
    expect(modelsChanged.length).toBeGreaterThan(0);
    const { models } = value<ModelsListResult>(await call('models:list'));
    expect(models.map((m) => m.modelId)).toContain(modelId);
    expect(value<DownloadItem[]>(await call('downloads:list')).map((d) => d.state)).toEqual(['done']);
    expect(value(await call('downloads:dismiss', { downloadId: 'dl-1' }))).toEqual({ dismissed: true });
    expect(await call('downloads:pause', { downloadId: 'dl-1' })).toMatchObject({
      ok: false,
      error: { code: 'DOWNLOAD_NOT_FOUND' },
    });
  });

  it('saves the token in hf.json and never returns it', async () => {
    const settings = value<HfSettings>(await call('hf:setSettings', { token: 'hf_secret' }));
    expect(settings).toEqual({ endpoint: fake.url, endpointSource: 'env', hasToken: true });
    expect(JSON.stringify(settings)).not.toContain('hf_secret');
    expect(JSON.parse(await readFile(path.join(dir, 'data', 'hf.json'), 'utf8'))).toMatchObject({
      token: 'hf_secret',
    });
  });
});
