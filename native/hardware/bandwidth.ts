import { Worker } from 'node:worker_threads';
import type { MemoryBandwidth } from '../../electron/shared/contract';

export interface BandwidthOptions {
  /** Worker threads reading in parallel: one per physical core saturates a desktop memory controller. */
  threads: number;
  /** Far larger than any CPU's last-level cache (≤ 32 MiB on laptops, 256 MiB+ only on big servers). */
  bufferBytes?: number;
  durationMs?: number;
}

// Each worker scans its own slice of one shared buffer with `Buffer.indexOf` for a byte that is never there:
// that is memchr, SIMD-vectorised native code, so the loop is bound by memory reads, not by JavaScript.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { shared, start, length, durationMs } = workerData;
const slice = Buffer.from(shared, start, length);
slice.fill(1);
parentPort.postMessage({ type: 'ready' });
parentPort.once('message', () => {
  let bytes = 0;
  const began = performance.now();
  let now = began;
  while (now - began < durationMs) {
    if (slice.indexOf(0xab) !== -1) throw new Error('the buffer changed under the benchmark');
    bytes += length;
    now = performance.now();
  }
  parentPort.postMessage({ type: 'done', bytes, elapsedMs: now - began });
});
`;

interface WorkerDone {
  type: 'done';
  bytes: number;
  elapsedMs: number;
}

/**
 * Sustained sequential read bandwidth from RAM, the number that bounds CPU generation speed (every generated
 * token reads every active weight once). A few hundred milliseconds of `threads` workers reading a 256 MiB
 * buffer after a warm-up pass that also faults its pages in.
 */
export async function measureBandwidth(options: BandwidthOptions): Promise<MemoryBandwidth> {
  const threads = Math.max(1, Math.floor(options.threads));
  const bufferBytes = options.bufferBytes ?? 256 * 1024 * 1024;
  const durationMs = options.durationMs ?? 300;
  const shared = new SharedArrayBuffer(bufferBytes);
  const length = Math.floor(bufferBytes / threads / 64) * 64;
  const started = performance.now();
  const workers = Array.from(
    { length: threads },
    (_, i) =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { shared, start: i * length, length, durationMs },
      }),
  );
  try {
    await Promise.all(workers.map((worker) => nextMessage(worker)));
    const results = (await Promise.all(
      workers.map((worker) => {
        const done = nextMessage(worker);
        worker.postMessage('go');
        return done;
      }),
    )) as WorkerDone[];
    const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
    const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
    return {
      bytesPerSecond: Math.round(bytes / (elapsedMs / 1000)),
      threads,
      bufferBytes,
      durationMs: Math.round(performance.now() - started),
      method: `${threads} worker thread${threads === 1 ? '' : 's'} scanning a ${Math.round(bufferBytes / 2 ** 20)} MiB buffer with memchr for ${durationMs} ms: sustained read bandwidth from RAM.`,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (message: unknown) => {
      worker.off('error', onError);
      resolve(message);
    });
  });
}
