import type { LoadStepEvent } from '../../../electron/shared/contract';

const actions: Record<LoadStepEvent['action'], string> = {
  initial: 'First try',
  'smaller-context': 'Smaller context',
  'fewer-gpu-layers': 'Fewer GPU layers',
  'cpu-only': 'CPU only',
};

/** The loading ladder of the latest load, shown when it had to step down. */
export function LoadSteps({ steps }: { steps: LoadStepEvent[] }) {
  if (!steps.some((s) => s.outcome === 'failed')) return null;
  return (
    <section
      data-testid="load-steps"
      className="rounded-lg border border-amber-900/60 bg-amber-950/30 px-4 py-3"
    >
      <h2 className="text-base font-semibold text-amber-200">
        The last load ran out of memory and stepped down
      </h2>
      <ol className="mt-2 space-y-1 text-sm">
        {steps.map((s) => (
          <li
            key={s.step}
            data-outcome={s.outcome}
            className={s.outcome === 'loaded' ? 'text-emerald-300' : 'text-zinc-300'}
          >
            {actions[s.action]}: {s.contextSize} tokens, {s.gpuLayers === null ? 'all' : s.gpuLayers} GPU
            layers — {s.message}
          </li>
        ))}
      </ol>
      <p className="mt-2 text-xs text-zinc-500">Edgewise remembers what worked and starts there next time.</p>
    </section>
  );
}
