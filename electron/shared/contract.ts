/**
 * The one contract between the renderer and the main process.
 *
 * Types only: this file imports nothing and holds no runtime code. The main-process handler table, its
 * runtime validators, the preload bridge, the serve-mode transport and the renderer client are all typed
 * from it, so a call that is missing or mistyped anywhere fails to compile.
 *
 * Channel names are `domain:verb`. `window.api` exposes each call as `domainVerb(args)` and each pushed
 * event as `onDomainVerb(listener) → unsubscribe` (see {@link Api}).
 */

// ---------------------------------------------------------------------------------------------------------
// Errors

export type ErrorCode =
  /** A payload failed runtime validation. */
  | 'INVALID_ARGUMENT'
  /** The call came from a frame or origin that is not ours. */
  | 'FORBIDDEN'
  | 'UNKNOWN_CHANNEL'
  | 'CONVERSATION_NOT_FOUND'
  | 'MODEL_NOT_FOUND'
  /** The file exists but is not a GGUF file. */
  | 'NOT_GGUF'
  /** A GGUF file whose architecture this llama.cpp build cannot run. */
  | 'UNSUPPORTED_ARCHITECTURE'
  /** A GGUF file that is truncated or otherwise corrupt. */
  | 'MODEL_CORRUPT'
  | 'OUT_OF_MEMORY'
  /** The engine host process died (native crash, killed, out of memory at the OS level). */
  | 'ENGINE_CRASHED'
  /** The engine host could not be started or is restarting. */
  | 'ENGINE_UNAVAILABLE'
  /** No usable llama.cpp backend binary is installed for this machine. */
  | 'BACKEND_UNAVAILABLE'
  | 'NO_MODEL_LOADED'
  /** The conversation already has an answer streaming. */
  | 'BUSY'
  /** Serve mode only: the browser lost its connection to the Edgewise service. */
  | 'DISCONNECTED'
  | 'INTERNAL';

export interface AppError {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
}

/** Every call resolves to this envelope; errors are values, never thrown across the boundary. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: AppError };

// ---------------------------------------------------------------------------------------------------------
// Domain types

export interface AppInfo {
  version: string;
  /** `electron` inside the desktop app, `serve` when the services run headless over HTTP. */
  mode: 'electron' | 'serve';
  platform: string;
  modelsDirs: string[];
}

export interface ModelFile {
  /** Stable id: the path relative to its models folder, with forward slashes, prefixed by the folder index. */
  modelId: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  modifiedAt: number;
}

export interface ModelsListResult {
  models: ModelFile[];
}

export type EngineState = 'starting' | 'idle' | 'loading' | 'ready' | 'crashed' | 'stopped';

export interface EngineStatus {
  state: EngineState;
  /** Process id of the engine host, when one is running. */
  pid: number | null;
  modelId: string | null;
  /** Compute backend llama.cpp is using, e.g. `cpu`, `vulkan`, `cuda`, `metal`. */
  backend: string | null;
  threads: number | null;
  contextSize: number | null;
  /** How many times the supervisor has restarted the engine host after it died. */
  restarts: number;
  lastError: AppError | null;
}

export type MessageState = 'streaming' | 'done' | 'stopped' | 'error';

export interface GenerationStats {
  tokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number | null;
  durationMs: number;
}

export interface ChatMessage {
  messageId: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
  /** Assistant messages only. */
  state?: MessageState;
  error?: AppError;
  stats?: GenerationStats;
  modelId?: string;
}

