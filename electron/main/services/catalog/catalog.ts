import { z } from 'zod';
import type { CatalogListResult } from '../../../shared/contract';
import { ServiceError } from '../errors';

const quantName = /^(?:[IT]?Q\d(?:_[0-9A-Z]+)*|F16|BF16|F32|MXFP4(?:_MOE)?)$/;
/** A file name inside a repository: no separators, no `..`, ends in `.gguf`. */
const fileName = z
  .string()
  .regex(/^[\w.+-]+\.gguf$/, 'must be a plain .gguf file name')
  .refine((name) => !name.includes('..'), 'must not contain ".."');

export const catalogQuantSchema = z.strictObject({
  quant: z.string().regex(quantName, 'must be a llama.cpp quantization name such as Q4_K_M'),
  file: fileName,
  approxSizeBytes: z.number().int().positive(),
});

export const catalogModelSchema = z
  .strictObject({
    catalogId: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    family: z.string().min(1),
    name: z.string().min(1),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
    parameters: z.number().positive(),
    activeParameters: z.number().positive().optional(),
    license: z.string().min(1),
    contextLength: z.number().int().min(512),
    capabilities: z.strictObject({ thinking: z.boolean(), tools: z.boolean(), multilingual: z.boolean() }),
    description: z.string().min(1).max(160),
    quants: z.array(catalogQuantSchema).min(1),
  })
  .refine((m) => m.activeParameters === undefined || m.activeParameters < m.parameters, {
    message: 'activeParameters must be fewer than parameters',
  });

export const catalogFileSchema = z
  .strictObject({
    version: z.string().min(1),
    models: z.array(catalogModelSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const model of file.models) {
      if (seen.has(model.catalogId))
        ctx.addIssue({ code: 'custom', message: `duplicate ${model.catalogId}` });
      seen.add(model.catalogId);
    }
  });

export type CatalogDataFile = z.input<typeof catalogFileSchema>;

/** Bits per weight of each quantization, roughly; the sanity check on catalog sizes uses them. */
export const BITS_PER_WEIGHT: Record<string, number> = {
  Q4_K_M: 4.85,
  Q5_K_M: 5.7,
  Q6_K: 6.56,
  Q8_0: 8.5,
  F16: 16,
};

let cached: CatalogListResult | null = null;

/** Validates the catalog data once; a broken catalog is a bug in Edgewise, reported as INTERNAL. */
export async function loadCatalog(): Promise<CatalogListResult> {
  if (cached) return cached;
  const { CATALOG_DATA } = await import('./catalogData');
  const parsed = catalogFileSchema.safeParse(CATALOG_DATA);
  if (!parsed.success) {
    throw new ServiceError('INTERNAL', `The model catalog is malformed: ${parsed.error.message}`);
  }
  cached = parsed.data;
  return cached;
}
