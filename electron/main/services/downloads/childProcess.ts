// Test support (not a test file): bundles childEntry.ts and runs it as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { DownloadEvent } from '../../../shared/contract';
import type { ChildConfig } from './childEntry';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
// Inside the repository so the bundle resolves undici and zod from node_modules.
const bundle = path.join(repoRoot, 'out', 'test-downloads', 'child.mjs');
let built: Promise<unknown> | null = null;

export interface DownloadChild {
  process: ChildProcess;
  events: DownloadEvent[];
  /** Resolves on the first event that satisfies `predicate`. */
  until(predicate: (event: DownloadEvent) => boolean): Promise<DownloadEvent>;
  exited: Promise<number | null>;
  stderr(): string;
}

export async function startDownloadChild(
  config: ChildConfig,
  env: NodeJS.ProcessEnv,
): Promise<DownloadChild> {
  built ??= build({
    entryPoints: [path.join(here, 'childEntry.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  await built;
  const child = spawn(process.execPath, [bundle, JSON.stringify(config)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: DownloadEvent[] = [];
  const waiters = new Set<{
    predicate: (event: DownloadEvent) => boolean;
    resolve: (e: DownloadEvent) => void;
  }>();
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const event = JSON.parse(line) as DownloadEvent;
    events.push(event);
    for (const waiter of waiters) {
      if (!waiter.predicate(event)) continue;
      waiters.delete(waiter);
      waiter.resolve(event);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    events,
    exited,
    stderr: () => errors,
    until(predicate) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.add({ predicate, resolve });
        void exited.then((code) => reject(new Error(`child exited (${code}) first: ${errors}`)));
      });
    },
  };
}
