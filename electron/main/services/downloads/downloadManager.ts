import { mkdir, rename, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DownloadEvent, DownloadItem, DownloadsStartArgs, HfSource } from '../../../shared/contract';
import { ServiceError, toAppError } from '../errors';
import type { HfClient } from '../hf/hfClient';
import { localFileName, validateSource } from '../hf/hfSource';
import {
  asServiceError,
  describeError,
  header,
  hubRequest,
  isTransient,
  statusError,
  TransientError,
} from '../hf/http';
import { DownloadStore, type DownloadRecord } from './downloadStore';
import { defaultWriteAt, fileSize, hashPrefix, PartWriter, type HashState, type WriteAt } from './partFile';
import { SpeedMeter } from './speedMeter';

const MiB = 1024 * 1024;

export interface DownloadTarget {
  folderId: string;
  /** Absolute path of the models folder new downloads go to. */
  path: string;
}

export interface DownloadManagerOptions {
  hf: HfClient;
  /** The library's download folder (asked once per download, when it first starts). */
  getDownloadTarget(): Promise<DownloadTarget>;
  /** A verified file was renamed into place; returns its model id in the library. */
  onFileReady(absolutePath: string): Promise<string>;
  emit(event: DownloadEvent): void;
  onModelsChanged?(reason: string): void;
  /** `downloads.json`; null keeps the list in memory only. */
  stateFile: string | null;
  /** Downloads running at once (default 2). */
  parallel?: number;
  retry?: {
    /** Consecutive failed attempts without progress before giving up (default 5). */
    retries?: number;
    /** Attempts in all, progress or not (default 30). */
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
  };
  /** An attempt with no byte for this long is a stall, retried like a dropped connection (default 30 s). */
  stallTimeoutMs?: number;
  /** Progress events per download are at least this far apart (default 250 ms, about 4 a second). */
  progressIntervalMs?: number;
  /** Free space kept on top of the download's remaining bytes (default 256 MiB). */
  diskMarginBytes?: number;
  freeBytes?(dir: string): Promise<number>;
  writeAt?: WriteAt;
  log?(message: string): void;
  now?(): number;
  random?(): number;
}

type StopReason = 'pause' | 'cancel' | 'shutdown';

interface Entry extends DownloadRecord {
  running: { controller: AbortController; stop: StopReason | null; done: Promise<void> } | null;
  hash: HashState | null;
  meter: SpeedMeter;
  lastEmitAt: number;
  lastSaveAt: number;
}

interface Paths {
  targetDir: string;
  final: string;
  part: string;
}

const ACTIVE = new Set<DownloadItem['state']>(['queued', 'downloading', 'verifying', 'paused']);

async function statfsFreeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Downloads GGUF files from the hub into the library: a queue with a parallel limit; pause, resume, cancel;
 * resume across restarts with `Range` + `If-Range`; a fresh start whenever the server's answer does not
 * prove the bytes on disk are a prefix of the same file; sha256 checked before the file appears under its
 * name, mismatches quarantined; free space checked first and a full disk stopping cleanly; transient failures
 * retried with backoff. Files are written as `<name>.part` and renamed into place, in
 * `<models folder>/<owner>/<repo>/<name>`.
 */
export class DownloadManager {
  readonly #options: DownloadManagerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #store: DownloadStore;
  readonly #parallel: number;
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  #closed = false;

