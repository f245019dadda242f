import { afterAll, describe, expect, it } from 'vitest';
import type { LoadStep } from '../protocol';
import { testModelPath } from '../test/models';
import { Engine } from './engine';
import { EngineError } from './errors';
import { nextAttempt, type Attempt, type LadderState } from './ladder';

describe('nextAttempt', () => {
  const state = (patch: Partial<LadderState>): LadderState => ({
    totalLayers: 32,
    failedAt: 'context',
    contextHalvings: 0,
    layerHalvings: 0,
    ...patch,
  });

  it('goes smaller context, then fewer GPU layers, then CPU only, then gives up', () => {
    let attempt: Attempt = { action: 'initial', contextSize: 4096, gpuLayers: 'max' };
    const s = state({});
    const actions: string[] = [];
    for (;;) {
      const next = nextAttempt(attempt, s);
      if (!next) break;
      if (next.action === 'smaller-context') s.contextHalvings += 1;
      if (next.action === 'fewer-gpu-layers') s.layerHalvings += 1;
      actions.push(`${next.action}:${next.contextSize}:${next.gpuLayers}`);
      attempt = next;
    }
    expect(actions).toEqual([
      'smaller-context:2048:max',
      'smaller-context:1024:max',
      'smaller-context:512:max',
      'fewer-gpu-layers:512:16',
      'fewer-gpu-layers:512:8',
      'cpu-only:512:0',
    ]);
  });

  it('skips the context steps when the weights themselves did not fit', () => {
    const next = nextAttempt(
      { action: 'initial', contextSize: 4096, gpuLayers: 'max' },
      state({ failedAt: 'model' }),
    );
    expect(next).toEqual({ action: 'fewer-gpu-layers', contextSize: 4096, gpuLayers: 16 });
  });

  it('has nothing left to try on the CPU at the smallest context', () => {
    expect(nextAttempt({ action: 'smaller-context', contextSize: 512, gpuLayers: 0 }, state({}))).toBeNull();
  });
});

describe('the ladder on a real out-of-memory refusal', () => {
  // A RAM cap (node-llama-cpp's setRamCap) makes node-llama-cpp itself refuse the 4096-token context with
  // 4 sequences (~550 MB of KV cache for bench60m) while the weights (62 MB) and a smaller context fit.
  const engine = new Engine({ gpu: false, sequences: 4, ramCapBytes: 400e6 });
  afterAll(() => engine.dispose());

  it('retries with a smaller context, reports every attempt, and loads', async () => {
    const steps: LoadStep[] = [];
    const result = await engine.load(
      { modelPath: testModelPath('bench60m', 'Q8_0'), threads: 1, contextSize: 4096 },
      (step) => steps.push(step),
    );
    expect(steps[0]).toMatchObject({ step: 0, action: 'initial', contextSize: 4096, outcome: 'failed' });
    expect(steps[0]?.message).toMatch(/too large for the available RAM/);
    expect(steps.at(-1)).toMatchObject({ outcome: 'loaded', action: 'smaller-context' });
    expect(steps.filter((s) => s.outcome === 'loaded')).toHaveLength(1);
    expect(result.contextSize).toBeLessThan(4096);
    expect(result.contextSize).toBe(steps.at(-1)?.contextSize);
    expect(result.attempts).toBe(steps.length);
    expect(result.modelShape).toMatch(/^llama 58M /);
  });

  it('gives up with OUT_OF_MEMORY and says what it tried when nothing fits', async () => {
    const tight = new Engine({ gpu: false, sequences: 4, ramCapBytes: 70e6 });
    const steps: LoadStep[] = [];
    try {
      const error = await tight
        .load({ modelPath: testModelPath('bench60m', 'Q8_0'), threads: 1, contextSize: 2048 }, (s) =>
          steps.push(s),
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('OUT_OF_MEMORY');
      expect((error as EngineError).message).toMatch(/Tried \d+ configurations/);
      expect(steps.length).toBeGreaterThan(1);
      expect(steps.every((s) => s.outcome === 'failed')).toBe(true);
    } finally {
      await tight.dispose();
    }
  });
});
