import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { ServiceError } from '../errors';

/** The running sha256 of a `.part` file's first `bytes` bytes. */
export interface HashState {
  hash: Hash;
  bytes: number;
}

/** Writes at a position; tests swap it to fail with ENOSPC at a chosen byte. */
export type WriteAt = (
  handle: FileHandle,
  chunk: Buffer,
  offset: number,
  position: number,
) => Promise<number>;

export const defaultWriteAt: WriteAt = async (handle, chunk, offset, position) =>
  (await handle.write(chunk, offset, chunk.length - offset, position)).bytesWritten;

export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Hashes the first `length` bytes of a file: what a resumed download already holds. */
export async function hashPrefix(file: string, length: number, signal?: AbortSignal): Promise<HashState> {
  const hash = createHash('sha256');
  if (length > 0) {
    for await (const chunk of createReadStream(file, { start: 0, end: length - 1, signal })) {
      hash.update(chunk as Buffer);
    }
  }
  return { hash, bytes: length };
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * A `.part` file being appended to, hashing what it writes. Opened at an offset: 0 truncates (a fresh start),
 * anything else keeps that prefix, whose hash is reused from the previous attempt or recomputed from disk.
 */
export class PartWriter {
  readonly #handle: FileHandle;
  readonly #hash: Hash;
  readonly #writeAt: WriteAt;
  #position: number;
  #broken = false;

  private constructor(handle: FileHandle, hash: Hash, position: number, writeAt: WriteAt) {
    this.#handle = handle;
    this.#hash = hash;
    this.#position = position;
    this.#writeAt = writeAt;
  }

  static async open(
    file: string,
    offset: number,
    previous: HashState | null,
    writeAt: WriteAt,
    signal?: AbortSignal,
  ): Promise<PartWriter> {
    if (offset === 0) {
      return new PartWriter(await open(file, 'w'), createHash('sha256'), 0, writeAt);
    }
    const state = previous?.bytes === offset ? previous : await hashPrefix(file, offset, signal);
    const handle = await open(file, 'r+');
    try {
      // Whatever lies past the offset is not trusted: it is overwritten, never appended to.
      await handle.truncate(offset);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new PartWriter(handle, state.hash, offset, writeAt);
  }

  get position(): number {
    return this.#position;
  }

  async write(chunk: Buffer): Promise<void> {
    let done = 0;
    try {
      while (done < chunk.length)
        done += await this.#writeAt(this.#handle, chunk, done, this.#position + done);
    } catch (error) {
      // Part of the chunk may be on disk and none of it in the hash: the next attempt rehashes from disk.
      this.#broken = true;
      if (isDiskFull(error)) {
        throw new ServiceError(
          'DISK_FULL',
          'The disk filled up during the download. The part already downloaded is kept: free some space and resume.',
        );
      }
      throw error;
    }
    this.#hash.update(chunk);
    this.#position += chunk.length;
  }

  /** The hash so far, for the next attempt to continue from; null after a failed write. */
  get state(): HashState | null {
    return this.#broken ? null : { hash: this.#hash, bytes: this.#position };
  }

  async close(sync: boolean): Promise<void> {
    try {
      if (sync && !this.#broken) await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }
}
