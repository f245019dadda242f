import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/**
 * Writes JSON so that a crash, a killed process or a full disk leaves either the old file or the new one,
 * never half of one: a temporary file beside the target, then an atomic rename.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Unique even for two saves of one file in the same millisecond.
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(value, null, 2), 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export type ReadJsonResult<T> =
  | { status: 'ok'; value: T }
  | { status: 'missing' }
  /** The file existed but was not valid; it was renamed to `<file>.unreadable` and kept for a person. */
  | { status: 'unreadable'; movedTo: string; reason: string };

/** Reads and validates a JSON file; never throws for a missing or malformed file. */
export async function readJson<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<ReadJsonResult<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw error;
  }
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { status: 'ok', value: parsed.data };
    reason = parsed.error.message;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const movedTo = `${file}.unreadable`;
  await rename(file, movedTo).catch(() => undefined);
  return { status: 'unreadable', movedTo, reason };
}
