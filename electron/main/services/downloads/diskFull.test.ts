import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open as openFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultWriteAt, type WriteAt } from './partFile';
import { allFiles, createHarness, sha256File, streamOf, visibleModels, type Harness } from './testHarness';

const FOLDER = 'edgewise/test-models-GGUF';
const PART = `${FOLDER}/tiny.F16.gguf.part`;

/**
 * A real small file system where the platform allows one (root on Linux with mount permission): a 512 KiB
 * tmpfs. Elsewhere the tmpfs tests are skipped and the injected-ENOSPC tests still cover the write path.
 */
async function mountTmpfs(): Promise<{ dir: string; reason: null } | { dir: null; reason: string }> {
  if (process.platform !== 'linux') return { dir: null, reason: 'not Linux' };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, reason: null };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { dir: null, reason: `cannot mount a tmpfs here (${String(error).split('\n')[0]})` };
  }
}

const tmpfs = await mountTmpfs();
if (tmpfs.reason) process.stderr.write(`diskFull.test: real-tmpfs tests skipped: ${tmpfs.reason}\n`);

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

afterAll(async () => {
  if (!tmpfs.dir) return;
  execFileSync('umount', [tmpfs.dir]);
  await rm(tmpfs.dir, { recursive: true, force: true });
});

/** Writes zeros until the file system refuses, and returns the filler's path. */
async function fillDisk(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler.bin');
  const handle = await openFile(filler, 'w');
  const block = Buffer.alloc(16 * 1024);
  try {
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return filler;
}

describe('a disk that fills (injected)', () => {
  it('refuses to start when statfs reports too little space, before any content request', async () => {
    harness = await createHarness({ manager: { freeBytes: async () => 100_000, diskMarginBytes: 1024 } });
    const h = harness;
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    const event = await h.terminal('d1');
    expect(event.type === 'error' && event.error).toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/needs 235 KB more .* 98 KB is free/),
    });
    expect(h.fake.requests.filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);
    expect(await allFiles(h.target)).toEqual([]);
  });

  it('stops on ENOSPC mid-write, keeps the .part out of the library, and resumes with Range later', async () => {
    let full = true;
    const writeAt: WriteAt = async (handle, chunk, offset, position) => {
      if (full && position + chunk.length - offset > 100_000) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return defaultWriteAt(handle, chunk, offset, position);
    };
    harness = await createHarness({ faults: { dripBytes: 16_384 }, manager: { writeAt } });
    const h = harness;
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    const event = await h.terminal('d1');
    expect(event.type === 'error' && event.error.code).toBe('DISK_FULL');
    expect(await visibleModels(h.target)).toEqual([]);
    const kept = (await stat(path.join(h.target, PART))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);

    full = false;
    const terminal = h.terminal('d1');
    h.manager.resume('d1');
    expect((await terminal).type).toBe('done');
    streamOf(h.events.slice(h.events.indexOf(event) + 1), 'd1');
    expect(h.fake.requests.filter((r) => r.path.startsWith('/cdn/')).at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(await sha256File(path.join(h.target, FOLDER, 'tiny.F16.gguf'))).toBe(
      await h.fake.sha256('tiny.F16.gguf'),
    );
  });
});

describe.skipIf(!tmpfs.dir)('a disk that fills (real 512 KiB tmpfs)', () => {
  it('refuses to start when the tmpfs lacks room (statfs), writing nothing', async () => {
    const dir = tmpfs.dir as string;
    const filler = await fillDisk(dir);
    await rm(filler);
    // Leave ~100 KiB free: less than the 240 KB file.
    const handle = await openFile(filler, 'w');
    await handle.write(Buffer.alloc(412 * 1024));
    await handle.close();
    // The models folder lives on the tmpfs; the fake hub's files stay on the real disk.
    const target = path.join(dir, 'models');
    await mkdir(target, { recursive: true });
    harness = await createHarness({
      manager: { diskMarginBytes: 0, getDownloadTarget: async () => ({ folderId: 'default', path: target }) },
    });
    const h = harness;
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    const event = await h.terminal('d1');
    expect(event.type === 'error' && event.error.code).toBe('DISK_FULL');
    expect(await allFiles(target)).toEqual([]);
    await rm(filler);
    await rm(target, { recursive: true });
  });

  it('stops cleanly when the tmpfs fills mid-download, then resumes once space is freed', async () => {
    const dir = tmpfs.dir as string;
    const target = path.join(dir, 'models');
    harness = await createHarness({
      faults: { dripBytes: 16_384, dripIntervalMs: 30 },
      manager: { diskMarginBytes: 0, getDownloadTarget: async () => ({ folderId: 'default', path: target }) },
    });
    const h = harness;
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await h.progress('d1', (item) => item.receivedBytes >= 32_768);
    const filler = await fillDisk(dir);
    const event = await h.terminal('d1');
    expect(event.type === 'error' && event.error).toMatchObject({ code: 'DISK_FULL' });
    expect(await visibleModels(target)).toEqual([]);
    const kept = (await stat(path.join(target, PART))).size;
    expect(kept).toBeGreaterThan(0);

    await rm(filler);
    const terminal = h.terminal('d1');
    h.manager.resume('d1');
    expect((await terminal).type).toBe('done');
    const gets = h.fake.requests.filter((r) => r.path.startsWith('/cdn/'));
    expect(gets.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(await sha256File(path.join(target, FOLDER, 'tiny.F16.gguf'))).toBe(
      await h.fake.sha256('tiny.F16.gguf'),
    );
    await rm(target, { recursive: true });
  });
});
