import type { AppError, EngineStatus, ErrorCode } from '../../../shared/contract';
import type { EngineErrorCode } from '../../../../native/runtime/errors';
import type {
  CalibrationResult,
  FitNeedsResult,
  FitRequestSource,
  GenerateStats,
  HistoryTurn,
  HostEvent,
  LoadOptions,
  LoadResult,
  LoadStep,
  ReplyValue,
} from '../../../../native/protocol';
import { ServiceError } from '../errors';
import type { EngineProcess, ExitInfo, SpawnEngine } from './engineProcess';

// Every code the engine host can send must be one the contract knows.
const _engineCodesAreContractCodes = (code: EngineErrorCode): ErrorCode => code;
void _engineCodesAreContractCodes;

export interface StreamHandlers {
  onToken(text: string): void;
  onEnd(reason: 'done' | 'aborted', stats: GenerateStats): void;
  onFail(error: AppError): void;
}

export interface ChatStreamRequest {
  requestId: string;
  conversationId: string;
  history: HistoryTurn[];
  prompt: string;
  maxTokens: number;
  /** Greedy or seeded sampling (reproducible output); the engine's chat defaults otherwise. */
  sampling?: { temperature: number; seed?: number };
}

export interface SupervisorOptions {
  spawn: SpawnEngine;
  /** Extra environment for each new engine host, read at spawn time (the chosen backend: `EDGEWISE_GPU`). */
  spawnEnv?: () => Record<string, string>;
  /** Each attempt of the loading ladder, as the host reports it. */
  onLoadStep?: (modelId: string, step: LoadStep) => void;
  onStatus?: (status: EngineStatus) => void;
  /** Waits before each successive restart; the last one repeats. */
  restartDelaysMs?: readonly number[];
  /** More crashes than this within a minute stop the automatic restarts (a crash loop). */
  maxCrashesPerMinute?: number;
  readyTimeoutMs?: number;
  threads?: number;
  contextSize?: number;
}

interface Pending {
  resolve(value: ReplyValue): void;
  reject(error: ServiceError): void;
  /** Set for loads, so their ladder steps can name the model. */
  modelId?: string;
}

/**
 * Owns the engine host process: starts it, relays its events, and when it dies ends every open stream with
 * an `ENGINE_CRASHED` error, restarts it, and reloads the model that was loaded. Nothing the host does can
 * take main down with it.
 */
