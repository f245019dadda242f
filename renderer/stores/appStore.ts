import { create } from 'zustand';
import type { AppInfo } from '../../electron/shared/contract';
import { api } from '../api/api';

export interface AppStore {
  info: AppInfo | null;
  hydrate(): Promise<void>;
}

export const useAppStore = create<AppStore>()((set) => ({
  info: null,
  async hydrate() {
    const result = await api.appInfo();
    if (result.ok) set({ info: result.value });
  },
}));
