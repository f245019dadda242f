import type { ThreadChoice } from '../../../electron/shared/contract';
import { Spinner } from '../../components/Spinner';

const sources: Record<ThreadChoice['source'], string> = {
  calibrated: 'measured on this machine',
  default: 'default rule (not calibrated yet)',
  env: 'set by EDGEWISE_THREADS or --threads',
};

export function ThreadsCard(props: {
  threads: ThreadChoice;
  canCalibrate: boolean;
  calibrating: boolean;
  onCalibrate(): void;
}) {
  const { threads } = props;
  const best = Math.max(0, ...threads.measurements.map((m) => m.tokensPerSecond));
  return (
    <section
      data-testid="hardware-threads"
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3"
    >
      <div className="flex items-center gap-3">
        <h2 className="text-base font-semibold text-zinc-100">Threads</h2>
        <span className="text-sm text-zinc-300" data-testid="thread-count">
          {threads.threads} ({sources[threads.source]})
        </span>
        <button
          type="button"
          data-testid="calibrate-button"
          disabled={!props.canCalibrate || props.calibrating}
          onClick={props.onCalibrate}
          title={props.canCalibrate ? undefined : 'Load a model first: threads are calibrated on it.'}
          className="ml-auto flex items-center gap-2 rounded-md border border-zinc-700 px-3 py-1 text-sm text-zinc-200 hover:bg-zinc-800 disabled:opacity-50"
        >
          {props.calibrating && <Spinner className="size-3" />}
          Calibrate on the loaded model
        </button>
      </div>
      {threads.measurements.length > 0 && (
        <table className="mt-3 text-sm">
          <tbody>
            {threads.measurements.map((m) => (
              <tr
                key={m.threads}
                className={m.threads === threads.threads ? 'text-emerald-300' : 'text-zinc-300'}
              >
                <td className="pr-4">
                  {m.threads} thread{m.threads === 1 ? '' : 's'}
                </td>
                <td className="pr-4 text-right tabular-nums">{m.tokensPerSecond.toFixed(1)} tok/s</td>
                <td className="text-zinc-500">
                  {best > 0 ? `${Math.round((m.tokensPerSecond / best) * 100)}%` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {threads.modelShape && <p className="mt-2 text-xs text-zinc-500">Measured on {threads.modelShape}.</p>}
    </section>
  );
}
