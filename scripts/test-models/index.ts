/**
 * Generated test models: paths, and an idempotent `ensureTestModels()` that (re)generates only
 * missing or stale files. `<dir>/manifest.json` records the generator version and each file's
 * size, sha256 and mtime, so a rerun with nothing to do only stats the files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGguf } from './ggufWriter.ts';
import {
  GENERATOR_VERSION,
  TEST_MODEL_NAMES,
  TEST_MODEL_QUANTS,
  buildTestModel,
  specFingerprintSource,
  testModelFileName,
} from './spec.ts';
import type { TestModelName, TestModelQuant } from './spec.ts';

export type { TestModelName, TestModelQuant } from './spec.ts';
export { TEST_MODEL_NAMES, TEST_MODEL_QUANTS, TEST_MODEL_SPECS, countParameters } from './spec.ts';

/** Absolute path of `<repo>/test-models`. */
export const TEST_MODELS_DIR = fileURLToPath(new URL('../../test-models', import.meta.url));

export const MANIFEST_FILE_NAME = 'manifest.json';
const LOCK_FILE_NAME = '.generate.lock';
const STALE_LOCK_MS = 15 * 60 * 1000;

export function testModelPath(
  name: TestModelName,
  quant: TestModelQuant,
  dir: string = TEST_MODELS_DIR,
): string {
  return path.join(dir, testModelFileName(name, quant));
}

export interface TestModelFile {
  name: TestModelName;
  quant: TestModelQuant;
  fileName: string;
  path: string;
  size: number;
  sha256: string;
  /** true when this call (re)wrote the file. */
  generated: boolean;
}

export interface EnsureTestModelsOptions {
  /** Output directory; defaults to TEST_MODELS_DIR. */
  dir?: string;
  /** Models to ensure; defaults to all. */
  models?: readonly TestModelName[];
  /** Called before a file is generated. */
  onGenerate?: (file: { name: TestModelName; quant: TestModelQuant; path: string }) => void;
}

interface ManifestEntry {
  size: number;
  sha256: string;
  mtimeMs: number;
}

interface Manifest {
  generator: string;
  files: Record<string, ManifestEntry>;
}

let generatorIdCache: string | undefined;

/**
 * The generator version recorded in the manifest: GENERATOR_VERSION plus a fingerprint of the
 * model specs and of the generator's own source, so any change to either regenerates the files.
 */
export async function generatorId(): Promise<string> {
  if (generatorIdCache !== undefined) return generatorIdCache;
  const hash = createHash('sha256').update(specFingerprintSource());
  for (const file of ['./ggufWriter.ts', './spec.ts']) {
    try {
      hash.update(await readFile(new URL(file, import.meta.url)));
    } catch {
      // Source not available (e.g. bundled): the version string and spec fingerprint still apply.
    }
  }
  generatorIdCache = `${GENERATOR_VERSION}+${hash.digest('hex').slice(0, 16)}`;
  return generatorIdCache;
}

async function readManifest(dir: string, generator: string): Promise<Manifest> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE_NAME), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'generator' in parsed && 'files' in parsed) {
      const m = parsed as { generator: unknown; files: unknown };
      if (m.generator === generator && typeof m.files === 'object' && m.files !== null) {
        const files: Record<string, ManifestEntry> = {};
        for (const [key, value] of Object.entries(m.files as Record<string, unknown>)) {
          const e = value as Partial<ManifestEntry> | null;
          if (
            e !== null &&
            typeof e.size === 'number' &&
            typeof e.sha256 === 'string' &&
            typeof e.mtimeMs === 'number'
          ) {
            files[key] = { size: e.size, sha256: e.sha256, mtimeMs: e.mtimeMs };
          }
        }
        return { generator, files };
      }
    }
  } catch {
    // Missing or unreadable manifest: everything is stale.
  }
  return { generator, files: {} };
}

async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE_NAME);
  const tmp = `${target}.${process.pid}.tmp`;
  const sorted: Record<string, ManifestEntry> = {};
  for (const key of Object.keys(manifest.files).sort()) {
    const entry = manifest.files[key];
    if (entry !== undefined) sorted[key] = entry;
  }
  await writeFile(tmp, `${JSON.stringify({ generator: manifest.generator, files: sorted }, null, 2)}\n`);
  await rename(tmp, target);
}

