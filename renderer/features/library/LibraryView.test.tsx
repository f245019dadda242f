// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadItem, ModelFile } from '../../../electron/shared/contract';
import { FOLDER, model } from '../../test/fakeApi';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

const tiny: ModelFile = {
  ...model('tiny.Q8_0.gguf', 700_000),
  modelId: 'default:tiny.Q8_0.gguf',
  folderId: 'default',
  readOnly: false,
  gguf: {
    name: 'Edgewise Test Tiny',
    architecture: 'llama',
    parameters: 300_000_000,
    quantization: 'Q8_0',
    contextLength: 4096,
    hasChatTemplate: true,
    thinking: true,
  },
};
const ollama: ModelFile = {
  ...model('qwen3:8b', 5e9),
  modelId: 'f-1:library/qwen3:8b',
  folderId: 'f-1',
  readOnly: true,
  gguf: null,
  ggufError: { code: 'MODEL_CORRUPT', message: 'The GGUF header is truncated or corrupt.' },
};
const ollamaFolder = {
  ...FOLDER,
  folderId: 'f-1',
  path: '/home/me/.ollama/models',
  kind: 'ollama',
  readOnly: true,
  isDownloadTarget: false,
} as const;

async function openLibrary(options?: Parameters<typeof renderApp>[0]) {
  const rendered = await renderApp({ models: [tiny, ollama], folders: [FOLDER, ollamaFolder], ...options });
  await userEvent.click(screen.getByTestId('nav-library'));
  await flush();
  return rendered;
}

function item(modelId: string): HTMLElement {
  const found = screen.getAllByTestId('library-item').find((el) => el.dataset.modelId === modelId);
  if (!found) throw new Error(`no library item ${modelId}`);
  return found;
}

describe('Library', () => {
  it('lists installed models with their GGUF facts, fit badge, and header errors in words', async () => {
    const { fake } = await openLibrary();
    const row = item('default:tiny.Q8_0.gguf');
    expect(within(row).getByTestId('library-item-facts').textContent).toBe(
      'llama · 300M params · Q8_0 · 4K context · 684 KB',
    );
    expect(row.textContent).toContain('Thinking');
    expect(within(row).getByTestId('fit-badge').dataset.verdict).toBe('cpu');
    expect(fake.argsOf('hardwareFit')).toContainEqual({
      target: { kind: 'local', modelId: 'default:tiny.Q8_0.gguf' },
    });
    const broken = item('f-1:library/qwen3:8b');
    expect(within(broken).getByTestId('library-item-error').dataset.code).toBe('MODEL_CORRUPT');
    expect(broken.textContent).toContain('Read-only');
    expect((within(broken).getByTestId('library-item-delete') as HTMLButtonElement).disabled).toBe(true);
  });

  it('deletes only after the person confirms, and the list follows models:changed', async () => {
    const { fake } = await openLibrary();
    await userEvent.click(within(item('default:tiny.Q8_0.gguf')).getByTestId('library-item-delete'));
    expect(screen.getByTestId('confirm-delete').textContent).toContain('tiny.Q8_0.gguf');
    await userEvent.click(screen.getByTestId('confirm-delete-cancel'));
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(fake.argsOf('libraryDelete')).toEqual([]);

    await userEvent.click(within(item('default:tiny.Q8_0.gguf')).getByTestId('library-item-delete'));
    await userEvent.click(screen.getByTestId('confirm-delete-button'));
    await flush();
    expect(fake.argsOf('libraryDelete')).toEqual([{ modelId: 'default:tiny.Q8_0.gguf', confirm: true }]);
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(screen.getAllByTestId('library-item').map((el) => el.dataset.modelId)).toEqual([
      'f-1:library/qwen3:8b',
    ]);
  });

  it('shows folders with read-only marked, adds one, and reports an import error in words', async () => {
    const { fake } = await openLibrary();
    const folders = screen.getAllByTestId('folder-item');
    expect(folders.map((f) => f.dataset.readOnly)).toEqual(['false', 'true']);
    expect(folders[1]?.textContent).toContain('Ollama');
    expect(folders[1]?.textContent).toContain('read-only');

    await userEvent.type(screen.getByTestId('folder-path-input'), '/mnt/models');
    await userEvent.click(screen.getByTestId('folder-add'));
    await flush();
    expect(fake.argsOf('libraryAddFolder')).toEqual([{ path: '/mnt/models', readOnly: false }]);
    expect(screen.getAllByTestId('folder-item')).toHaveLength(3);

    await userEvent.type(screen.getByTestId('import-path-input'), '/tmp/notes.txt{Enter}');
    await flush();
    expect(screen.getByTestId('library-error').dataset.code).toBe('NOT_GGUF');

    await userEvent.clear(screen.getByTestId('import-path-input'));
    await userEvent.type(screen.getByTestId('import-path-input'), '/tmp/new.gguf{Enter}');
    await flush();
    expect(screen.getAllByTestId('library-item').map((el) => el.dataset.modelId)).toContain(
      'default:new.gguf',
    );
  });

  it('shows downloads with pause, resume, retry and the error in words', async () => {
    const failed: DownloadItem = {
      downloadId: 'd1',
      source: { repo: 'edgewise/test-models-GGUF', revision: 'main', file: 'tiny.Q8_0.gguf' },
      fileName: 'tiny.Q8_0.gguf',
      state: 'failed',
      receivedBytes: 100,
      totalBytes: 700_000,
      bytesPerSecond: 0,
      etaSeconds: null,
      expectedSha256: null,
      attempts: 3,
      error: { code: 'CHECKSUM_MISMATCH', message: 'The file did not match its checksum; it was set aside.' },
      modelId: null,
      createdAt: 1,
    };
    const { fake } = await openLibrary({ downloads: [failed] });
    const progress = screen.getByTestId('download-progress');
    expect(progress.dataset.state).toBe('failed');
    expect(screen.getByTestId('download-error').textContent).toContain('checksum');
    await userEvent.click(screen.getByTestId('download-retry'));
    await flush();
    expect(fake.argsOf('downloadsResume')).toEqual([{ downloadId: 'd1' }]);
    act(() => {
      fake.updateDownload('d1', {
        state: 'downloading',
        error: null,
        receivedBytes: 350_000,
        bytesPerSecond: 2e6,
        etaSeconds: 90,
      });
    });
    expect(screen.getByTestId('download-progress').textContent).toContain('2 min left');
    await userEvent.click(screen.getByTestId('download-pause'));
    await flush();
    expect(screen.getByTestId('download-progress').dataset.state).toBe('paused');
    await userEvent.click(screen.getByTestId('download-resume'));
    await flush();
    expect(screen.getByTestId('download-progress').dataset.state).toBe('queued');
  });
});
