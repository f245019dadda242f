import type { EngineStatus } from '../../../electron/shared/contract';

/** What stands between the user and a reply, in the order the UI explains it. */
export type Readiness =
  'connecting' | 'no-models' | 'no-model' | 'loading' | 'starting' | 'restarting' | 'stopped' | 'ready';

export function readiness(
  status: EngineStatus | null,
  listState: 'idle' | 'loading' | 'loaded',
  modelCount: number,
  connected = true,
): Readiness {
  if (!status || !connected) return 'connecting';
  if (status.state === 'ready' && status.modelId) return 'ready';
  if (status.state === 'loading') return 'loading';
  if (status.state === 'crashed' || (status.state === 'starting' && status.restarts > 0)) return 'restarting';
  if (status.state === 'starting') return 'starting';
  if (status.state === 'stopped') return 'stopped';
  if (listState === 'loaded' && modelCount === 0) return 'no-models';
  return 'no-model';
}

/** Why Send is unavailable, in words; null when it is available. */
export function sendBlockedReason(r: Readiness): string | null {
  switch (r) {
    case 'ready':
      return null;
    case 'connecting':
      return 'Connecting to the Edgewise service…';
    case 'no-models':
      return 'Add a .gguf model to a models folder to start chatting.';
    case 'no-model':
      return 'Pick a model above to send a message.';
    case 'loading':
      return 'The model is still loading.';
    case 'starting':
      return 'The engine is starting.';
    case 'restarting':
      return 'The engine is restarting after a crash.';
    case 'stopped':
      return 'The engine is stopped.';
    default:
      return r satisfies never;
  }
}