export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a file against its manifest entry. Size and mtime matching is enough; if only the mtime
 * differs the file is re-hashed and, when intact, the entry's mtime is refreshed in place.
 */
async function checkFile(
  filePath: string,
  entry: ManifestEntry | undefined,
): Promise<'fresh' | 'touched' | 'stale'> {
  if (entry === undefined) return 'stale';
  let st;
  try {
    st = await stat(filePath);
  } catch {
    return 'stale';
  }
  if (!st.isFile() || st.size !== entry.size) return 'stale';
  if (st.mtimeMs === entry.mtimeMs) return 'fresh';
  if ((await sha256File(filePath)) !== entry.sha256) return 'stale';
  entry.mtimeMs = st.mtimeMs;
  return 'touched';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file so that concurrent generators (e.g. parallel test workers) don't duplicate work. */
async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dir, LOCK_FILE_NAME);
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      const [pidText, st] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
      const pid = Number.parseInt(pidText, 10);
      const dead = Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid);
      if (dead || Date.now() - st.mtimeMs > STALE_LOCK_MS) await rm(lockPath, { force: true });
    } catch {
      // Lock vanished or is being written; just retry.
    }
    await sleep(100);
  }
}

/**
 * Makes sure the requested test models exist in `dir` and match the current generator,
 * generating only missing or stale files. Output is byte-for-byte deterministic.
 */
export async function ensureTestModels(options: EnsureTestModelsOptions = {}): Promise<TestModelFile[]> {
  const dir = path.resolve(options.dir ?? TEST_MODELS_DIR);
  const models = options.models ?? TEST_MODEL_NAMES;
  for (const m of models) {
    if (!TEST_MODEL_NAMES.includes(m)) throw new Error(`unknown test model: ${String(m)}`);
  }
  const generator = await generatorId();
  const wanted = models.flatMap((name) => TEST_MODEL_QUANTS.map((quant) => ({ name, quant })));

  const collect = (manifest: Manifest, generated: ReadonlySet<string>): TestModelFile[] =>
    wanted.map(({ name, quant }) => {
      const fileName = testModelFileName(name, quant);
      const entry = manifest.files[fileName];
      if (entry === undefined) throw new Error(`internal: no manifest entry for ${fileName}`);
      return {
        name,
        quant,
        fileName,
        path: path.join(dir, fileName),
        size: entry.size,
        sha256: entry.sha256,
        generated: generated.has(fileName),
      };
    });

  // Fast path: nothing to do, no lock needed.
  await mkdir(dir, { recursive: true });
  {
    const manifest = await readManifest(dir, generator);
    const states = await Promise.all(
      wanted.map(({ name, quant }) =>
        checkFile(testModelPath(name, quant, dir), manifest.files[testModelFileName(name, quant)]),
      ),
    );
    if (states.every((s) => s === 'fresh')) return collect(manifest, new Set());
  }

  const release = await acquireLock(dir);
  try {
    // Leftovers of interrupted runs (nobody else writes while we hold the lock).
    for (const entry of await readdir(dir)) {
      if (entry.endsWith('.tmp')) await rm(path.join(dir, entry), { force: true });
    }
    const manifest = await readManifest(dir, generator);
    const generated = new Set<string>();
    let manifestDirty = false;
    for (const { name, quant } of wanted) {
      const fileName = testModelFileName(name, quant);
      const filePath = path.join(dir, fileName);
      const state = await checkFile(filePath, manifest.files[fileName]);
      if (state === 'fresh') continue;
      manifestDirty = true;
      if (state === 'touched') continue;
      options.onGenerate?.({ name, quant, path: filePath });
      const { size, sha256 } = await writeGguf(filePath, buildTestModel(name, quant));
      const st = await stat(filePath);
      manifest.files[fileName] = { size, sha256, mtimeMs: st.mtimeMs };
      generated.add(fileName);
      // Record progress after every file so an interrupted run keeps what it finished.
      await writeManifest(dir, manifest);
    }
    if (manifestDirty) await writeManifest(dir, manifest);
    return collect(manifest, generated);
  } finally {
    await release();
  }
}
