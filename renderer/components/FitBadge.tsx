import { useEffect } from 'react';
import type { FitTarget, FitVerdict } from '../../electron/shared/contract';
import { fitKey, useFitStore } from '../stores/fitStore';

const labels: Record<FitVerdict, string> = {
  gpu: 'Runs on GPU',
  partial: 'Partly on GPU',
  cpu: 'Runs on CPU',
  no: 'Too big',
};

const styles: Record<FitVerdict, string> = {
  gpu: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30',
  partial: 'bg-sky-500/10 text-sky-300 ring-sky-500/30',
  cpu: 'bg-amber-500/10 text-amber-200 ring-amber-500/30',
  no: 'bg-red-500/10 text-red-300 ring-red-500/30',
};

/** This machine's verdict for a model; nothing at all while unknown or when the estimate is unavailable. */
export function FitBadge({ target }: { target: FitTarget }) {
  const key = fitKey(target);
  const fit = useFitStore((s) => s.fits[key]);
  const request = useFitStore((s) => s.request);
  useEffect(() => {
    void request(target);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the target; the object is rebuilt every render
  }, [key, request]);
  if (!fit) return null;
  const speed = fit.expectedTokensPerSecond;
  return (
    <span
      data-testid="fit-badge"
      data-verdict={fit.verdict}
      title={fit.explanation}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ${styles[fit.verdict]}`}
    >
      {labels[fit.verdict]}
      {speed !== null && fit.verdict !== 'no' && (
        <span className="opacity-75">· {speed >= 1000 ? '1000+' : `~${Math.round(speed)}`} tok/s</span>
      )}
    </span>
  );
}
