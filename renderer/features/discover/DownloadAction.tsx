import type { HfSource } from '../../../electron/shared/contract';
import { DownloadProgress } from '../../components/DownloadProgress';
import { Icon } from '../../components/Icon';
import { downloadFor, useDownloadsStore } from '../../stores/downloadsStore';

/** A file's Download button, or its download's progress once one exists. */
export function DownloadAction({ source, label = 'Download' }: { source: HfSource; label?: string }) {
  const item = useDownloadsStore((s) => downloadFor(s, source));
  const start = useDownloadsStore((s) => s.start);
  if (item && item.state !== 'cancelled') return <DownloadProgress item={item} compact />;
  return (
    <button
      type="button"
      data-testid="download-button"
      onClick={() => void start(source)}
      className="inline-flex items-center gap-1.5 rounded-lg bg-indigo-500 px-3 py-1.5 text-xs font-medium text-white shadow-sm hover:bg-indigo-400 focus:ring-2 focus:ring-indigo-400/50 focus:outline-none"
    >
      <Icon name="download" className="size-3.5" />
      {label}
    </button>
  );
}