export interface ConversationSummary {
  conversationId: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

export interface Conversation extends ConversationSummary {
  messages: ChatMessage[];
}

// ---------------------------------------------------------------------------------------------------------
// Call payloads

export interface EngineLoadArgs {
  modelId: string;
}
export interface EngineLoadResult {
  status: EngineStatus;
  loadMs: number;
}

export interface ConversationsGetArgs {
  conversationId: string;
}
export interface ConversationsDeleteArgs {
  conversationId: string;
}

export interface ChatSendArgs {
  /** Created by the caller; every event of this stream carries it. */
  requestId: string;
  conversationId: string;
  text: string;
  /** Upper bound on generated tokens; the engine's default applies when absent. */
  maxTokens?: number;
}
export interface ChatSendResult {
  userMessage: ChatMessage;
  assistantMessage: ChatMessage;
}

export interface ChatAbortArgs {
  requestId: string;
}
export interface ChatAbortResult {
  /** False when the stream had already ended or never existed. */
  aborted: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Pushed events

/**
 * One stream per `requestId`: any number of `delta` events, then exactly one terminal event
 * (`done`, `aborted` or `error`). Deltas are appended text, coalesced to about one event per frame.
 */
export type ChatStreamEvent =
  | { type: 'delta'; requestId: string; conversationId: string; messageId: string; text: string }
  | {
      type: 'done';
      requestId: string;
      conversationId: string;
      messageId: string;
      stats: GenerationStats;
    }
  | {
      type: 'aborted';
      requestId: string;
      conversationId: string;
      messageId: string;
      stats: GenerationStats;
    }
  | {
      type: 'error';
      requestId: string;
      conversationId: string;
      messageId: string;
      error: AppError;
    };

// ---------------------------------------------------------------------------------------------------------
// The tables

/** Every request/response call: channel → argument and result types. */
export interface Calls {
  'app:info': { args: void; result: AppInfo };
  'models:list': { args: void; result: ModelsListResult };
  'engine:status': { args: void; result: EngineStatus };
  'engine:load': { args: EngineLoadArgs; result: EngineLoadResult };
  'engine:unload': { args: void; result: EngineStatus };
  'conversations:list': { args: void; result: ConversationSummary[] };
  'conversations:create': { args: void; result: Conversation };
  'conversations:get': { args: ConversationsGetArgs; result: Conversation };
  'conversations:delete': { args: ConversationsDeleteArgs; result: { deleted: boolean } };
  'chat:send': { args: ChatSendArgs; result: ChatSendResult };
  'chat:abort': { args: ChatAbortArgs; result: ChatAbortResult };
}

/** Every event main pushes: channel → payload. */
export interface Events {
  'chat:stream': ChatStreamEvent;
  'engine:status': EngineStatus;
}

export type CallChannel = keyof Calls;
export type EventChannel = keyof Events;
export type CallArgs<K extends CallChannel> = Calls[K]['args'];
export type CallValue<K extends CallChannel> = Calls[K]['result'];

// ---------------------------------------------------------------------------------------------------------
// window.api, derived from the tables

/** `chat:send` → `chatSend` */
export type CallMethodName<K extends string> = K extends `${infer D}:${infer V}`
  ? `${D}${Capitalize<V>}`
  : never;
/** `chat:stream` → `onChatStream` */
export type EventMethodName<K extends string> = K extends `${infer D}:${infer V}`
  ? `on${Capitalize<D>}${Capitalize<V>}`
  : never;

export type CallMethods = {
  [K in CallChannel as CallMethodName<K>]: CallArgs<K> extends void
    ? () => Promise<CallResult<CallValue<K>>>
    : (args: CallArgs<K>) => Promise<CallResult<CallValue<K>>>;
};

export type EventMethods = {
  [K in EventChannel as EventMethodName<K>]: (listener: (payload: Events[K]) => void) => () => void;
};

/** What the preload exposes as `window.api` and what the serve-mode client implements. */
export type Api = CallMethods & EventMethods;

// ---------------------------------------------------------------------------------------------------------
// Serve-mode wire format: the same calls and events as JSON text frames over one WebSocket at `/api`.

export type ServeClientMessage = { type: 'call'; id: number; channel: string; args?: unknown };

export type ServeServerMessage =
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { [K in EventChannel]: { type: 'event'; channel: K; payload: Events[K] } }[EventChannel];
