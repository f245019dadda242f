import os from 'node:os';

/**
 * The thread count the engine uses until a calibration says otherwise.
 *
 * llama.cpp's own default (4 here) oversubscribes small machines: on a 2-core box it generates about 10×
 * slower than 1 thread, because its workers spin-wait against each other and against the app. Generation is
 * memory-bound, so half the logical cores (≈ physical cores on SMT machines), leaving one core for the app on
 * small machines, is a sound starting point. `EDGEWISE_THREADS` overrides it.
 */
export function defaultThreads(
  logicalCores: number = os.availableParallelism(),
  env: NodeJS.ProcessEnv = process.env,
): number {
  const fromEnv = Number.parseInt(env['EDGEWISE_THREADS'] ?? '', 10);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return Math.min(fromEnv, 256);
  if (logicalCores <= 2) return 1;
  return Math.max(1, Math.min(Math.floor(logicalCores / 2), 8));
}
