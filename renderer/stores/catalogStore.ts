import { create } from 'zustand';
import type { AppError, CatalogModel, HfFile, HfRepoSummary, HfSource } from '../../electron/shared/contract';
import { api } from '../api/api';

export interface CatalogStore {
  version: string | null;
  models: CatalogModel[];
  state: 'idle' | 'loading' | 'loaded' | 'error';
  error: AppError | null;
  /** The quantization each card shows, by catalog id; absent means the card's default. */
  selectedQuant: Record<string, string>;
  load(): Promise<void>;
  selectQuant(catalogId: string, quant: string): void;
  // Hugging Face search: text finds repositories; a pasted `hf:` URI or URL resolves to one file.
  search: SearchState;
  submitSearch(input: string): Promise<void>;
  openRepo(repo: string): Promise<void>;
  clearSearch(): void;
}

export type SearchState =
  | { kind: 'idle' }
  | { kind: 'busy'; input: string }
  | { kind: 'error'; input: string; error: AppError }
  | { kind: 'repos'; query: string; repos: HfRepoSummary[] }
  | { kind: 'files'; repo: string; revision: string; files: HfFile[]; fromQuery: string | null }
  | { kind: 'resolved'; source: HfSource };

/** `hf:owner/repo/file.gguf` or a URL: resolve it rather than search for it. */
export function looksLikeSource(input: string): boolean {
  return /^(hf:|https?:\/\/)/i.test(input.trim());
}

/** Q4_K_M where published (the usual laptop trade-off), else the first listed. */
export function defaultQuant(model: CatalogModel): string {
  return (model.quants.find((q) => q.quant === 'Q4_K_M') ?? model.quants[0])?.quant ?? '';
}

export const useCatalogStore = create<CatalogStore>()((set, get) => ({
  version: null,
  models: [],
  state: 'idle',
  error: null,
  selectedQuant: {},

  async load() {
    if (get().state === 'loading' || get().state === 'loaded') return;
    set({ state: 'loading', error: null });
    const result = await api.catalogList();
    if (!result.ok) {
      set({ state: 'error', error: result.error });
      return;
    }
    set({ state: 'loaded', version: result.value.version, models: result.value.models });
  },

  selectQuant(catalogId, quant) {
    set((s) => ({ selectedQuant: { ...s.selectedQuant, [catalogId]: quant } }));
  },

  search: { kind: 'idle' },

  async submitSearch(raw) {
    const input = raw.trim();
    if (!input) {
      set({ search: { kind: 'idle' } });
      return;
    }
    set({ search: { kind: 'busy', input } });
    if (looksLikeSource(input)) {
      const result = await api.hfResolve({ input });
      set({
        search: result.ok
          ? { kind: 'resolved', source: result.value }
          : { kind: 'error', input, error: result.error },
      });
      return;
    }
    const result = await api.hfSearch({ query: input, limit: 30 });
    set({
      search: result.ok
        ? { kind: 'repos', query: input, repos: result.value }
        : { kind: 'error', input, error: result.error },
    });
  },

  async openRepo(repo) {
    const current = get().search;
    const fromQuery = current.kind === 'repos' ? current.query : null;
    set({ search: { kind: 'busy', input: repo } });
    const result = await api.hfFiles({ repo });
    set({
      search: result.ok
        ? {
            kind: 'files',
            repo: result.value.repo,
            revision: result.value.revision,
            files: result.value.files,
            fromQuery,
          }
        : { kind: 'error', input: repo, error: result.error },
    });
  },

  clearSearch() {
    set({ search: { kind: 'idle' } });
  },
}));
