import { create } from 'zustand';
import type { AppError, EngineStatus, ModelFile } from '../../electron/shared/contract';
import { api } from '../api/api';
import { useEngineStore } from './engineStore';

export interface ModelsStore {
  models: Record<string, ModelFile>;
  /** Display order. */
  modelIds: string[];
  /** `loaded` once the first scan has answered. */
  listState: 'idle' | 'loading' | 'loaded';
  /** What the picker shows: the engine's model, or the one the user just picked while it loads. */
  selectedModelId: string | null;
  error: AppError | null;
  refresh(): Promise<void>;
  select(modelId: string): Promise<void>;
  syncFromEngine(status: EngineStatus): void;
  dismissError(): void;
}

export const useModelsStore = create<ModelsStore>()((set, get) => ({
  models: {},
  modelIds: [],
  listState: 'idle',
  selectedModelId: null,
  error: null,

  async refresh() {
    set({ listState: get().listState === 'loaded' ? 'loaded' : 'loading' });
    const result = await api.modelsList();
    if (!result.ok) {
      set({ listState: 'loaded', error: result.error });
      return;
    }
    const models: Record<string, ModelFile> = {};
    for (const model of result.value.models) models[model.modelId] = model;
    const modelIds = [...result.value.models]
      .sort((a, b) => a.fileName.localeCompare(b.fileName))
      .map((m) => m.modelId);
    set({ models, modelIds, listState: 'loaded' });
  },

  async select(modelId) {
    set({ selectedModelId: modelId, error: null });
    const engine = useEngineStore.getState();
    const result = await api.engineLoad({ modelId });
    if (!result.ok) {
      set({
        error: result.error,
        selectedModelId: useEngineStore.getState().status?.modelId ?? null,
      });
      return;
    }
    useEngineStore.getState().applyCallStatus(result.value.status, engine.seq);
  },

  syncFromEngine(status) {
    if (status.modelId) set({ selectedModelId: status.modelId });
    else if (status.state === 'idle' || status.state === 'stopped') set({ selectedModelId: null });
  },

  dismissError() {
    set({ error: null });
  },
}));
