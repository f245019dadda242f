import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { GenerateStats, HistoryTurn, LoadOptions, LoadResult } from '../protocol';
import { classifyLoadError, EngineError } from './errors';
import { defaultThreads } from './threads';

export type GpuChoice = 'auto' | false | 'vulkan' | 'cuda' | 'metal';

export interface EngineOptions {
  /** Which llama.cpp backend to ask node-llama-cpp for; `EDGEWISE_GPU` sets it in the host. */
  gpu?: GpuChoice;
  /** Parallel conversations kept warm (one context sequence each). */
  sequences?: number;
  defaultContextSize?: number;
}

export interface ChatRequest {
  conversationId: string;
  history: readonly HistoryTurn[];
  prompt: string;
  maxTokens: number;
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
}

const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');
const LOG_LINES_KEPT = 40;

/**
 * One llama.cpp runtime: a model, a context, and one chat session per conversation. Runs in the engine host
 * process only. Every wait takes an AbortSignal; every failure is an {@link EngineError} with a code.
 */
export class Engine {
  readonly #options: Required<EngineOptions>;
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
    };
  }

  get loadedModelPath(): string | null {
    return this.#loaded?.modelPath ?? null;
  }

  load(options: LoadOptions): Promise<LoadResult> {
    const run = this.#lifecycle.then(
      () => this.#load(options),
      () => this.#load(options),
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
    const entry = this.#sessionFor(request.conversationId, loaded);
    entry.busy = true;
    entry.lastUsed = Date.now();
    const started = performance.now();
    let firstTokenAt: number | null = null;
    let tokens = 0;
    try {
      // Main owns the conversation; mirroring it here keeps a restarted host and an edited history correct.
      // llama.cpp still reuses the evaluated prefix of the sequence, so this costs nothing when unchanged.
      entry.session.setChatHistory(toChatHistory(request.history));
      await entry.session.prompt(request.prompt, {
        maxTokens: request.maxTokens,
        signal,
        stopOnAbortSignal: true,
        temperature: 0.7,
        topK: 40,
        topP: 0.95,
        onToken: (generated) => {
          firstTokenAt ??= performance.now();
          tokens += generated.length;
        },
        onTextChunk: (text) => {
          if (text.length > 0 && !signal.aborted) onText(text);
        },
      });
    } catch (error) {
      if (signal.aborted) return stats(started, firstTokenAt, tokens);
      throw error instanceof EngineError
        ? error
        : new EngineError('INTERNAL', errorMessage(error), { cause: error });
    } finally {
      entry.busy = false;
      entry.lastUsed = Date.now();
    }
    return stats(started, firstTokenAt, tokens);
  }

  async #load(options: LoadOptions): Promise<LoadResult> {
    const started = performance.now();
    await assertGguf(options.modelPath);
    await this.#unload();
    const llama = await this.#getLlama();
    const threads = options.threads ?? defaultThreads();
    llama.maxThreads = threads;
    this.#recentLogs.length = 0;
    let model: LlamaModel | null = null;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath });
      const context = await model.createContext({
        sequences: this.#options.sequences,
        contextSize: { max: options.contextSize ?? this.#options.defaultContextSize },
        threads: { ideal: threads, min: 1 },
      });
      this.#loaded = { modelPath: options.modelPath, model, context, threads };
      return {
        modelPath: options.modelPath,
        backend: llama.gpu === false ? 'cpu' : llama.gpu,
        threads,
        contextSize: context.contextSize,
        gpuLayers: model.gpuLayers,
        loadMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      await model?.dispose().catch(() => undefined);
      throw classifyLoadError(error, options.modelPath, this.#recentLogs);
    }
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
    }).catch((error: unknown) => {
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
