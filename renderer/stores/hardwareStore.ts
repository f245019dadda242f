import { create } from 'zustand';
import type {
  AppError,
  BackendPreference,
  HardwareProfile,
  LoadStepEvent,
} from '../../electron/shared/contract';
import { api } from '../api/api';

export interface HardwareStore {
  profile: HardwareProfile | null;
  /** The loading ladder's attempts for the latest load, oldest first. */
  loadSteps: LoadStepEvent[];
  /** A call in flight: re-testing, switching backend, or calibrating. */
  busy: 'reprobe' | 'backend' | 'calibrate' | null;
  error: AppError | null;
  refresh(): Promise<void>;
  applyProfile(profile: HardwareProfile): void;
  applyLoadStep(step: LoadStepEvent): void;
  reprobe(): Promise<void>;
  setBackend(backend: BackendPreference): Promise<void>;
  calibrate(): Promise<void>;
  dismissError(): void;
}

export const useHardwareStore = create<HardwareStore>()((set, get) => ({
  profile: null,
  loadSteps: [],
  busy: null,
  error: null,

  async refresh() {
    const result = await api.hardwareProfile();
    if (result.ok) set({ profile: result.value });
    else set({ error: result.error });
  },

  applyProfile(profile) {
    set({ profile });
  },

  applyLoadStep(step) {
    // Step 0 starts a new load: the ladder shown is always one load's.
    set((s) => ({ loadSteps: step.step === 0 ? [step] : [...s.loadSteps, step] }));
  },

  async reprobe() {
    await run(set, 'reprobe', () => api.hardwareReprobe());
  },

  async setBackend(backend) {
    await run(set, 'backend', () => api.hardwareSetBackend({ backend }));
  },

  async calibrate() {
    if (get().busy) return;
    set({ busy: 'calibrate', error: null });
    const result = await api.hardwareCalibrate();
    set({ busy: null, ...(result.ok ? {} : { error: result.error }) });
    // The new thread choice arrives with the next `hardware:changed`; ask now in case it was missed.
    if (result.ok) await get().refresh();
  },

  dismissError() {
    set({ error: null });
  },
}));

async function run(
  set: (patch: Partial<HardwareStore>) => void,
  busy: NonNullable<HardwareStore['busy']>,
  call: () => Promise<{ ok: true; value: HardwareProfile } | { ok: false; error: AppError }>,
): Promise<void> {
  set({ busy, error: null });
  const result = await call();
  if (result.ok) set({ busy: null, profile: result.value });
  else set({ busy: null, error: result.error });
}
