import { create } from 'zustand';
import type { AppError, EngineStatus } from '../../electron/shared/contract';
import { api } from '../api/api';

export interface EngineStore {
  status: EngineStatus | null;
  /** Counts applied status events, so a call's answer never overwrites a newer event. */
  seq: number;
  /** The `lastError` the user dismissed; a different error, or a new crash, shows again. */
  dismissedErrorKey: string | null;
  applyStatus(status: EngineStatus): void;
  /** Applies a status that a call returned, unless an event has arrived since `seqAtCall`. */
  applyCallStatus(status: EngineStatus, seqAtCall: number): void;
  refresh(): Promise<void>;
  dismissError(): void;
}

export function errorKey(error: AppError): string {
  return `${error.code}:${error.message}`;
}

export const useEngineStore = create<EngineStore>()((set, get) => ({
  status: null,
  seq: 0,
  dismissedErrorKey: null,

  applyStatus(status) {
    set((s) => {
      const newCrash = status.state === 'crashed' && s.status?.state !== 'crashed';
      return {
        status,
        seq: s.seq + 1,
        dismissedErrorKey: newCrash || !status.lastError ? null : s.dismissedErrorKey,
      };
    });
  },

  applyCallStatus(status, seqAtCall) {
    if (get().seq === seqAtCall) set({ status });
  },

  async refresh() {
    const seqAtCall = get().seq;
    const result = await api.engineStatus();
    if (result.ok) get().applyCallStatus(result.value, seqAtCall);
  },

  dismissError() {
    const visible = visibleEngineError(get().status, null);
    set({ dismissedErrorKey: visible ? errorKey(visible) : null });
  },
}));

const CRASHED: AppError = {
  code: 'ENGINE_CRASHED',
  message: 'The engine stopped unexpectedly. Edgewise is restarting it.',
};

/** The engine's error the banner should show, or null. */
export function visibleEngineError(
  status: EngineStatus | null,
  dismissedKey: string | null,
): AppError | null {
  if (!status) return null;
  const error = status.lastError ?? (status.state === 'crashed' ? CRASHED : null);
  return error && errorKey(error) !== dismissedKey ? error : null;
}
