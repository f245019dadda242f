import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  getLlama,
  GgufInsights,
  LlamaChatSession,
  LlamaLogLevel,
  readGgufFileInfo,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import {
  measureThreads,
  pickThreads,
  QUICK_CALIBRATION,
  type ThreadMeasurement,
} from '../hardware/calibrate';
import { needsFromInsights } from '../hardware/needs';
import { modelShape as shapeOf } from '../hardware/shape';
import type {
  CalibrationResult,
  FitNeedsResult,
  FitRequestSource,
  GenerateStats,
  HistoryTurn,
  LoadOptions,
  LoadResult,
  LoadStep,
} from '../protocol';
import { classifyLoadError, EngineError } from './errors';
import { nextAttempt, type Attempt, type LadderState } from './ladder';
import { defaultThreads } from './threads';

export type GpuChoice = 'auto' | false | 'vulkan' | 'cuda' | 'metal';

export interface EngineOptions {
  /** Which llama.cpp backend to ask node-llama-cpp for; `EDGEWISE_GPU` sets it in the host. */
  gpu?: GpuChoice;
  /** Parallel conversations kept warm (one context sequence each). */
  sequences?: number;
  defaultContextSize?: number;
  /**
   * Caps on what llama.cpp may use (node-llama-cpp's `setRamCap`/`setVramCap`): a person keeping memory for other
   * apps, and how tests make node-llama-cpp really refuse an allocation. `EDGEWISE_RAM_CAP_BYTES` and
   * `EDGEWISE_VRAM_CAP_BYTES` set them in the host.
   */
  ramCapBytes?: number | null;
  vramCapBytes?: number | null;
}

export interface ChatRequest {
  conversationId: string;
  history: readonly HistoryTurn[];
  prompt: string;
  maxTokens: number;
  /** Greedy (temperature 0) or seeded sampling; the chat defaults otherwise. */
  sampling?: { temperature: number; seed?: number };
}

interface SessionEntry {
  session: LlamaChatSession;
  lastUsed: number;
  busy: boolean;
}

interface Loaded {
  modelPath: string;
  model: LlamaModel;
  context: LlamaContext;
  threads: number;
  modelShape: string;
}

const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');
const LOG_LINES_KEPT = 40;

/**
 * One llama.cpp runtime: a model, a context, and one chat session per conversation. Runs in the engine host
 * process only. Every wait takes an AbortSignal; every failure is an {@link EngineError} with a code.
 */
export class Engine {
  readonly #options: Required<Omit<EngineOptions, 'ramCapBytes' | 'vramCapBytes'>> &
    Pick<EngineOptions, 'ramCapBytes' | 'vramCapBytes'>;
  #llama: Promise<Llama> | null = null;
  #loaded: Loaded | null = null;
  /** Serialises load/unload so a second load waits for the first to finish or fail. */
  #lifecycle: Promise<unknown> = Promise.resolve();
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #recentLogs: string[] = [];