  constructor(options: DownloadManagerOptions) {
    this.#options = options;
    this.#parallel = Math.max(1, options.parallel ?? 2);
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => undefined);
    this.#store = new DownloadStore(options.stateFile, (error) =>
      this.#log(`Could not save the download list: ${String(error)}`),
    );
  }

  /** Loads the saved list; downloads that were running when the app stopped are queued again and resume. */
  async init(): Promise<void> {
    const { records, problems } = await this.#store.load();
    for (const problem of problems) this.#log(problem);
    for (const record of records) {
      try {
        validateSource(record.item.source);
        if (record.item.fileName !== localFileName(record.item.source)) throw new Error('file name mismatch');
        if (record.targetDir !== null && !path.isAbsolute(record.targetDir))
          throw new Error('relative folder');
      } catch (error) {
        this.#log(`Dropped a saved download with an unsafe source: ${describeError(error)}`);
        continue;
      }
      const item = { ...record.item, bytesPerSecond: 0, etaSeconds: null };
      if (item.state === 'downloading' || item.state === 'verifying') item.state = 'queued';
      this.#entries.set(item.downloadId, this.#entry({ ...record, item }));
    }
    this.#pump();
  }

  list(): DownloadItem[] {
    return [...this.#entries.values()]
      .sort((a, b) => a.item.createdAt - b.item.createdAt)
      .map((entry) => this.#snapshot(entry));
  }

  start(args: DownloadsStartArgs): DownloadItem {
    if (this.#closed) throw new ServiceError('INTERNAL', 'Downloads are shutting down.');
    if (this.#entries.has(args.downloadId)) {
      throw new ServiceError('INVALID_ARGUMENT', `A download with id ${args.downloadId} already exists.`);
    }
    const source = validateSource(args.source);
    const fileName = localFileName(source);
    // One entry per file on disk: two entries writing one `.part` could publish a mix of both.
    const twin = this.#twinOf(targetKey(source), null);
    if (twin) {
      throw new ServiceError(
        'BUSY',
        `${fileName} from ${source.repo} is already in the download list (${twin.item.state}): ` +
          `${twin.item.state === 'failed' || twin.item.state === 'paused' ? 'resume' : 'wait for'} that one, or dismiss it first.`,
      );
    }
    const entry = this.#entry({
      item: {
        downloadId: args.downloadId,
        source,
        fileName,
        state: 'queued',
        receivedBytes: 0,
        totalBytes: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        expectedSha256: null,
        attempts: 0,
        error: null,
        modelId: null,
        createdAt: this.#now(),
      },
      folderId: null,
      targetDir: null,
      validator: null,
    });
    this.#entries.set(args.downloadId, entry);
    this.#emitProgress(entry);
    this.#save();
    this.#pump();
    return this.#snapshot(entry);
  }

  async pause(downloadId: string): Promise<DownloadItem> {
    const entry = this.#get(downloadId);
    if (entry.item.state === 'queued') {
      entry.item.state = 'paused';
      this.#emitProgress(entry);
      this.#save();
    } else if (entry.running) {
      await this.#stop(entry, 'pause');
    }
    return this.#snapshot(entry);
  }

  resume(downloadId: string): DownloadItem {
    const entry = this.#get(downloadId);
    if (entry.item.state === 'cancelled' || entry.item.state === 'done') {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `The download of ${entry.item.fileName} has ended; start it again.`,
      );
    }
    if (entry.item.state === 'paused' || entry.item.state === 'failed') {
      const twin = this.#twinOf(targetKey(entry.item.source), entry);
      if (twin) {
        throw new ServiceError(
          'BUSY',
          `Another download of ${entry.item.fileName} is in the list; dismiss one.`,
        );
      }
      entry.item.state = 'queued';
      entry.item.error = null;
      this.#emitProgress(entry);
      this.#save();
      this.#pump();
    }
    return this.#snapshot(entry);
  }

  async cancel(downloadId: string): Promise<DownloadItem> {
    const entry = this.#get(downloadId);
    const state = entry.item.state;
    if (state === 'done' || state === 'cancelled') return this.#snapshot(entry);
    if (entry.running) {
      await this.#stop(entry, 'cancel');
      return this.#snapshot(entry);
    }
    // Ended before the first await: a second cancel, or #pump starting a queued entry meanwhile, sees it.
    entry.item.state = 'cancelled';
    entry.item.bytesPerSecond = 0;
    entry.item.etaSeconds = null;
    // A failed download's stream already ended with its error event; only an open stream gets `aborted`.
    if (state !== 'failed') this.#emit({ type: 'aborted', downloadId, item: this.#snapshot(entry) });
    this.#save();
    await this.#removePart(entry);
    return this.#snapshot(entry);
  }

  async dismiss(downloadId: string): Promise<{ dismissed: boolean }> {
    const entry = this.#get(downloadId);
    if (ACTIVE.has(entry.item.state)) return { dismissed: false };
    if (entry.item.state === 'failed') await this.#removePart(entry);
    this.#entries.delete(downloadId);
    this.#save();
    return { dismissed: true };
  }

  /** Stops every transfer (their `.part` files stay, and they resume on the next start) and saves the list. */
  async dispose(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      [...this.#entries.values()].map((entry) => entry.running && this.#stop(entry, 'shutdown')),
    );
    this.#save();
    await this.#store.flush();
  }

  #serverName(): string {
    try {
      return new URL(this.#options.hf.context().endpoint).host;
    } catch {
      return 'the download server';
    }
  }

  #entry(record: DownloadRecord): Entry {
    return { ...record, running: null, hash: null, meter: new SpeedMeter(), lastEmitAt: 0, lastSaveAt: 0 };
  }

  #get(downloadId: string): Entry {
    const entry = this.#entries.get(downloadId);
    if (!entry) throw new ServiceError('DOWNLOAD_NOT_FOUND', `No download ${downloadId}.`);
    return entry;
  }

  #snapshot(entry: Entry): DownloadItem {
    return {
      ...entry.item,
      source: { ...entry.item.source },
      error: entry.item.error && { ...entry.item.error },
    };
  }

  #emit(event: DownloadEvent): void {
    try {
      this.#options.emit(event);
    } catch (error) {
      this.#log(`A download event listener failed: ${String(error)}`);
    }
  }

  #emitProgress(entry: Entry): void {
    entry.lastEmitAt = this.#now();
    this.#emit({ type: 'progress', downloadId: entry.item.downloadId, item: this.#snapshot(entry) });
  }

  #save(): void {
    void this.#store.save(() =>
      [...this.#entries.values()].map((entry) => ({
        item: this.#snapshot(entry),
        folderId: entry.folderId,
        targetDir: entry.targetDir,
        validator: entry.validator,
      })),
    );
  }

  async #stop(entry: Entry, reason: StopReason): Promise<void> {
    const running = entry.running;
    if (!running) return;
    // Cancel wins over a pause still under way; otherwise the first reason stands.
    if (reason === 'cancel' || !running.stop) running.stop = reason;
    running.controller.abort(new Error(`Download ${reason}`));
    await running.done;
  }

  #pump(): void {
    if (this.#closed) return;
    let active = [...this.#entries.values()].filter((entry) => entry.running).length;
    const queued = [...this.#entries.values()]
      .filter((entry) => entry.item.state === 'queued' && !entry.running)
      .sort((a, b) => a.item.createdAt - b.item.createdAt);
    for (const entry of queued) {
      if (active >= this.#parallel) break;
      this.#run(entry);
      active++;
    }
  }

  #run(entry: Entry): void {
    const controller = new AbortController();
    const running = { controller, stop: null as StopReason | null, done: Promise.resolve() };
    entry.running = running;
    running.done = this.#transfer(entry, controller.signal).then(
      () => this.#finish(entry, running.stop, null),
      (error: unknown) => this.#finish(entry, running.stop, error),
    );
  }

  async #transfer(entry: Entry, signal: AbortSignal): Promise<void> {
    entry.item.state = 'downloading';
    entry.item.error = null;
    entry.meter.reset();
    this.#emitProgress(entry);
    const paths = await this.#paths(entry);
    await mkdir(path.dirname(paths.final), { recursive: true });
    await this.#receive(entry, paths, signal);
    entry.item.state = 'verifying';
    entry.item.bytesPerSecond = 0;
    entry.item.etaSeconds = 0;
    this.#emitProgress(entry);
    await this.#verifyAndPublish(entry, paths, signal);
  }

  async #finish(entry: Entry, stop: StopReason | null, error: unknown): Promise<void> {
    const item = entry.item;
    item.bytesPerSecond = 0;
    item.etaSeconds = null;
    entry.running = null;
    if (error === null) {
      item.state = 'done';
      item.error = null;
      this.#emit({ type: 'done', downloadId: item.downloadId, item: this.#snapshot(entry) });
      this.#options.onModelsChanged?.(`downloaded ${item.fileName}`);
    } else if (stop === 'pause') {
      item.state = 'paused';
      this.#emitProgress(entry);
    } else if (stop === 'cancel') {
      item.state = 'cancelled';
      this.#emit({ type: 'aborted', downloadId: item.downloadId, item: this.#snapshot(entry) });
      await this.#removePart(entry);
    } else if (stop === 'shutdown') {
      item.state = 'queued';
    } else {
      item.state = 'failed';
      item.error = toAppError(asServiceError(error, this.#serverName()));
      if (!(error instanceof ServiceError))
        this.#log(`Download ${item.fileName} failed: ${describeError(error)}`);
      this.#emit({
        type: 'error',
        downloadId: item.downloadId,
        item: this.#snapshot(entry),
        error: item.error,
      });
    }
    entry.hash = null;
    this.#save();
    this.#pump();
  }

  async #paths(entry: Entry): Promise<Paths> {
    if (!entry.targetDir) {
      const target = await this.#options.getDownloadTarget();
      entry.folderId = target.folderId;
      entry.targetDir = path.resolve(target.path);
      this.#save();
    }
    const targetDir = entry.targetDir;
    const [owner = '', repo = ''] = entry.item.source.repo.split('/');
    const final = path.join(targetDir, owner, repo, localFileName(entry.item.source));
    const relative = path.relative(targetDir, final);
    // Names are validated already; this is the last line: nothing is ever written outside the target folder.
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new ServiceError('INVALID_FILE_NAME', `Refused to write ${final}: it is outside ${targetDir}.`);
    }
    return { targetDir, final, part: `${final}.part` };
  }

  /** Another entry, not ended, that writes the same file. */
  #twinOf(key: string, self: Entry | null): Entry | null {
    for (const other of this.#entries.values()) {
      if (other === self || other.item.state === 'cancelled' || other.item.state === 'done') continue;
      if (targetKey(other.item.source) === key) return other;
    }
    return null;
  }

  async #removePart(entry: Entry): Promise<void> {
    if (!entry.targetDir) return;
    // Never pull a `.part` from under another entry that writes the same file (one restored from disk, say).
    if (this.#twinOf(targetKey(entry.item.source), entry)) return;
    const { part } = await this.#paths(entry);
    await rm(part, { force: true }).catch((error: unknown) =>
      this.#log(`Could not remove ${part}: ${String(error)}`),
    );
  }

  /** Attempts until the `.part` file holds the whole file, retrying transient failures with backoff. */
  async #receive(entry: Entry, paths: Paths, signal: AbortSignal): Promise<void> {
    const retry = this.#options.retry ?? {};
    const retries = retry.retries ?? 5;
    const maxAttempts = retry.maxAttempts ?? 30;
    const random = this.#options.random ?? Math.random;
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const before = await fileSize(paths.part);
      entry.item.attempts++;
      try {
        await this.#attempt(entry, paths, signal);
        return;
      } catch (error) {
        if (signal.aborted || !isTransient(error)) throw error;
        const progressed = (await fileSize(paths.part)) > before;
        failures = progressed ? 1 : failures + 1;
        if (failures > retries || attempt >= maxAttempts) {
          throw new ServiceError(
            'NETWORK',
            `The download of ${entry.item.fileName} failed after ${attempt} attempts: ${describeError(error)}. ` +
              'What was downloaded is kept; resume to continue.',
          );
        }
        const base = retry.baseDelayMs ?? 1000;
        const delay = Math.min(retry.maxDelayMs ?? 30_000, base * 2 ** (failures - 1)) * (0.5 + random() / 2);
        this.#log(
          `Download ${entry.item.fileName}: ${describeError(error)}; retrying in ${Math.round(delay)} ms`,
        );
        this.#emitProgress(entry);
        await sleep(delay, undefined, { signal });
      }
    }
  }

  /** One request: learn the expected size and sha256, then fetch what the `.part` file lacks. */
  async #attempt(entry: Entry, paths: Paths, signal: AbortSignal): Promise<void> {
    const { item } = entry;
    const hf = this.#options.hf;
    const info = await hf.fileInfo(item.source, signal);
    let sha256 = info.sha256;
    if (!sha256) {
      // A mirror that drops X-Linked-Etag may still list the LFS sha256 in the tree.
      const listing = await hf.files({ repo: item.source.repo, revision: item.source.revision }, signal);
      sha256 = listing.files.find((file) => file.path === item.source.file)?.sha256 ?? null;
    }
    if (!sha256) {
      throw new ServiceError(
        'CHECKSUM_MISMATCH',
        `${item.source.repo} did not announce a sha256 for ${item.fileName} (no X-Linked-Etag), so it cannot be ` +
          'verified; Edgewise does not download files it cannot verify.',
      );
    }
    if (item.expectedSha256 && item.expectedSha256 !== sha256) {
      this.#log(`${item.fileName} changed on the server since the download began: starting over`);
      await this.#restartFromZero(entry, paths);
    }
    item.expectedSha256 = sha256;
    if (info.size !== null) item.totalBytes = info.size;

    let have = await fileSize(paths.part);
    const total = item.totalBytes;
    if (total !== null && have > total) {
      await this.#restartFromZero(entry, paths);
      have = 0;
    }
    item.receivedBytes = have;
    await this.#checkFreeSpace(paths.targetDir, total === null ? null : total - have);
    this.#save();
    if (total !== null && have === total) return;

    const headers: Record<string, string> = {};
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      if (entry.validator) headers['if-range'] = entry.validator;
    }
    const response = await hubRequest(hf.context(), hf.resolveUrl(item.source), {
      headers,
      signal,
      stallMs: this.#options.stallTimeoutMs ?? 30_000,
    });
    const status = response.statusCode;
    if (status === 416 && total !== null && have === total) return void (await response.body.dump());
    if (status >= 400 && status !== 416) {
      await response.body.dump();
      throw statusError(response, `${item.source.repo}/${item.source.file}`);
    }
    const etag = header(response.headers, 'etag');
    let offset = 0;
    if (status === 206) {
      const range = parseContentRange(header(response.headers, 'content-range'));
      const etagChanged = entry.validator !== null && etag !== null && etag !== entry.validator;
      if (!range || range.start !== have || (total !== null && range.total !== total) || etagChanged) {
        await response.body.dump();
        await this.#restartFromZero(entry, paths);
        throw new TransientError(
          etagChanged
            ? 'The file changed on the server (new ETag): starting over'
            : 'The server answered a different byte range than asked: starting over',
        );
      }
      offset = have;
    } else if (status === 200) {
      // A 200 to a ranged request: the server ignores ranges, or If-Range no longer matched. Never append.
      if (have > 0) this.#log(`${item.fileName}: the server sent the whole file; starting over`);
      const length = Number(header(response.headers, 'content-length'));
      if (total === null && Number.isSafeInteger(length) && length > 0) item.totalBytes = length;
    } else {
      await response.body.dump();
      if (status === 416) await this.#restartFromZero(entry, paths);
      throw new TransientError(`Unexpected answer ${status} from ${response.url.host}`);
    }
    entry.validator = etag && !etag.startsWith('W/') ? etag : null;
    this.#save();

    const writer = await PartWriter.open(
      paths.part,
      offset,
      entry.hash,
      this.#options.writeAt ?? defaultWriteAt,
      signal,
    );
    entry.hash = null;
    let completed = false;
    try {
      item.receivedBytes = offset;
      for await (const chunk of response.body) {
        await writer.write(chunk as Buffer);
        item.receivedBytes = writer.position;
        if (item.totalBytes !== null && writer.position >= item.totalBytes) break;
        this.#onBytes(entry);
      }
      completed = true;
    } finally {
      if (!completed) await response.body.dump().catch(() => undefined);
      await writer.close(completed);
      entry.hash = writer.state;
    }
    const expected = item.totalBytes;
    if (expected !== null && writer.position < expected) {
      throw new TransientError(`The connection closed after ${writer.position} of ${expected} bytes`);
    }
  }

  async #restartFromZero(entry: Entry, paths: Paths): Promise<void> {
    await rm(paths.part, { force: true });
    entry.validator = null;
    entry.hash = null;
    entry.item.receivedBytes = 0;
    entry.meter.reset();
  }

  async #checkFreeSpace(dir: string, remaining: number | null): Promise<void> {
    if (remaining === null || remaining <= 0) return;
    const margin = this.#options.diskMarginBytes ?? 256 * MiB;
    let free: number;
    try {
      free = await (this.#options.freeBytes ?? statfsFreeBytes)(dir);
    } catch (error) {
      this.#log(`Could not read the free space of ${dir}: ${String(error)}`);
      return;
    }
    if (free < remaining + margin) {
      throw new ServiceError(
        'DISK_FULL',
        `Not enough disk space in ${dir}: the download needs ${formatBytes(remaining)} more ` +
          `(and ${formatBytes(margin)} is kept free), and ${formatBytes(free)} is free.`,
      );
    }
  }

  #onBytes(entry: Entry): void {
    const now = this.#now();
    const { item } = entry;
    entry.meter.sample(item.receivedBytes, now);
    if (now - entry.lastEmitAt >= (this.#options.progressIntervalMs ?? 250)) {
      item.bytesPerSecond = entry.meter.bytesPerSecond;
      item.etaSeconds = entry.meter.etaSeconds(
        item.totalBytes === null ? null : item.totalBytes - item.receivedBytes,
      );
      this.#emitProgress(entry);
    }
    // The .part file is the truth on restart; the saved count only shows progress until the first request.
    if (now - entry.lastSaveAt >= 2000) {
      entry.lastSaveAt = now;
      this.#save();
    }
  }

  /** Checks size and sha256; a match is renamed into place, a mismatch moved to `<folder>/.quarantine/`. */
  async #verifyAndPublish(entry: Entry, paths: Paths, signal: AbortSignal): Promise<void> {
    const { item } = entry;
    const size = await fileSize(paths.part);
    const state = entry.hash?.bytes === size ? entry.hash : await hashPrefix(paths.part, size, signal);
    entry.hash = null;
    const actual = state.hash.digest('hex');
    // The sha256 decides; the size only when the server announced one (a chunked mirror may not).
    if ((item.totalBytes !== null && size !== item.totalBytes) || actual !== item.expectedSha256) {
      const quarantine = path.join(paths.targetDir, '.quarantine');
      await mkdir(quarantine, { recursive: true });
      const moved = path.join(quarantine, `${item.fileName}.${this.#now()}.quarantined`);
      await rename(paths.part, moved);
      entry.validator = null;
      throw new ServiceError(
        'CHECKSUM_MISMATCH',
        `${item.fileName} did not match the server's checksum (expected sha256 ${item.expectedSha256}, ` +
          `${item.totalBytes} bytes; got ${actual}, ${size} bytes). It was not added to the library; the bytes ` +
          `were moved to ${moved}.`,
      );
    }
    signal.throwIfAborted();
    await rename(paths.part, paths.final);
    item.modelId = await this.#options.onFileReady(paths.final);
  }
}

/** `bytes 100-199/1000` → {start: 100, end: 199, total: 1000}; `*` total → null. */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return null;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === '*' ? null : Number(match[3]),
  };
}

/** What names a file on disk: the repository and the local file name, case-folded for case-blind disks. */
function targetKey(source: HfSource): string {
  return `${source.repo}/${localFileName(source)}`.toLowerCase();
}