export class EngineSupervisor {
  readonly #options: SupervisorOptions;
  #proc: EngineProcess | null = null;
  #ready: Promise<void> | null = null;
  #status: EngineStatus = {
    state: 'stopped',
    pid: null,
    modelId: null,
    backend: null,
    threads: null,
    contextSize: null,
    restarts: 0,
    lastError: null,
  };
  readonly #pending = new Map<number, Pending>();
  readonly #streams = new Map<string, StreamHandlers>();
  #nextId = 1;
  #lastLoad: { modelId: string; options: LoadOptions } | null = null;
  #crashTimes: number[] = [];
  #restartTimer: ReturnType<typeof setTimeout> | null = null;
  /** Ends a restart's wait early when the engine is stopped or respawned meanwhile. */
  #wakeRestart: (() => void) | null = null;
  /** Bumped by every stop(): a restart scheduled before it must not act after it. */
  #generation = 0;
  /** Resolves once a scheduled restart (and reload) has finished, for callers that arrive meanwhile. */
  #recovering: Promise<void> | null = null;
  #stopped = false;

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  get status(): EngineStatus {
    return { ...this.#status };
  }

  get pid(): number | null {
    return this.#proc?.pid ?? null;
  }

  /** Starts the engine host if it is not running and waits until it says it is ready. */
  start(): Promise<void> {
    this.#stopped = false;
    if (this.#ready) return this.#ready;
    const proc = this.#options.spawn(this.#options.spawnEnv?.());
    this.#proc = proc;
    this.#setStatus({ state: 'starting', pid: proc.pid });
    const ready = new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => {
        reject(new ServiceError('ENGINE_UNAVAILABLE', 'The engine did not start in time.'));
        proc.kill('SIGKILL');
      }, this.#options.readyTimeoutMs ?? 30_000);
      proc.onMessage((message) => {
        if (this.#proc !== proc) return;
        if (isHostEvent(message) && message.type === 'ready') {
          clearTimeout(timeout);
          // 'loading' only when a reload follows (a restart with a model to bring back); else nothing is loaded.
          this.#setStatus(
            this.#lastLoad
              ? { state: 'loading', pid: proc.pid }
              : {
                  state: 'idle',
                  pid: proc.pid,
                  modelId: null,
                  backend: null,
                  threads: null,
                  contextSize: null,
                },
          );
          resolve();
          return;
        }
        this.#onMessage(message);
      });
      proc.onExit((info) => {
        clearTimeout(timeout);
        reject(new ServiceError('ENGINE_CRASHED', crashMessage(info)));
        this.#onExit(proc, info);
      });
    });
    ready.catch(() => undefined);
    this.#ready = ready;
    return ready;
  }

  async load(modelId: string, options: LoadOptions): Promise<LoadResult> {
    await this.#whenRunning();
    return this.#load(modelId, options);
  }

  async #load(modelId: string, options: LoadOptions): Promise<LoadResult> {
    const withDefaults: LoadOptions = {
      ...options,
      threads: options.threads ?? this.#options.threads,
      contextSize: options.contextSize ?? this.#options.contextSize,
    };
    this.#setStatus({
      state: 'loading',
      modelId,
      backend: null,
      threads: null,
      contextSize: null,
      lastError: null,
    });
    try {
      const result = (await this.#request(
        (id) => ({ type: 'load', id, options: withDefaults }),
        modelId,
      )) as LoadResult | null;
      if (!result) throw new ServiceError('INTERNAL', 'The engine did not report what it loaded.');
      // A reload after a crash reuses what this load settled on (no second calibration).
      this.#lastLoad = {
        modelId,
        options: { ...withDefaults, threads: result.threads, calibrateThreads: undefined },
      };
      this.#setStatus({
        state: 'ready',
        modelId,
        backend: result.backend,
        threads: result.threads,
        contextSize: result.contextSize,
      });
      return result;
    } catch (error) {
      const appError = error instanceof ServiceError ? error.toJSON() : toError('INTERNAL', error);
      // A crash during load is already reported (and recovered) by #onExit.
      if (appError.code !== 'ENGINE_CRASHED') {
        this.#lastLoad = null;
        this.#setStatus({ state: 'idle', modelId: null, lastError: appError });
      }
      throw new ServiceError(appError.code, appError.message);
    }
  }

  /** The model loaded now and the options it was loaded with. */
  get loaded(): { modelId: string; options: LoadOptions } | null {
    return this.#lastLoad && this.#status.state === 'ready' ? { ...this.#lastLoad } : null;
  }

  /** Measures generation speed at each thread count on the loaded model. */
  async calibrate(candidates: number[]): Promise<CalibrationResult> {
    await this.whenReadyForChat();
    const result = await this.#request((id) => ({ type: 'calibrate', id, candidates }));
    if (!result || !('measurements' in result))
      throw new ServiceError('INTERNAL', 'The engine did not calibrate.');
    return result;
  }

  /** A GGUF file's memory needs, computed by llama.cpp in the engine host. */
  async fitNeeds(source: FitRequestSource, contextSize?: number): Promise<FitNeedsResult> {
    await this.#whenRunning();
    const result = await this.#request((id) => ({ type: 'fit', id, source, contextSize }));
    if (!result || !('bytesPerToken' in result))
      throw new ServiceError('INTERNAL', 'The engine did not answer.');
    return result;
  }

  /**
   * Starts a fresh engine host (with whatever `spawnEnv` says now, e.g. another backend) and reloads the model
   * that was loaded. Not a crash: open streams end as stopped.
   */
  async respawn(): Promise<LoadResult | null> {
    const reload = this.#lastLoad;
    // stop() returns once the old host exited, and its exit already cleared #ready; clearing it here too let
    // two overlapping respawns start two hosts.
    await this.stop();
    this.#crashTimes = [];
    await this.start();
    return reload ? this.#load(reload.modelId, reload.options) : null;
  }

  async unload(): Promise<void> {
    this.#lastLoad = null;
    if (!this.#proc) {
      this.#setStatus({ modelId: null, backend: null, threads: null, contextSize: null });
      return;
    }
    await this.#request((id) => ({ type: 'unload', id }));
    // The host runs load and unload in order, so a load that was in flight answered before this and may have
    // set a reload target again: nothing is loaded now, and a later crash must not bring it back.
    this.#lastLoad = null;
    this.#setStatus({ state: 'idle', modelId: null, backend: null, threads: null, contextSize: null });
  }

  /** Waits for a restart in progress, then checks a model is loaded. */
  async whenReadyForChat(): Promise<void> {
    if (this.#recovering) await this.#recovering.catch(() => undefined);
    if (this.#status.state !== 'ready' || !this.#proc) {
      if (this.#status.state === 'crashed' || this.#status.state === 'stopped') {
        throw new ServiceError(
          'ENGINE_UNAVAILABLE',
          this.#status.lastError?.message ?? 'The engine is not running. Pick a model to start it.',
        );
      }
      throw new ServiceError('NO_MODEL_LOADED', 'No model is loaded. Pick a model first.');
    }
  }

  /** Starts a stream; its handlers get any number of tokens and then exactly one of onEnd / onFail. */
  chat(request: ChatStreamRequest, handlers: StreamHandlers): void {
    const proc = this.#proc;
    if (!proc || this.#status.state !== 'ready') {
      handlers.onFail({ code: 'NO_MODEL_LOADED', message: 'No model is loaded. Pick a model first.' });
      return;
    }
    this.#streams.set(request.requestId, handlers);
    proc.send({ type: 'chat', ...request });
  }

  abort(requestId: string): boolean {
    if (!this.#streams.has(requestId)) return false;
    this.#proc?.send({ type: 'abort', requestId });
    return true;
  }

  /** Forgets a stream without waiting for the host (used when the host does not answer an abort). */
  detach(requestId: string): void {
    this.#streams.delete(requestId);
  }

  forget(conversationId: string): void {
    this.#proc?.send({ type: 'forget', conversationId });
  }

  /** Stops the engine host for good (app quit); no restart follows. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#generation += 1;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    // A restart waiting out its delay must settle (callers await it), then see the new generation and end.
    this.#wakeRestart?.();
    this.#recovering = null;
    const proc = this.#proc;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.onExit(() => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async #whenRunning(): Promise<void> {
    if (this.#recovering) await this.#recovering.catch(() => undefined);
    if (!this.#proc) {
      // A load after a crash loop (or before the first start) is a person asking to try again.
      this.#crashTimes = [];
      this.#ready = null;
    }
    await this.start();
  }

  #request(
    build: (id: number) => Parameters<EngineProcess['send']>[0],
    modelId?: string,
  ): Promise<ReplyValue> {
    const proc = this.#proc;
    if (!proc) return Promise.reject(new ServiceError('ENGINE_UNAVAILABLE', 'The engine is not running.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, modelId });
      proc.send(build(id));
    });
  }

  #onMessage(message: unknown): void {
    if (!isHostEvent(message)) return;
    switch (message.type) {
      case 'ready':
        return;
      case 'reply': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new ServiceError(message.error.code, message.error.message));
        return;
      }
      case 'loadStep': {
        const modelId = this.#pending.get(message.id)?.modelId;
        if (modelId !== undefined) this.#options.onLoadStep?.(modelId, message.step);
        return;
      }
      case 'token':
        this.#streams.get(message.requestId)?.onToken(message.text);
        return;
      case 'end': {
        const handlers = this.#streams.get(message.requestId);
        this.#streams.delete(message.requestId);
        handlers?.onEnd(message.reason, message.stats);
        return;
      }
      case 'fail': {
        const handlers = this.#streams.get(message.requestId);
        this.#streams.delete(message.requestId);
        handlers?.onFail({ code: message.error.code, message: message.error.message });
        return;
      }
      default:
        message satisfies never;
    }
  }

  #onExit(proc: EngineProcess, info: ExitInfo): void {
    if (this.#proc !== proc) return;
    this.#proc = null;
    this.#ready = null;
    const error: AppError = { code: 'ENGINE_CRASHED', message: crashMessage(info) };
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    // Quitting mid-answer stops the answer; only an exit nobody asked for is a crash.
    for (const handlers of streams) {
      if (this.#stopped)
        handlers.onEnd('aborted', { tokens: 0, tokensPerSecond: 0, timeToFirstTokenMs: null, durationMs: 0 });
      else handlers.onFail(error);
    }
    for (const pending of this.#pending.values()) pending.reject(new ServiceError(error.code, error.message));
    this.#pending.clear();

    if (this.#stopped) {
      this.#setStatus({ state: 'stopped', pid: null });
      return;
    }
    const now = Date.now();
    this.#crashTimes = [...this.#crashTimes.filter((time) => now - time < 60_000), now];
    const limit = this.#options.maxCrashesPerMinute ?? 5;
    if (this.#crashTimes.length > limit) {
      this.#recovering = null;
      this.#setStatus({
        state: 'stopped',
        pid: null,
        lastError: {
          code: 'ENGINE_CRASHED',
          message: `The engine crashed ${this.#crashTimes.length} times in a minute, so Edgewise stopped restarting it. Pick a model to try again.`,
        },
      });
      return;
    }
    this.#setStatus({ state: 'crashed', pid: null, lastError: error });
    const recovering = this.#restart(this.#crashTimes.length - 1).catch(() => undefined);
    this.#recovering = recovering;
    void recovering.finally(() => {
      if (this.#recovering === recovering) this.#recovering = null;
    });
  }

  async #restart(attempt: number): Promise<void> {
    const delays = this.#options.restartDelaysMs ?? [100, 500, 2000, 5000];
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    const generation = this.#generation;
    await new Promise<void>((resolve) => {
      this.#wakeRestart = resolve;
      this.#restartTimer = setTimeout(resolve, delay);
    });
    this.#restartTimer = null;
    this.#wakeRestart = null;
    if (this.#stopped || generation !== this.#generation) return;
    const lastError = this.#status.lastError;
    // If the new process dies too, #onExit schedules the next attempt; this one just ends.
    await this.start();
    this.#setStatus({ restarts: this.#status.restarts + 1 });
    const reload = this.#lastLoad;
    if (reload) await this.#load(reload.modelId, reload.options);
    // Keep the crash visible after recovery (the person should know what happened), told as past.
    if (lastError)
      this.#setStatus({ lastError: { ...lastError, message: recoveredMessage(lastError.message) } });
  }

  #setStatus(patch: Partial<EngineStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#options.onStatus?.(this.status);
  }
}

const RESTARTING = 'Edgewise is restarting it; your conversation and the partial answer are kept.';
const RESTARTED = 'Edgewise restarted it; your conversation and the partial answer are kept.';

function recoveredMessage(message: string): string {
  return message.replace(RESTARTING, RESTARTED);
}

function crashMessage({ code, signal }: ExitInfo): string {
  const tail = RESTARTING;
  if (signal === 'SIGKILL') {
    return `The engine was killed (SIGKILL), often by the system when memory runs out. ${tail}`;
  }
  if (signal) return `The engine crashed (${signal}) inside llama.cpp or the GPU driver. ${tail}`;
  return `The engine stopped unexpectedly (exit code ${code ?? 'unknown'}). ${tail}`;
}

function toError(code: ErrorCode, error: unknown): AppError {
  return { code, message: error instanceof Error ? error.message : String(error) };
}

function isHostEvent(message: unknown): message is HostEvent {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { type?: unknown }).type === 'string'
  );
}
