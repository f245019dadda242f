import { create } from 'zustand';
import type { ViewId } from '../views';

export interface NavStore {
  view: ViewId;
  go(view: ViewId): void;
}

export const useNavStore = create<NavStore>()((set) => ({
  view: 'chat',
  go: (view) => set({ view }),
}));
