// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FIT } from '../../test/fakeApi';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

async function openDiscover(options?: Parameters<typeof renderApp>[0]) {
  const rendered = await renderApp(options);
  await userEvent.click(screen.getByTestId('nav-discover'));
  await flush();
  await flush();
  return rendered;
}

describe('Discover', () => {
  it('shows catalog cards with facts, capabilities, a quant picker with sizes and a fit badge', async () => {
    const { fake } = await openDiscover();
    const cards = screen.getAllByTestId('catalog-item');
    expect(cards).toHaveLength(2);
    const moe = cards.find((c) => c.dataset.catalogId === 'qwen3-30b-a3b')!;
    expect(moe.textContent).toContain('30.5B');
    expect(moe.textContent).toContain('3.3B active');
    expect(moe.textContent).toContain('32K');
    expect(moe.textContent).toContain('apache-2.0');
    expect(within(moe).getByTestId('capability-thinking')).toBeTruthy();

    const qwen4 = cards.find((c) => c.dataset.catalogId === 'qwen3-4b')!;
    const picker = within(qwen4).getByTestId('quant-picker') as HTMLSelectElement;
    expect(picker.value).toBe('Q4_K_M');
    expect(within(qwen4).getByTestId('fit-badge').dataset.verdict).toBe('cpu');
    await userEvent.selectOptions(picker, 'Q8_0');
    await flush();
    const fitTargets = fake.argsOf('hardwareFit').map((a) => a.target);
    expect(fitTargets).toContainEqual({
      kind: 'estimate',
      fileSizeBytes: 4.28e9,
      parameters: 4e9,
      activeParameters: undefined,
      contextLength: 32_768,
    });
    expect(fitTargets).toContainEqual(expect.objectContaining({ kind: 'estimate', activeParameters: 3.3e9 }));
  });

  it('shows no badge, and no error, when the fit estimate is unavailable', async () => {
    await openDiscover({ fit: null });
    expect(screen.getAllByTestId('catalog-item')).toHaveLength(2);
    expect(screen.queryByTestId('fit-badge')).toBeNull();
    expect(screen.queryByTestId('recommended-pick')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('recommends the largest model and quant that runs comfortably', async () => {
    await openDiscover({
      fit: ({ target }) =>
        target.kind === 'estimate' && target.fileSizeBytes > 10e9
          ? { ...FIT, verdict: 'no', expectedTokensPerSecond: null }
          : {
              ...FIT,
              expectedTokensPerSecond: target.kind === 'estimate' && target.fileSizeBytes > 4e9 ? 11 : 20,
            },
    });
    const pick = screen.getByTestId('recommended-pick');
    expect(pick.dataset.catalogId).toBe('qwen3-4b');
    expect(pick.dataset.quant).toBe('Q8_0');
  });

  it('resolves a pasted hf: URI, downloads it and shows its progress by state', async () => {
    const { fake } = await openDiscover();
    await userEvent.type(
      screen.getByTestId('hf-search-input'),
      'hf:edgewise/test-models-GGUF/tiny.Q8_0.gguf{Enter}',
    );
    await flush();
    expect(fake.argsOf('hfResolve')).toEqual([{ input: 'hf:edgewise/test-models-GGUF/tiny.Q8_0.gguf' }]);
    const offer = screen.getByTestId('hf-resolved');
    expect(offer.textContent).toContain('tiny.Q8_0.gguf');

    await userEvent.click(within(offer).getByTestId('download-button'));
    await flush();
    const [start] = fake.argsOf('downloadsStart');
    expect(start?.source).toEqual({
      repo: 'edgewise/test-models-GGUF',
      revision: 'main',
      file: 'tiny.Q8_0.gguf',
    });
    expect(within(offer).getByTestId('download-progress').dataset.state).toBe('queued');

    act(() => {
      fake.updateDownload(start!.downloadId, {
        state: 'downloading',
        receivedBytes: 350_000,
        totalBytes: 700_000,
        bytesPerSecond: 1_000_000,
        etaSeconds: 1,
      });
    });
    const progress = within(offer).getByTestId('download-progress');
    expect(progress.dataset.state).toBe('downloading');
    expect(progress.textContent).toContain('50%');
    expect(progress.textContent).toMatch(/\/s/);
    expect(progress.textContent).toContain('left');

    act(() => {
      fake.updateDownload(
        start!.downloadId,
        { state: 'done', receivedBytes: 700_000, modelId: 'default:tiny.Q8_0.gguf' },
        'done',
      );
    });
    expect(within(offer).getByTestId('download-progress').dataset.state).toBe('done');
  });

  it('searches by text and lists a repository’s files with quant and size', async () => {
    const { fake } = await openDiscover();
    await userEvent.type(screen.getByTestId('hf-search-input'), 'tiny{Enter}');
    await flush();
    expect(fake.argsOf('hfSearch')).toEqual([{ query: 'tiny', limit: 30 }]);
    await userEvent.click(screen.getByTestId('hf-repo-item'));
    await flush();
    const file = screen.getByTestId('hf-file-item');
    expect(file.textContent).toContain('Q8_0');
    expect(file.textContent).toContain('684 KB');
    expect(within(file).getByTestId('download-button')).toBeTruthy();
  });

  it('says in words why a link did not resolve', async () => {
    await openDiscover();
    await userEvent.type(screen.getByTestId('hf-search-input'), 'https://example.com/x{Enter}');
    await flush();
    expect(screen.getByTestId('hf-search-error').dataset.code).toBe('HF_NOT_FOUND');
  });
});
