import { useEffect, useMemo } from 'react';
import type { CatalogModel } from '../../../electron/shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { Icon } from '../../components/Icon';
import { formatBytes } from '../../lib/format';
import { recommend, type FitCandidate } from '../../lib/recommend';
import { useCatalogStore } from '../../stores/catalogStore';
import { fitKey, useFitStore } from '../../stores/fitStore';
import { estimateTarget } from './CatalogCard';
import { DownloadAction } from './DownloadAction';

/** Judges every catalog model and quantization for this machine and names the one to start with. */
export function RecommendedPick({ models }: { models: CatalogModel[] }) {
  const fits = useFitStore((s) => s.fits);
  const request = useFitStore((s) => s.request);
  const selectQuant = useCatalogStore((s) => s.selectQuant);

  useEffect(() => {
    for (const model of models) for (const quant of model.quants) void request(estimateTarget(model, quant));
  }, [models, request]);

  const pick = useMemo(() => {
    const candidates: FitCandidate[] = [];
    for (const model of models) {
      for (const quant of model.quants) {
        const fit = fits[fitKey(estimateTarget(model, quant))];
        if (fit) candidates.push({ model, quant, fit });
      }
    }
    return recommend(candidates);
  }, [models, fits]);

  if (!pick) return null;
  return (
    <section
      data-testid="recommended-pick"
      data-catalog-id={pick.model.catalogId}
      data-quant={pick.quant.quant}
      className="flex flex-wrap items-center gap-4 rounded-xl border border-indigo-500/30 bg-indigo-500/10 p-4"
    >
      <div className="flex size-9 items-center justify-center rounded-lg bg-indigo-500/20 text-indigo-200">
        <Icon name="sparkle" />
      </div>
      <div className="min-w-0 flex-1">
        <p className="text-[11px] font-medium tracking-wide text-indigo-300 uppercase">
          Recommended for this machine
        </p>
        <p className="text-sm font-semibold text-zinc-100">
          {pick.model.name} · {pick.quant.quant}{' '}
          <span className="font-normal text-zinc-400">~{formatBytes(pick.quant.approxSizeBytes)}</span>
        </p>
        <p className="mt-0.5 text-xs text-zinc-400">{pick.fit.explanation}</p>
      </div>
      <FitBadge target={estimateTarget(pick.model, pick.quant)} />
      <div className="min-w-40" onClickCapture={() => selectQuant(pick.model.catalogId, pick.quant.quant)}>
        <DownloadAction source={{ repo: pick.model.repo, revision: 'main', file: pick.quant.file }} />
      </div>
    </section>
  );
}
