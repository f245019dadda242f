import type { Llama, LlamaModel } from 'node-llama-cpp';

export interface ThreadMeasurement {
  threads: number;
  tokensPerSecond: number;
}

export interface CalibrationOptions {
  /** Thread counts to try; see {@link threadCandidates}. */
  candidates: readonly number[];
  /** Tokens generated per candidate (after the first, which includes prompt processing). */
  tokens?: number;
  /** Stop a candidate after this long even if it has not generated `tokens` (an oversubscribed count crawls). */
  budgetMs?: number;
  /**
   * Stop trying larger counts once one is slower than this fraction of the best so far: past the point where
   * threads oversubscribe the cores, more only gets worse. Keeps the automatic calibration at load short.
   */
  stopBelowFractionOfBest?: number;
}

/** What a load runs when nothing is remembered for this machine and model: short, and stops at a collapse. */
export const QUICK_CALIBRATION = { tokens: 8, budgetMs: 800, stopBelowFractionOfBest: 0.5 } as const;

/**
 * 1, 2, 4 (llama.cpp's own default), the physical and the logical core count: on a 2-core machine 4 threads
 * generate ~10× slower than 1, on a 16-core one the answer is somewhere in the middle. Measured, not assumed.
 */
export function threadCandidates(physicalCores: number, logicalCores: number): number[] {
  const cap = Math.max(4, logicalCores);
  return [...new Set([1, 2, 4, physicalCores, logicalCores])]
    .filter((n) => n >= 1 && n <= Math.min(cap, 64))
    .sort((a, b) => a - b);
}

/**
 * Measures greedy generation speed on `model` at each thread count, each in its own small context so the
 * loaded conversation contexts are untouched. `llama.maxThreads` is raised for the run and restored after.
 */
export async function measureThreads(
  llama: Llama,
  model: LlamaModel,
  options: CalibrationOptions,
): Promise<ThreadMeasurement[]> {
  const tokens = options.tokens ?? 12;
  const budgetMs = options.budgetMs ?? 2500;
  const prompt = model.tokenize('The quick brown fox jumps over the lazy dog.');
  const previousMax = llama.maxThreads;
  const results: ThreadMeasurement[] = [];
  try {
    for (const threads of options.candidates) {
      llama.maxThreads = Math.max(previousMax, threads);
      const context = await model.createContext({
        contextSize: Math.min(256, model.trainContextSize),
        sequences: 1,
        threads: { ideal: threads, min: threads },
      });
      try {
        const sequence = context.getSequence();
        let generated = 0;
        let firstAt = 0;
        let lastAt = 0;
        for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) {
          lastAt = performance.now();
          if (generated === 0) firstAt = lastAt;
          generated += 1;
          if (generated > tokens || lastAt - firstAt > budgetMs) break;
        }
        const seconds = (lastAt - firstAt) / 1000;
        results.push({
          threads,
          tokensPerSecond:
            generated > 1 && seconds > 0 ? Math.round(((generated - 1) / seconds) * 10) / 10 : 0,
        });
      } finally {
        await context.dispose();
      }
      const best = Math.max(...results.map((m) => m.tokensPerSecond));
      const latest = results.at(-1)?.tokensPerSecond ?? 0;
      if (options.stopBelowFractionOfBest !== undefined && latest < best * options.stopBelowFractionOfBest)
        break;
    }
  } finally {
    llama.maxThreads = previousMax;
  }
  return results;
}

/** The fastest; a tie within 5% goes to fewer threads, which leaves cores for the app and the system. */
export function pickThreads(measurements: readonly ThreadMeasurement[]): number {
  const best = Math.max(...measurements.map((m) => m.tokensPerSecond));
  const good = measurements.filter((m) => m.tokensPerSecond >= best * 0.95).map((m) => m.threads);
  return good.length > 0 ? Math.min(...good) : 1;
}
