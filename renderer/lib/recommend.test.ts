import { describe, expect, it } from 'vitest';
import type { CatalogModel, FitEstimate } from '../../electron/shared/contract';
import { recommend, type FitCandidate } from './recommend';

function model(catalogId: string, parameters: number): CatalogModel {
  return {
    catalogId,
    family: 'Test',
    name: catalogId,
    repo: `test/${catalogId}-GGUF`,
    parameters,
    license: 'mit',
    contextLength: 4096,
    capabilities: { thinking: false, tools: false, multilingual: false },
    description: 'x',
    quants: [],
  };
}

function candidate(
  id: string,
  parameters: number,
  size: number,
  verdict: FitEstimate['verdict'],
  tps: number | null,
): FitCandidate {
  return {
    model: model(id, parameters),
    quant: { quant: 'Q4_K_M', file: `${id}.gguf`, approxSizeBytes: size },
    fit: {
      verdict,
      ramBytes: 0,
      vramBytes: 0,
      gpuLayers: 0,
      totalLayers: null,
      contextSize: 4096,
      expectedTokensPerSecond: tps,
      explanation: '',
    },
  };
}

describe('recommend', () => {
  it('picks the largest model that runs at a comfortable speed', () => {
    const pick = recommend([
      candidate('small', 1e9, 1e9, 'cpu', 40),
      candidate('medium', 4e9, 2.5e9, 'cpu', 12),
      candidate('large', 8e9, 5e9, 'cpu', 6),
      candidate('huge', 30e9, 18e9, 'no', null),
    ]);
    expect(pick?.model.catalogId).toBe('medium');
  });

  it('prefers the bigger quantization of the same model when both are comfortable', () => {
    const a = candidate('m', 4e9, 2.5e9, 'gpu', 50);
    const b = candidate('m', 4e9, 4.3e9, 'gpu', 30);
    expect(recommend([a, b])).toBe(b);
  });

  it('falls back to the best fitting model when nothing is comfortable', () => {
    const pick = recommend([
      candidate('slow-cpu', 1e9, 1e9, 'cpu', 4),
      candidate('partial', 8e9, 5e9, 'partial', 3),
      candidate('no', 30e9, 18e9, 'no', null),
    ]);
    expect(pick?.model.catalogId).toBe('partial');
    expect(recommend([candidate('no', 30e9, 18e9, 'no', null)])).toBeNull();
    expect(recommend([])).toBeNull();
  });
});