  constructor(options: EngineOptions = {}) {
    this.#options = {
      gpu: options.gpu ?? 'auto',
      sequences: options.sequences ?? 4,
      defaultContextSize: options.defaultContextSize ?? 4096,
      ramCapBytes: options.ramCapBytes,
      vramCapBytes: options.vramCapBytes,
    };
  }

  get loadedModelPath(): string | null {
    return this.#loaded?.modelPath ?? null;
  }

  get sequences(): number {
    return this.#options.sequences;
  }

  /** Loads a model; out-of-memory failures walk the ladder (see ladder.ts), each attempt told to `onStep`. */
  load(options: LoadOptions, onStep: (step: LoadStep) => void = () => undefined): Promise<LoadResult> {
    const run = this.#lifecycle.then(
      () => this.#load(options, onStep),
      () => this.#load(options, onStep),
    );
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  unload(): Promise<void> {
    const run = this.#lifecycle.then(
      () => this.#unload(),
      () => this.#unload(),
    );
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.unload();
    const llama = await this.#llama?.catch(() => null);
    await llama?.dispose();
    this.#llama = null;
  }

  /** Drops a conversation's session and frees its sequence. */
  forget(conversationId: string): void {
    const entry = this.#sessions.get(conversationId);
    if (!entry || entry.busy) return;
    this.#sessions.delete(conversationId);
    entry.session.dispose({ disposeSequence: true });
  }

  /**
   * Streams an answer to `prompt` after `history`. Resolves with stats when generation ends, whether it
   * finished or `signal` stopped it; rejects with an {@link EngineError} otherwise.
   */
  async chat(
    request: ChatRequest,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<GenerateStats> {
    const loaded = this.#loaded;
    if (!loaded) throw new EngineError('NO_MODEL_LOADED', 'No model is loaded. Pick a model first.');
    if (this.#calibrating) {
      // An answer generated meanwhile would skew the measurement (and be slow itself).
      throw new EngineError(
        'BUSY',
        'Edgewise is measuring thread speeds on this model; try again in a moment.',
      );
    }
    const entry = this.#sessionFor(request.conversationId, loaded);
    entry.busy = true;
    entry.lastUsed = Date.now();
    const started = performance.now();
    let firstTokenAt: number | null = null;
    // The sequence's meter counts every sampled token; `onToken` misses the ones node-llama-cpp holds back
    // (a possible stop-string prefix) when generation ends on them.
    const meter = entry.session.sequence.tokenMeter;
    const outputBefore = meter.usedOutputTokens;
    const generated = () => meter.usedOutputTokens - outputBefore;
    try {
      // Main owns the conversation; mirroring it here keeps a restarted host and an edited history correct.
      // llama.cpp still reuses the evaluated prefix of the sequence, so this costs nothing when unchanged.
      entry.session.setChatHistory(toChatHistory(request.history));
      await entry.session.prompt(request.prompt, {
        maxTokens: request.maxTokens,
        signal,
        stopOnAbortSignal: true,
        temperature: request.sampling?.temperature ?? 0.7,
        seed: request.sampling?.seed,
        topK: 40,
        topP: 0.95,
        onToken: () => {
          firstTokenAt ??= performance.now();
        },
        onTextChunk: (text) => {
          if (text.length > 0 && !signal.aborted) onText(text);
        },
      });
    } catch (error) {
      if (signal.aborted) return stats(started, firstTokenAt, generated());
      throw error instanceof EngineError
        ? error
        : new EngineError('INTERNAL', errorMessage(error), { cause: error });
    } finally {
      entry.busy = false;
      entry.lastUsed = Date.now();
    }
    return stats(started, firstTokenAt, generated());
  }

  async #load(options: LoadOptions, onStep: (step: LoadStep) => void): Promise<LoadResult> {
    const started = performance.now();
    await assertGguf(options.modelPath);
    await this.#unload();
    const llama = await this.#getLlama();
    let threads = options.threads ?? defaultThreads();
    llama.maxThreads = threads;
    let calibration: ThreadMeasurement[] | undefined;
    let attempt: Attempt = {
      action: 'initial',
      contextSize: options.contextSize ?? this.#options.defaultContextSize,
      gpuLayers: options.gpuLayers ?? (llama.supportsGpuOffloading ? 'max' : 0),
    };
    const state: LadderState = { totalLayers: 0, failedAt: 'model', contextHalvings: 0, layerHalvings: 0 };
    let model: LlamaModel | null = null;
    let modelLayers: number | 'max' | null = null;
    for (let step = 0; ; step += 1) {
      const report = (outcome: LoadStep['outcome'], message: string) =>
        onStep({
          step,
          action: attempt.action,
          contextSize: attempt.contextSize,
          gpuLayers: attempt.gpuLayers === 'max' ? null : attempt.gpuLayers,
          outcome,
          message,
        });
      this.#recentLogs.length = 0;
      try {
        if (model && modelLayers !== attempt.gpuLayers) {
          await model.dispose();
          model = null;
        }
        state.failedAt = 'model';
        if (!model) {
          model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: attempt.gpuLayers });
          modelLayers = attempt.gpuLayers;
          state.totalLayers = model.fileInsights.totalLayers;
        }
        if (options.threads === undefined && options.calibrateThreads && !calibration) {
          // Before the real context exists, so it is created with the measured count.
          calibration = await measureThreads(llama, model, {
            candidates: options.calibrateThreads,
            ...QUICK_CALIBRATION,
          });
          threads = pickThreads(calibration);
          llama.maxThreads = threads;
        }
        state.failedAt = 'context';
        const contextSize = Math.min(attempt.contextSize, model.trainContextSize || attempt.contextSize);
        attempt = { ...attempt, contextSize };
        // An exact size, not `{max}`: node-llama-cpp would otherwise shrink the context silently to fit.
        const context = await model.createContext({
          sequences: this.#options.sequences,
          contextSize,
          threads: { ideal: threads, min: 1 },
        });
        const modelShape = shapeOf(model.fileInfo);
        this.#loaded = { modelPath: options.modelPath, model, context, threads, modelShape };
        report(
          'loaded',
          `Loaded with a ${context.contextSize}-token context and ${model.gpuLayers} of ${state.totalLayers} layers on the GPU.`,
        );
        return {
          modelPath: options.modelPath,
          backend: llama.gpu === false ? 'cpu' : llama.gpu,
          threads,
          contextSize: context.contextSize,
          gpuLayers: model.gpuLayers,
          totalLayers: state.totalLayers,
          modelShape,
          attempts: step + 1,
          loadMs: Math.round(performance.now() - started),
          ...(calibration ? { calibration } : {}),
        };
      } catch (error) {
        const classified = classifyLoadError(error, options.modelPath, this.#recentLogs);
        if (classified.code !== 'OUT_OF_MEMORY') {
          await model?.dispose().catch(() => undefined);
          throw classified;
        }
        const detail = error instanceof Error ? error.message : String(error);
        report(
          'failed',
          `Out of memory ${state.failedAt === 'model' ? 'loading the weights' : 'creating the context'}: ${detail}`,
        );
        if (state.totalLayers === 0) state.totalLayers = await totalLayersOf(options.modelPath, llama);
        const next = nextAttempt(attempt, state);
        if (!next) {
          await model?.dispose().catch(() => undefined);
          throw new EngineError(
            'OUT_OF_MEMORY',
            `${classified.message} Tried ${step + 1} configurations, down to a ${attempt.contextSize}-token context on the CPU.`,
            { cause: error },
          );
        }
        if (next.action === 'smaller-context') state.contextHalvings += 1;
        if (next.action === 'fewer-gpu-layers') state.layerHalvings += 1;
        attempt = next;
      }
    }
  }

  /** Generation speed at each thread count on the loaded model (see hardware/calibrate.ts). */
  calibrate(candidates: readonly number[]): Promise<CalibrationResult> {
    const run = this.#lifecycle.then(() => this.#calibrate(candidates));
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  #calibrating = false;

  /** True while a thread calibration runs (answers are refused meanwhile). */
  get calibrating(): boolean {
    return this.#calibrating;
  }

  async #calibrate(candidates: readonly number[]): Promise<CalibrationResult> {
    const loaded = this.#loaded;
    if (!loaded)
      throw new EngineError('NO_MODEL_LOADED', 'Load a model first: threads are calibrated on it.');
    if ([...this.#sessions.values()].some((entry) => entry.busy)) {
      throw new EngineError('BUSY', 'An answer is being generated; calibrate when it has finished.');
    }
    const llama = await this.#getLlama();
    this.#calibrating = true;
    let measurements: ThreadMeasurement[];
    try {
      measurements = await measureThreads(llama, loaded.model, { candidates });
    } finally {
      this.#calibrating = false;
    }
    return { modelShape: loaded.modelShape, measurements, threads: pickThreads(measurements) };
  }

  /** Memory needs of a GGUF file at a context size, from its header (a local path or an https URL). */
  async fitNeeds(source: FitRequestSource, contextSize?: number): Promise<FitNeedsResult> {
    const llama = await this.#getLlama();
    const remote = /^https?:\/\//i.test(source.location);
    if (!remote) await assertGguf(source.location);
    let insights: GgufInsights;
    try {
      const info = await readGgufFileInfo(source.location, {
        sourceType: remote ? 'network' : 'filesystem',
        fetchHeaders: source.headers,
        signal: AbortSignal.timeout(30_000),
        logWarnings: false,
      });
      insights = await GgufInsights.from(info, llama);
    } catch (error) {
      if (error instanceof EngineError) throw error;
      const name = source.location.split(/[\\/]/).pop() ?? source.location;
      throw new EngineError(
        'MODEL_CORRUPT',
        `Could not read the GGUF header of ${name}: ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    const train = insights.trainContextSize ?? null;
    const size = Math.min(contextSize ?? 4096, contextSize === undefined && train ? train : Infinity);
    const needs = await needsFromInsights(insights, {
      contextSize: size,
      sequences: this.#options.sequences,
    });
    return { ...needs, trainContextSize: train };
  }

  async #unload(): Promise<void> {
    const loaded = this.#loaded;
    if (!loaded) return;
    this.#loaded = null;
    for (const entry of this.#sessions.values()) entry.session.dispose({ disposeSequence: true });
    this.#sessions.clear();
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  #getLlama(): Promise<Llama> {
    this.#llama ??= getLlama({
      // Never compile llama.cpp on a user's machine: a missing backend is a message, not a CMake run.
      build: 'never',
      gpu: this.#options.gpu,
      logLevel: LlamaLogLevel.warn,
      logger: (_level, message) => {
        this.#recentLogs.push(message);
        if (this.#recentLogs.length > LOG_LINES_KEPT) this.#recentLogs.shift();
      },
    })
      .then(async (llama) => {
        if (this.#options.ramCapBytes) await llama.setRamCap(this.#options.ramCapBytes);
        if (this.#options.vramCapBytes) await llama.setVramCap(this.#options.vramCapBytes);
        return llama;
      })
      .catch((error: unknown) => {
        this.#llama = null;
        throw new EngineError(
          'BACKEND_UNAVAILABLE',
          `No usable llama.cpp backend could be started on this machine: ${errorMessage(error)}`,
          { cause: error },
        );
      });
    return this.#llama;
  }

  #sessionFor(conversationId: string, loaded: Loaded): SessionEntry {
    const existing = this.#sessions.get(conversationId);
    if (existing) {
      if (existing.busy) throw new EngineError('BUSY', 'This conversation is already generating an answer.');
      return existing;
    }
    if (loaded.context.sequencesLeft === 0) this.#evictIdleSession();
    const session = new LlamaChatSession({
      contextSequence: loaded.context.getSequence(),
      autoDisposeSequence: true,
    });
    const entry: SessionEntry = { session, lastUsed: Date.now(), busy: false };
    this.#sessions.set(conversationId, entry);
    return entry;
  }

  #evictIdleSession(): void {
    let oldest: [string, SessionEntry] | null = null;
    for (const item of this.#sessions) {
      if (!item[1].busy && (oldest === null || item[1].lastUsed < oldest[1].lastUsed)) oldest = item;
    }
    if (!oldest) {
      throw new EngineError('BUSY', 'Every conversation slot is generating; wait for one to finish.');
    }
    this.#sessions.delete(oldest[0]);
    oldest[1].session.dispose({ disposeSequence: true });
  }
}

/** Checks the file before llama.cpp sees it, so the two commonest mistakes get precise messages. */
export async function assertGguf(modelPath: string): Promise<void> {
  const name = path.basename(modelPath);
  try {
    const info = await stat(modelPath);
    if (!info.isFile()) throw new EngineError('MODEL_NOT_FOUND', `${name} is not a file.`);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('MODEL_NOT_FOUND', `Model file not found: ${modelPath}`, { cause: error });
  }
  const handle = await open(modelPath, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || !magic.equals(GGUF_MAGIC)) {
      throw new EngineError('NOT_GGUF', `${name} is not a GGUF model file (it does not start with "GGUF").`);
    }
  } finally {
    await handle.close();
  }
}

async function totalLayersOf(modelPath: string, llama: Llama): Promise<number> {
  try {
    const insights = await GgufInsights.from(
      await readGgufFileInfo(modelPath, { logWarnings: false }),
      llama,
    );
    return insights.totalLayers;
  } catch {
    return 0;
  }
}

function toChatHistory(history: readonly HistoryTurn[]): ChatHistoryItem[] {
  return history.map((turn) =>
    turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] },
  );
}

function stats(started: number, firstTokenAt: number | null, tokens: number): GenerateStats {
  const ended = performance.now();
  const decodeSeconds = firstTokenAt === null ? 0 : (ended - firstTokenAt) / 1000;
  return {
    tokens,
    // The first token's time is prompt processing; speed counts the tokens generated after it.
    tokensPerSecond: decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0,
    timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
    durationMs: Math.round(ended - started),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
