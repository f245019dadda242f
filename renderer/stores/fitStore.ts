import { create } from 'zustand';
import type { FitEstimate, FitTarget } from '../../electron/shared/contract';
import { api } from '../api/api';

/** `null`: asked and no answer (the hardware probe is unavailable or failed) — show no badge, not an error. */
export type FitEntry = FitEstimate | null;

export interface FitStore {
  fits: Record<string, FitEntry>;
  /** Asks main once per target; later calls for the same target return the cached answer. */
  request(target: FitTarget): Promise<FitEntry>;
  /** Forget local models' answers (the library changed: a file may have been replaced). */
  forgetLocal(): void;
}

export function fitKey(target: FitTarget): string {
  switch (target.kind) {
    case 'local':
      return `local:${target.modelId}`;
    case 'remote':
      return `remote:${target.url}`;
    case 'estimate':
      return `estimate:${target.fileSizeBytes}:${target.parameters ?? ''}:${target.activeParameters ?? ''}:${target.contextLength ?? ''}`;
    default:
      return target satisfies never;
  }
}

const inFlight = new Map<string, Promise<FitEntry>>();

export const useFitStore = create<FitStore>()((set, get) => ({
  fits: {},

  request(target) {
    const key = fitKey(target);
    const known = get().fits[key];
    if (known !== undefined) return Promise.resolve(known);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const promise = (async (): Promise<FitEntry> => {
      let entry: FitEntry = null;
      try {
        const result = await api.hardwareFit({ target });
        entry = result.ok ? result.value : null;
      } catch {
        // An older main without the hardware domain: no badge.
        entry = null;
      }
      set((s) => ({ fits: { ...s.fits, [key]: entry } }));
      inFlight.delete(key);
      return entry;
    })();
    inFlight.set(key, promise);
    return promise;
  },

  forgetLocal() {
    set((s) => ({
      fits: Object.fromEntries(Object.entries(s.fits).filter(([key]) => !key.startsWith('local:'))),
    }));
  },
}));

/** Test helper: clears cached requests along with the store. */
export function resetFitRequests(): void {
  inFlight.clear();
}
