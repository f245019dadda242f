/**
 * Messages between the main process (supervisor) and the engine host process. Both sides import these types;
 * the engine host validates what it receives because a message can come from a newer or older main.
 */
import type { FitNeeds } from './hardware/fit';
import type { ThreadMeasurement } from './hardware/calibrate';
import type { EngineErrorCode } from './runtime/errors';

export type { FitNeeds, ThreadMeasurement };

export interface HostError {
  code: EngineErrorCode;
  message: string;
}

export interface HistoryTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface LoadOptions {
  modelPath: string;
  /** Upper bound on the context size in tokens; the engine uses less if the model was trained on less. */
  contextSize?: number;
  /** CPU threads for generation; a deliberate default is chosen when absent (see runtime/threads.ts). */
  threads?: number;
  /** Layers to put on the GPU; all of them when absent (none on the CPU backend). */
  gpuLayers?: number;
  /**
   * With no `threads`: measure these thread counts on the model right after its weights load (a quick
   * calibration, see hardware/calibrate.ts) and use the fastest. The result reports what was measured.
   */
  calibrateThreads?: number[];
}

export type LoadStepAction = 'initial' | 'smaller-context' | 'fewer-gpu-layers' | 'cpu-only';

/** One attempt of the safe loading ladder (see runtime/ladder.ts); every attempt is reported to main. */
export interface LoadStep {
  step: number;
  action: LoadStepAction;
  contextSize: number;
  /** null = all layers. */
  gpuLayers: number | null;
  outcome: 'failed' | 'loaded';
  message: string;
}

export interface LoadResult {
  modelPath: string;
  backend: string;
  threads: number;
  contextSize: number;
  gpuLayers: number;
  totalLayers: number;
  /** Architecture, size and quantization: what a thread calibration is remembered by. */
  modelShape: string;
  /** Attempts the ladder made; 1 when the first one worked. */
  attempts: number;
  loadMs: number;
  /** Present when the load calibrated threads (`calibrateThreads`). */
  calibration?: ThreadMeasurement[];
}

export interface CalibrationResult {
  modelShape: string;
  measurements: ThreadMeasurement[];
  threads: number;
}

export interface FitRequestSource {
  /** A local path or an https URL (read with ranged requests). */
  location: string;
  headers?: Record<string, string>;
}

export interface FitNeedsResult extends FitNeeds {
  trainContextSize: number | null;
}

export interface GenerateStats {
  tokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number | null;
  durationMs: number;
}

export type HostRequest =
  | { type: 'load'; id: number; options: LoadOptions }
  | { type: 'unload'; id: number }
  | {
      type: 'chat';
      requestId: string;
      conversationId: string;
      /** Everything said before `prompt`; main owns the conversation, the host only mirrors it. */
      history: HistoryTurn[];
      prompt: string;
      maxTokens: number;
      /** Greedy (temperature 0) or seeded sampling, for reproducible output; the chat defaults otherwise. */
      sampling?: { temperature: number; seed?: number };
    }
  | { type: 'abort'; requestId: string }
  | { type: 'forget'; conversationId: string }
  /** Measures generation speed at each thread count on the loaded model. */
  | { type: 'calibrate'; id: number; candidates: number[] }
  /** Memory needs of a GGUF file (local or remote header) at a context size, via GgufInsights. */
  | { type: 'fit'; id: number; source: FitRequestSource; contextSize?: number };

export type ReplyValue = LoadResult | CalibrationResult | FitNeedsResult | null;

export type HostEvent =
  | { type: 'ready'; pid: number }
  | { type: 'reply'; id: number; ok: true; value: ReplyValue }
  /** A load attempt of request `id` (the ladder), sent before the reply. */
  | { type: 'loadStep'; id: number; step: LoadStep }
  | { type: 'reply'; id: number; ok: false; error: HostError }
  | { type: 'token'; requestId: string; text: string }
  | { type: 'end'; requestId: string; reason: 'done' | 'aborted'; stats: GenerateStats }
  | { type: 'fail'; requestId: string; error: HostError };
