import { create } from 'zustand';
import type { AppError, HfSetSettingsArgs, HfSettings } from '../../electron/shared/contract';
import { api } from '../api/api';

/** The Hugging Face connection: which endpoint (a mirror, or HF_ENDPOINT) and whether a token is set. */
export interface HubStore {
  settings: HfSettings | null;
  saving: boolean;
  error: AppError | null;
  /** A short confirmation after a save, e.g. "Saved." */
  notice: string | null;
  load(): Promise<void>;
  save(args: HfSetSettingsArgs): Promise<boolean>;
}

export const useHubStore = create<HubStore>()((set) => ({
  settings: null,
  saving: false,
  error: null,
  notice: null,

  async load() {
    const result = await api.hfGetSettings();
    if (result.ok) set({ settings: result.value, error: null });
    else set({ error: result.error });
  },

  async save(args) {
    set({ saving: true, error: null, notice: null });
    const result = await api.hfSetSettings(args);
    if (!result.ok) {
      set({ saving: false, error: result.error });
      return false;
    }
    set({ saving: false, settings: result.value, notice: 'Saved.' });
    return true;
  },
}));
