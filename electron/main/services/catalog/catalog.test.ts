import { describe, expect, it } from 'vitest';
import { BITS_PER_WEIGHT, catalogFileSchema, loadCatalog } from './catalog';
import { CATALOG_DATA } from './catalogData';

describe('the model catalog', () => {
  it('passes its schema and has a version', async () => {
    expect(catalogFileSchema.safeParse(CATALOG_DATA).success).toBe(true);
    const catalog = await loadCatalog();
    expect(catalog.version).toMatch(/^\d{4}\.\d+\.\d+$/);
  });

  it('has unique ids and at least one quantization per model, each file unique in its repository', async () => {
    const { models } = await loadCatalog();
    expect(new Set(models.map((m) => m.catalogId)).size).toBe(models.length);
    for (const model of models) {
      expect(model.quants.length, model.catalogId).toBeGreaterThan(0);
      expect(new Set(model.quants.map((q) => q.file)).size, model.catalogId).toBe(model.quants.length);
      for (const quant of model.quants) expect(quant.file, model.catalogId).toContain(quant.quant);
    }
  });

  it('covers the families the issue names', async () => {
    const ids = (await loadCatalog()).models.map((m) => m.catalogId);
    for (const id of [
      'qwen3-0.6b',
      'qwen3-1.7b',
      'qwen3-4b',
      'qwen3-8b',
      'qwen3-14b',
      'qwen3-30b-a3b',
      'phi-4-mini-instruct',
      'phi-4-mini-reasoning',
      'gemma-3-1b-it',
      'gemma-3-4b-it',
      'gemma-3-12b-it',
      'llama-3.2-1b-instruct',
      'llama-3.2-3b-instruct',
      'deepseek-r1-distill-qwen-1.5b',
      'deepseek-r1-distill-qwen-7b',
      'smollm3-3b',
      'granite-4.0-h-tiny',
      'lfm2-1.2b',
    ]) {
      expect(ids).toContain(id);
    }
    const moe = (await loadCatalog()).models.find((m) => m.catalogId === 'qwen3-30b-a3b');
    expect(moe?.activeParameters).toBeGreaterThan(3e9);
    expect(moe?.activeParameters).toBeLessThan(3.5e9);
  });

  it('has sizes that are plausible for parameters × bits per weight', async () => {
    for (const model of (await loadCatalog()).models) {
      for (const quant of model.quants) {
        const bits = BITS_PER_WEIGHT[quant.quant];
        expect(bits, `${model.catalogId} ${quant.quant}: known quantization`).toBeDefined();
        const expected = (model.parameters * bits!) / 8;
        const ratio = quant.approxSizeBytes / expected;
        // Embeddings kept at higher precision and metadata push real files above the estimate; never far.
        expect(
          ratio,
          `${model.catalogId} ${quant.quant}: ${quant.approxSizeBytes} vs ${expected}`,
        ).toBeGreaterThan(0.75);
        expect(ratio, `${model.catalogId} ${quant.quant}`).toBeLessThan(1.4);
      }
    }
  });

  it('rejects a file with a duplicate id or a path in a file name', () => {
    const model = CATALOG_DATA.models[0]!;
    expect(catalogFileSchema.safeParse({ ...CATALOG_DATA, models: [model, model] }).success).toBe(false);
    const evil = { ...model, quants: [{ quant: 'Q8_0', file: '../Q8_0.gguf', approxSizeBytes: 1 }] };
    expect(catalogFileSchema.safeParse({ ...CATALOG_DATA, models: [evil] }).success).toBe(false);
  });
});
