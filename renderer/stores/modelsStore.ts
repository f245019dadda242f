import { create } from 'zustand';
import type { AppError, EngineStatus, ModelFile, ModelsFolder } from '../../electron/shared/contract';
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
  // The library (issue 4)
  folders: ModelsFolder[];
  /** The last library action that failed (import, delete, folders); separate from load errors. */
  libraryError: AppError | null;
  /** True while an import, delete or folder change is on its way. */
  libraryBusy: boolean;
  refreshFolders(): Promise<void>;
  addFolder(path: string, readOnly?: boolean): Promise<boolean>;
  removeFolder(folderId: string): Promise<boolean>;
  importPath(path: string): Promise<boolean>;
  /** Only after the person confirmed in the UI. */
  deleteModel(modelId: string): Promise<boolean>;
  dismissLibraryError(): void;
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

  folders: [],
  libraryError: null,
  libraryBusy: false,

  async refreshFolders() {
    const result = await api.libraryFolders();
    if (result.ok) set({ folders: result.value });
  },

  async addFolder(path, readOnly) {
    return libraryAction(
      set,
      () => api.libraryAddFolder({ path, readOnly }),
      (folders) => set({ folders }),
    );
  },

  async removeFolder(folderId) {
    return libraryAction(
      set,
      () => api.libraryRemoveFolder({ folderId }),
      (folders) => set({ folders }),
    );
  },

  async importPath(path) {
    return libraryAction(
      set,
      () => api.libraryImport({ path }),
      ({ folders }) => set({ folders }),
    );
  },

  async deleteModel(modelId) {
    return libraryAction(
      set,
      () => api.libraryDelete({ modelId, confirm: true }),
      () => undefined,
    );
  },

  dismissLibraryError() {
    set({ libraryError: null });
  },
}));

/** Runs one library call; main announces the new list with `models:changed`, which refreshes the models. */
async function libraryAction<T>(
  set: (patch: Partial<ModelsStore>) => void,
  call: () => Promise<{ ok: true; value: T } | { ok: false; error: AppError }>,
  onValue: (value: T) => void,
): Promise<boolean> {
  set({ libraryBusy: true, libraryError: null });
  const result = await call();
  set({ libraryBusy: false });
  if (!result.ok) {
    set({ libraryError: result.error });
    return false;
  }
  onValue(result.value);
  return true;
}
