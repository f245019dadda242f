// Test support for the download tests (not a test file): a fake hub serving copies of the tiny test models,
// a DownloadManager wired to it with fast retry and stall settings, and checks on what the models folder shows.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import type { DownloadEvent, DownloadItem, HfSource } from '../../../shared/contract';
import {
  startFakeHf,
  type FakeHf,
  type FakeHfFaults,
  type FakeHfOptions,
} from '../../../../scripts/fake-hf/server.ts';
import { TEST_MODELS_DIR } from '../../../../scripts/test-models/index.ts';
import { HfClient } from '../hf/hfClient';
import { HfSettingsStore } from '../hf/hfSettings';
import { DownloadManager, type DownloadManagerOptions } from './downloadManager';

export const TINY_FILES = ['tiny.Q4_0.gguf', 'tiny.Q8_0.gguf', 'tiny.F16.gguf'] as const;
export type TinyFile = (typeof TINY_FILES)[number];

/** A folder with copies of the tiny test models (the big ones would make every fake hash 200 MB). */
export async function tinyHubDir(root: string): Promise<string> {
  const dir = path.join(root, 'hub');
  await mkdir(dir, { recursive: true });
  for (const name of TINY_FILES) await copyFile(path.join(TEST_MODELS_DIR, name), path.join(dir, name));
  return dir;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir`, relative, with forward slashes (hidden folders included). */
export async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** What the library would list: `.gguf` files outside hidden folders. */
export async function visibleModels(dir: string): Promise<string[]> {
  return (await allFiles(dir)).filter(
    (file) => file.endsWith('.gguf') && !file.split('/').some((part) => part.startsWith('.')),
  );
}

export interface HarnessOptions {
  faults?: FakeHfFaults;
  fake?: Partial<FakeHfOptions>;
  manager?: Partial<DownloadManagerOptions>;
  /** Environment for the settings (HF_ENDPOINT is set to the fake unless given). */
  env?: NodeJS.ProcessEnv;
  dispatcher?: Dispatcher;
  root?: string;
}

export interface Harness {
  root: string;
  fake: FakeHf;
  hf: HfClient;
  manager: DownloadManager;
  /** The models folder downloads go to. */
  target: string;
  stateFile: string;
  events: DownloadEvent[];
  source(file: TinyFile | string, repo?: string): HfSource;
  /** Resolves with the one terminal event of a download; fails the test on a second one. */
  terminal(downloadId: string): Promise<DownloadEvent>;
  /** Resolves on the first progress event for which `predicate` holds. */
  progress(downloadId: string, predicate: (item: DownloadItem) => boolean): Promise<DownloadItem>;
  /** A new manager over the same state file and target, as after an app restart. */
  restart(options?: Partial<DownloadManagerOptions>): Promise<DownloadManager>;
  close(): Promise<void>;
}

export const FAST: Partial<DownloadManagerOptions> = {
  retry: { retries: 4, baseDelayMs: 5, maxDelayMs: 40 },
  stallTimeoutMs: 1500,
  progressIntervalMs: 50,
  diskMarginBytes: 0,
};

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = options.root ?? (await mkdtemp(path.join(os.tmpdir(), 'edgewise-dl-')));
  const fake = await startFakeHf({
    modelsDir: await tinyHubDir(root),
    faults: options.faults,
    ...options.fake,
  });
  const settings = new HfSettingsStore(null, { HF_ENDPOINT: fake.url, ...options.env });
  // A plain Agent: the tests must not depend on the machine's proxy variables (one test covers those).
  const dispatcher = options.dispatcher ?? new Agent();
  const hf = new HfClient({ settings, dispatcher });
  const target = path.join(root, 'models');
  const stateFile = path.join(root, 'data', 'downloads.json');
  const events: DownloadEvent[] = [];
  const listeners = new Set<(event: DownloadEvent) => void>();
  const managers: DownloadManager[] = [];

  const build = async (extra: Partial<DownloadManagerOptions> = {}) => {
    const manager = new DownloadManager({
      hf,
      getDownloadTarget: async () => ({ folderId: 'default', path: target }),
      onFileReady: async (file) => `default:${path.relative(target, file).split(path.sep).join('/')}`,
      emit: (event) => {
        events.push(event);
        for (const listener of listeners) listener(event);
      },
      stateFile,
      ...FAST,
      ...options.manager,
      ...extra,
    });
    managers.push(manager);
    await manager.init();
    return manager;
  };

  const harness: Harness = {
    root,
    fake,
    hf,
    manager: await build(),
    target,
    stateFile,
    events,
    source: (file, repo = fake.repo) => ({ repo, revision: 'main', file }),
    terminal(downloadId) {
      return new Promise((resolve) => {
        const listener = (event: DownloadEvent) => {
          if (event.downloadId !== downloadId || event.type === 'progress') return;
          listeners.delete(listener);
          resolve(event);
        };
        listeners.add(listener);
      });
    },
    progress(downloadId, predicate) {
      return new Promise((resolve) => {
        const listener = (event: DownloadEvent) => {
          if (event.downloadId !== downloadId || event.type !== 'progress' || !predicate(event.item)) return;
          listeners.delete(listener);
          resolve(event.item);
        };
        listeners.add(listener);
      });
    },
    async restart(extra) {
      harness.manager = await build(extra);
      return harness.manager;
    },
    async close() {
      for (const manager of managers) await manager.dispose();
      await fake.close();
      await dispatcher.close();
      if (!options.root) await rm(root, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The events of one download, checked for the stream rule: progress only, then exactly one terminal event. */
export function streamOf(events: DownloadEvent[], downloadId: string): DownloadEvent[] {
  const stream = events.filter((event) => event.downloadId === downloadId);
  const terminals = stream.filter((event) => event.type !== 'progress');
  if (terminals.length !== 1 || stream.at(-1) !== terminals[0]) {
    throw new Error(
      `Download ${downloadId}: expected one terminal event last, got ${stream.map((e) => e.type)}`,
    );
  }
  return stream;
}
