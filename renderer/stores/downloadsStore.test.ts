// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadItem } from '../../electron/shared/contract';
import { flush, installFakeApi, teardown } from '../test/harness';
import { useCatalogStore } from './catalogStore';
import { downloadFor, useDownloadsStore } from './downloadsStore';
import { useModelsStore } from './modelsStore';

afterEach(teardown);

const source = { repo: 'edgewise/test-models-GGUF', revision: 'main', file: 'tiny.Q8_0.gguf' };

function item(downloadId: string, patch: Partial<DownloadItem> = {}): DownloadItem {
  return {
    downloadId,
    source,
    fileName: source.file,
    state: 'downloading',
    receivedBytes: 0,
    totalBytes: 100,
    bytesPerSecond: 0,
    etaSeconds: null,
    expectedSha256: null,
    attempts: 1,
    error: null,
    modelId: null,
    createdAt: 1,
    ...patch,
  };
}

describe('useDownloadsStore', () => {
  it('hydrates newest first and applies events by id', async () => {
    const fake = await installFakeApi({
      downloads: [item('old', { createdAt: 1 }), item('new', { createdAt: 2 })],
    });
    expect(useDownloadsStore.getState().order).toEqual(['new', 'old']);
    fake.updateDownload('old', { receivedBytes: 50 });
    expect(useDownloadsStore.getState().items['old']?.receivedBytes).toBe(50);
    expect(downloadFor(useDownloadsStore.getState(), source)?.downloadId).toBe('new');
  });

  it('starts with a fresh id and keeps an event that beat the call’s answer', async () => {
    const fake = await installFakeApi();
    fake.handle('downloadsStart', async (args) => {
      const started = await fake.defaults.downloadsStart(args);
      fake.updateDownload(args.downloadId, { state: 'downloading', receivedBytes: 10 });
      return started;
    });
    const id = await useDownloadsStore.getState().start(source);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(useDownloadsStore.getState().items[id!]).toMatchObject({
      state: 'downloading',
      receivedBytes: 10,
    });
  });

  it('keeps a failed start as an error in words', async () => {
    const fake = await installFakeApi();
    fake.handle('downloadsStart', async () => ({
      ok: false,
      error: { code: 'DISK_FULL', message: 'Not enough space.' },
    }));
    expect(await useDownloadsStore.getState().start(source)).toBeNull();
    expect(useDownloadsStore.getState().error).toEqual({ code: 'DISK_FULL', message: 'Not enough space.' });
  });
});

describe('useCatalogStore search', () => {
  it('resolves hf: URIs and URLs, searches anything else', async () => {
    const fake = await installFakeApi();
    await useCatalogStore.getState().submitSearch('  hf:edgewise/test-models-GGUF/tiny.Q8_0.gguf ');
    expect(useCatalogStore.getState().search).toEqual({ kind: 'resolved', source });
    await useCatalogStore.getState().submitSearch('qwen3');
    expect(useCatalogStore.getState().search.kind).toBe('repos');
    expect(fake.argsOf('hfSearch')).toEqual([{ query: 'qwen3', limit: 30 }]);
    expect(fake.argsOf('hfResolve')).toHaveLength(1);
  });
});

describe('useModelsStore and the library', () => {
  it('refreshes models and folders when main says the library changed', async () => {
    const fake = await installFakeApi();
    const before = fake.calls.filter((c) => c.method === 'modelsList').length;
    fake.emit('models:changed', { reason: 'downloaded' });
    await flush();
    expect(fake.calls.filter((c) => c.method === 'modelsList').length).toBe(before + 1);
    expect(useModelsStore.getState().folders.map((f) => f.folderId)).toEqual(['default']);
  });
});
