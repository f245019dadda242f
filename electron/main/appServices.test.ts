import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallResult, ChatStreamEvent, Conversation, ModelsListResult } from '../shared/contract';
import { TEST_MODELS_DIR } from '../../native/test/models';
import { createAppServices, type AppServices } from './appServices';
import { forkSpawner } from './services/engine/engineProcess';

const hostEntry = fileURLToPath(new URL('../../out/native/host.js', import.meta.url));
let dir: string;
let services: AppServices;
const received: ChatStreamEvent[] = [];

function value<T>(result: CallResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-app-'));
  const models = path.join(dir, 'models');
  await mkdir(path.join(models, 'nested'), { recursive: true });
  await symlink(path.join(TEST_MODELS_DIR, 'tiny.Q4_0.gguf'), path.join(models, 'nested', 'tiny.Q4_0.gguf'));
  await writeFile(path.join(models, 'README.txt'), 'not a model');
  await writeFile(path.join(models, 'fake.gguf'), 'not really');
  services = await createAppServices({
    mode: 'serve',
    version: '0.0.0-test',
    modelsDirs: [models],
    dataDir: path.join(dir, 'data'),
    spawnEngine: forkSpawner(hostEntry, { ...process.env, EDGEWISE_GPU: 'false' }),
    threads: 1,
    contextSize: 512,
    log: () => undefined,
  });
  services.events.attach('w1', (channel, payload) => {
    if (channel === 'chat:stream') received.push(payload as ChatStreamEvent);
  });
});

afterAll(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: string, args?: unknown) => services.router.dispatch(channel, args, { senderId: 'w1' });

describe('app services through the router', () => {
  it('lists GGUF files with stable ids that carry no absolute path', async () => {
    const { models } = value<ModelsListResult>(await call('models:list'));
    expect(models.map((model) => model.modelId)).toEqual([
      'default:fake.gguf',
      'default:nested/tiny.Q4_0.gguf',
    ]);
    expect(await call('engine:load', { modelId: 'default:../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'MODEL_NOT_FOUND' },
    });
  });

  it('reports a file that is not a model, then loads a real one and chats', async () => {
    expect(await call('engine:load', { modelId: 'default:fake.gguf' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_GGUF' },
    });
    value(await call('engine:load', { modelId: 'default:nested/tiny.Q4_0.gguf' }));
    const conversation = value<Conversation>(await call('conversations:create'));
    const sent = value<{ assistantMessage: { messageId: string } }>(
      await call('chat:send', {
        requestId: 'req-1',
        conversationId: conversation.conversationId,
        text: 'Hello',
        maxTokens: 12,
      }),
    );
    await vi.waitFor(() => expect(received.some((event) => event.type !== 'delta')).toBe(true), {
      timeout: 20_000,
    });
    const forRequest = received.filter((event) => event.requestId === 'req-1');
    expect(forRequest.at(-1)).toMatchObject({ type: 'done', messageId: sent.assistantMessage.messageId });
    expect(forRequest.filter((event) => event.type !== 'delta')).toHaveLength(1);
    const text = forRequest.map((event) => (event.type === 'delta' ? event.text : '')).join('');
    const saved = value<Conversation>(
      await call('conversations:get', { conversationId: conversation.conversationId }),
    );
    expect(saved.messages[1]).toMatchObject({ state: 'done', text });
    expect(saved.messages[1]?.stats?.tokens).toBe(12);
  });
});

describe('library and catalog through the router', () => {
  it('lists the catalog, refuses a delete nobody confirmed, and announces library changes', async () => {
    const changed: unknown[] = [];
    const detach = services.events.attach('w2', (channel, payload) => {
      if (channel === 'models:changed') changed.push(payload);
    });
    const catalog = value<{ version: string; models: unknown[] }>(await call('catalog:list'));
    expect(catalog.models.length).toBeGreaterThanOrEqual(18);

    const folders = value<Array<{ folderId: string; isDownloadTarget: boolean }>>(
      await call('library:folders'),
    );
    expect(folders).toEqual([expect.objectContaining({ folderId: 'default', isDownloadTarget: true })]);

    expect(await call('library:delete', { modelId: 'default:fake.gguf', confirm: false })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(await call('library:import', { path: 'relative/file.gguf' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    value(await call('library:import', { path: path.join(TEST_MODELS_DIR, 'tiny.Q8_0.gguf') }));
    expect(value(await call('library:delete', { modelId: 'default:tiny.Q8_0.gguf', confirm: true }))).toEqual(
      {
        deleted: true,
      },
    );
    expect(changed).toEqual([{ reason: 'imported' }, { reason: 'deleted' }]);
    detach();
  });
});
