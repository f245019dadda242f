import type { CatalogModel, CatalogQuant, FitEstimate, FitVerdict } from '../../electron/shared/contract';

export interface FitCandidate {
  model: CatalogModel;
  quant: CatalogQuant;
  fit: FitEstimate;
}

/** Below this a chat feels sluggish; the pick prefers a smaller model that clears it. */
export const COMFORTABLE_TOKENS_PER_SECOND = 10;

const verdictRank: Record<FitVerdict, number> = { gpu: 3, partial: 2, cpu: 1, no: 0 };

function comfortable(fit: FitEstimate): boolean {
  if (fit.verdict === 'gpu')
    return (fit.expectedTokensPerSecond ?? Infinity) >= COMFORTABLE_TOKENS_PER_SECOND;
  if (fit.verdict === 'cpu') return (fit.expectedTokensPerSecond ?? 0) >= COMFORTABLE_TOKENS_PER_SECOND;
  return false;
}

/**
 * "Recommended for this machine": the largest catalog model and quantization that runs fully on the GPU or on
 * the CPU at a comfortable speed; failing that, the one that fits best (verdict first, then speed).
 */
export function recommend(candidates: readonly FitCandidate[]): FitCandidate | null {
  const good = candidates.filter((c) => comfortable(c.fit));
  if (good.length > 0) {
    return good.reduce((best, c) =>
      c.model.parameters > best.model.parameters ||
      (c.model.parameters === best.model.parameters && c.quant.approxSizeBytes > best.quant.approxSizeBytes)
        ? c
        : best,
    );
  }
  const fitting = candidates.filter((c) => c.fit.verdict !== 'no');
  if (fitting.length === 0) return null;
  return fitting.reduce((best, c) => {
    const byVerdict = verdictRank[c.fit.verdict] - verdictRank[best.fit.verdict];
    if (byVerdict !== 0) return byVerdict > 0 ? c : best;
    const bySpeed = (c.fit.expectedTokensPerSecond ?? 0) - (best.fit.expectedTokensPerSecond ?? 0);
    if (bySpeed !== 0) return bySpeed > 0 ? c : best;
    return c.quant.approxSizeBytes < best.quant.approxSizeBytes ? c : best;
  });
}
