/**
 * Messages between the main process (supervisor) and the engine host process. Both sides import these types;
 * the engine host validates what it receives because a message can come from a newer or older main.
 */
import type { EngineErrorCode } from './runtime/errors';

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
}

export interface LoadResult {
  modelPath: string;
  backend: string;
  threads: number;
  contextSize: number;
  gpuLayers: number;
  loadMs: number;
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
    }
  | { type: 'abort'; requestId: string }
  | { type: 'forget'; conversationId: string };

export type HostEvent =
  | { type: 'ready'; pid: number }
  | { type: 'reply'; id: number; ok: true; value: LoadResult | null }
  | { type: 'reply'; id: number; ok: false; error: HostError }
  | { type: 'token'; requestId: string; text: string }
  | { type: 'end'; requestId: string; reason: 'done' | 'aborted'; stats: GenerateStats }
  | { type: 'fail'; requestId: string; error: HostError };
