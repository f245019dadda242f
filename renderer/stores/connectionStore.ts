import { create } from 'zustand';
import type { ConnectionState } from '../api/serveClient';

export interface ConnectionStore {
  state: ConnectionState;
  setState(state: ConnectionState): void;
}

export const useConnectionStore = create<ConnectionStore>()((set) => ({
  state: 'open',
  setState: (state) => set({ state }),
}));
