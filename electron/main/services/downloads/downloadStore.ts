import { z } from 'zod';
import type { DownloadItem, ErrorCode } from '../../../shared/contract';
import { readJson, writeJsonAtomic } from '../storage/jsonFile';

/** A download as saved in `downloads.json`: the item plus what a restart needs to resume it safely. */
export interface DownloadRecord {
  item: DownloadItem;
  /** The models folder chosen when the download first started; a resume continues there. */
  folderId: string | null;
  targetDir: string | null;
  /** The strong ETag of the response the `.part` bytes came from, sent back as `If-Range`. */
  validator: string | null;
}

const recordSchema = z.object({
  item: z.object({
    // The same rule as the IPC schema: an id that could not be paused or dismissed from the UI is dropped.
    downloadId: z.string().regex(/^[\w-]{1,100}$/),
    source: z.object({ repo: z.string(), revision: z.string(), file: z.string() }),
    fileName: z.string(),
    state: z.enum(['queued', 'downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled']),
    receivedBytes: z.number(),
    totalBytes: z.number().nullable(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    expectedSha256: z.string().nullable(),
    attempts: z.number(),
    error: z
      .object({ code: z.string().transform((code) => code as ErrorCode), message: z.string() })
      .nullable(),
    modelId: z.string().nullable(),
    createdAt: z.number(),
  }),
  folderId: z.string().nullable(),
  targetDir: z.string().nullable(),
  validator: z.string().nullable(),
});

const fileSchema = z.object({ version: z.literal(1), downloads: z.array(z.unknown()) });

export interface LoadedDownloads {
  records: DownloadRecord[];
  /** Human-readable notes about entries that were dropped or a file that was unreadable. */
  problems: string[];
}

/**
 * Saves the download list with an atomic write, one write at a time, coalescing bursts: a crash or a kill
 * leaves the previous list or the new one, and a full disk never wipes it.
 */
export class DownloadStore {
  readonly #file: string | null;
  #saving: Promise<void> | null = null;
  #pending: (() => DownloadRecord[]) | null = null;
  readonly #onError: (error: unknown) => void;

  constructor(file: string | null, onError: (error: unknown) => void) {
    this.#file = file;
    this.#onError = onError;
  }

  async load(): Promise<LoadedDownloads> {
    if (!this.#file) return { records: [], problems: [] };
    let result: Awaited<ReturnType<typeof readJson<typeof fileSchema>>>;
    try {
      result = await readJson(this.#file, fileSchema);
    } catch (error) {
      // Unreadable (a directory, no permission): start with an empty list rather than not at all.
      return {
        records: [],
        problems: [`${this.#file} could not be read (${String(error)}); starting empty`],
      };
    }
    if (result.status === 'missing') return { records: [], problems: [] };
    if (result.status === 'unreadable') {
      return {
        records: [],
        problems: [`${this.#file} was unreadable (${result.reason}); kept as ${result.movedTo}`],
      };
    }
    const records: DownloadRecord[] = [];
    const problems: string[] = [];
    for (const raw of result.value.downloads) {
      const parsed = recordSchema.safeParse(raw);
      if (parsed.success) records.push(parsed.data);
      else problems.push(`Dropped an unreadable download entry: ${parsed.error.message}`);
    }
    return { records, problems };
  }

  /** Schedules a save of `snapshot()`; the returned promise settles when it (or a later save) is on disk. */
  save(snapshot: () => DownloadRecord[]): Promise<void> {
    if (!this.#file) return Promise.resolve();
    this.#pending = snapshot;
    this.#saving ??= this.#drain();
    return this.#saving;
  }

  async #drain(): Promise<void> {
    const file = this.#file as string;
    while (this.#pending) {
      const snapshot = this.#pending;
      this.#pending = null;
      try {
        await writeJsonAtomic(file, { version: 1, downloads: snapshot() });
      } catch (error) {
        this.#onError(error);
      }
    }
    this.#saving = null;
  }

  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }
}
