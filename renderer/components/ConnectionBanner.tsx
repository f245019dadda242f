import { useConnectionStore } from '../stores/connectionStore';
import { Spinner } from './Spinner';

/** Serve mode only: the browser lost its socket to the service and is trying again. */
export function ConnectionBanner() {
  const state = useConnectionStore((s) => s.state);
  if (state !== 'reconnecting') return null;
  return (
    <div
      role="status"
      data-testid="connection-status"
      className="flex items-center justify-center gap-2 border-b border-amber-500/20 bg-amber-500/10 px-4 py-1.5 text-xs text-amber-200"
    >
      <Spinner className="size-3" />
      Reconnecting…
    </div>
  );
}
