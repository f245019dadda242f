import { create } from 'zustand';
import type { AppError, DownloadEvent, DownloadItem, HfSource } from '../../electron/shared/contract';
import { api } from '../api/api';
import { newId } from '../lib/ids';

export interface DownloadsStore {
  items: Record<string, DownloadItem>;
  /** Newest first. */
  order: string[];
  /** The last call that failed (starting, pausing…); a download's own failure lives on its item. */
  error: AppError | null;
  hydrate(): Promise<void>;
  apply(event: DownloadEvent): void;
  start(source: HfSource): Promise<string | null>;
  pause(downloadId: string): Promise<void>;
  resume(downloadId: string): Promise<void>;
  cancel(downloadId: string): Promise<void>;
  /** A failed download: resume keeps what was verified so far, the manager restarts what it must. */
  retry(downloadId: string): Promise<void>;
  dismiss(downloadId: string): Promise<void>;
  dismissError(): void;
}

/** The newest download of this file, if any: what a Download button reflects. */
export function downloadFor(
  state: Pick<DownloadsStore, 'items' | 'order'>,
  source: Pick<HfSource, 'repo' | 'file'>,
): DownloadItem | null {
  for (const id of state.order) {
    const item = state.items[id];
    if (item && item.source.repo === source.repo && item.source.file === source.file) return item;
  }
  return null;
}

function upsert(s: DownloadsStore, item: DownloadItem): Partial<DownloadsStore> {
  const known = item.downloadId in s.items;
  return {
    items: { ...s.items, [item.downloadId]: item },
    order: known ? s.order : [item.downloadId, ...s.order],
  };
}

export const useDownloadsStore = create<DownloadsStore>()((set) => {
  async function act(
    downloadId: string,
    call: (args: { downloadId: string }) => ReturnType<typeof api.downloadsPause>,
  ): Promise<void> {
    const result = await call({ downloadId });
    if (!result.ok) set({ error: result.error });
    else set((s) => upsert(s, result.value));
  }

  return {
    items: {},
    order: [],
    error: null,

    async hydrate() {
      const result = await api.downloadsList();
      if (!result.ok) return;
      // Events that arrived while the list was on its way are newer than the list.
      set((s) => {
        const items: Record<string, DownloadItem> = {};
        for (const item of result.value) items[item.downloadId] = s.items[item.downloadId] ?? item;
        const listed = [...result.value].sort((a, b) => b.createdAt - a.createdAt).map((i) => i.downloadId);
        const extra = s.order.filter((id) => !(id in items) && s.items[id]);
        for (const id of extra) items[id] = s.items[id]!;
        return { items, order: [...extra, ...listed] };
      });
    },

    apply(event) {
      set((s) => upsert(s, event.item));
    },

    async start(source) {
      const downloadId = newId();
      set({ error: null });
      const result = await api.downloadsStart({ downloadId, source });
      if (!result.ok) {
        set({ error: result.error });
        return null;
      }
      set((s) => upsert(s, s.items[downloadId] ?? result.value));
      return downloadId;
    },

    pause: (downloadId) => act(downloadId, api.downloadsPause),
    resume: (downloadId) => act(downloadId, api.downloadsResume),
    cancel: (downloadId) => act(downloadId, api.downloadsCancel),
    retry: (downloadId) => act(downloadId, api.downloadsResume),

    async dismiss(downloadId) {
      const result = await api.downloadsDismiss({ downloadId });
      if (!result.ok) {
        set({ error: result.error });
        return;
      }
      set((s) => {
        const items = { ...s.items };
        delete items[downloadId];
        return { items, order: s.order.filter((id) => id !== downloadId) };
      });
    },

    dismissError() {
      set({ error: null });
    },
  };
});

export function isActive(item: DownloadItem): boolean {
  return item.state === 'queued' || item.state === 'downloading' || item.state === 'verifying';
}
