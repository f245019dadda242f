import type { EngineState } from '../../../electron/shared/contract';
import { Spinner } from '../../components/Spinner';
import { formatEngineStatus } from '../../lib/format';
import { useEngineStore } from '../../stores/engineStore';

const dotColors: Record<EngineState, string> = {
  starting: 'bg-amber-400',
  idle: 'bg-zinc-500',
  loading: 'bg-amber-400',
  ready: 'bg-emerald-400',
  crashed: 'bg-red-500',
  stopped: 'bg-zinc-600',
};

export function EngineStatusBadge() {
  const status = useEngineStore((s) => s.status);
  const busy = status?.state === 'loading' || status?.state === 'starting';
  const details = status
    ? [
        status.pid !== null && `Engine process ${status.pid}`,
        status.contextSize !== null && `context ${status.contextSize} tokens`,
        status.restarts > 0 && `restarted ${status.restarts}×`,
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;

  return (
    <div
      data-testid="engine-status"
      data-state={status?.state ?? 'unknown'}
      title={details || undefined}
      className="flex h-8 items-center gap-2 rounded-full border border-zinc-800 bg-zinc-900 px-3 text-xs text-zinc-300"
    >
      {busy ? (
        <Spinner className="size-2.5 text-amber-400" />
      ) : (
        <span className={`size-2 rounded-full ${status ? dotColors[status.state] : 'bg-zinc-600'}`} />
      )}
      <span className="whitespace-nowrap">{formatEngineStatus(status)}</span>
    </div>
  );
}
