import type { DownloadItem } from '../../electron/shared/contract';
import { formatBytes, formatEta, formatSpeed } from '../lib/format';
import { isActive, useDownloadsStore } from '../stores/downloadsStore';
import { Icon } from './Icon';

const stateLabels: Record<DownloadItem['state'], string> = {
  queued: 'Waiting',
  downloading: 'Downloading',
  paused: 'Paused',
  verifying: 'Checking the file',
  done: 'Downloaded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function percentOf(item: DownloadItem): number | null {
  if (item.state === 'done') return 100;
  if (!item.totalBytes) return null;
  return Math.min(100, Math.floor((item.receivedBytes / item.totalBytes) * 100));
}

function detail(item: DownloadItem): string {
  const parts: string[] = [];
  parts.push(
    item.totalBytes
      ? `${formatBytes(item.receivedBytes)} of ${formatBytes(item.totalBytes)}`
      : formatBytes(item.receivedBytes),
  );
  if (item.state === 'downloading') {
    if (item.bytesPerSecond > 0) parts.push(formatSpeed(item.bytesPerSecond));
    if (item.etaSeconds !== null) parts.push(`${formatEta(item.etaSeconds)} left`);
  }
  if (item.attempts > 1 && isActive(item)) parts.push(`attempt ${item.attempts}`);
  return parts.join(' · ');
}

/** One download: a progress bar, what is happening in words, and what the person can do about it. */
export function DownloadProgress({ item, compact = false }: { item: DownloadItem; compact?: boolean }) {
  const pause = useDownloadsStore((s) => s.pause);
  const resume = useDownloadsStore((s) => s.resume);
  const cancel = useDownloadsStore((s) => s.cancel);
  const retry = useDownloadsStore((s) => s.retry);
  const dismiss = useDownloadsStore((s) => s.dismiss);
  const percent = percentOf(item);
  const bar =
    item.state === 'failed'
      ? 'bg-red-500'
      : item.state === 'done'
        ? 'bg-emerald-500'
        : item.state === 'paused' || item.state === 'cancelled'
          ? 'bg-zinc-500'
          : 'bg-indigo-500';

  const button =
    'inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800 hover:text-zinc-100';

  return (
    <div
      data-testid="download-progress"
      data-state={item.state}
      data-download-id={item.downloadId}
      data-model-id={item.modelId ?? undefined}
      className="min-w-0"
    >
      <div className="flex items-center justify-between gap-3 text-xs">
        <span className="truncate text-zinc-300">
          {!compact && <span className="font-medium text-zinc-100">{item.fileName} · </span>}
          {stateLabels[item.state]}
          {percent !== null && item.state !== 'done' && <span> · {percent}%</span>}
        </span>
        <span className="flex shrink-0 gap-1.5">
          {(item.state === 'downloading' || item.state === 'queued') && (
            <button
              type="button"
              className={button}
              data-testid="download-pause"
              onClick={() => void pause(item.downloadId)}
            >
              <Icon name="pause" className="size-3" /> Pause
            </button>
          )}
          {item.state === 'paused' && (
            <button
              type="button"
              className={button}
              data-testid="download-resume"
              onClick={() => void resume(item.downloadId)}
            >
              <Icon name="play" className="size-3" /> Resume
            </button>
          )}
          {item.state === 'failed' && (
            <button
              type="button"
              className={button}
              data-testid="download-retry"
              onClick={() => void retry(item.downloadId)}
            >
              <Icon name="refresh" className="size-3" /> Retry
            </button>
          )}
          {(isActive(item) || item.state === 'paused') && item.state !== 'verifying' && (
            <button
              type="button"
              className={button}
              data-testid="download-cancel"
              onClick={() => void cancel(item.downloadId)}
            >
              Cancel
            </button>
          )}
          {!compact && (item.state === 'done' || item.state === 'failed' || item.state === 'cancelled') && (
            <button
              type="button"
              className={button}
              aria-label="Remove from the list"
              data-testid="download-dismiss"
              onClick={() => void dismiss(item.downloadId)}
            >
              <Icon name="close" className="size-3" />
            </button>
          )}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`${item.fileName} download`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-zinc-800"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-300 ${bar} ${percent === null && isActive(item) ? 'animate-pulse' : ''}`}
          style={{ width: `${percent ?? (isActive(item) ? 100 : 0)}%` }}
        />
      </div>
      <p className="mt-1 text-[11px] text-zinc-500">{detail(item)}</p>
      {item.error && item.state === 'failed' && (
        <p className="mt-1 text-xs text-red-300" data-testid="download-error" data-code={item.error.code}>
          {item.error.message}
        </p>
      )}
    </div>
  );
}
