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
  // Library and downloads
  /** A network failure that retries did not overcome (connection refused, reset, timed out, 5xx). */
  | 'NETWORK'
  /** A download URL or redirect points at a host outside the allowed download hosts, or from https to http. */
  | 'HOST_NOT_ALLOWED'
  /** The downloaded bytes do not match the server's sha256; the file was quarantined. */
  | 'CHECKSUM_MISMATCH'
  /** Not enough free disk space to start, or the disk filled during the download. */
  | 'DISK_FULL'
  /** A repository or file that does not exist on the hub. */
  | 'HF_NOT_FOUND'
  /** A gated or private repository: an access token is needed (or the one set lacks access). */
  | 'HF_UNAUTHORIZED'
  /** A file name from the network or from a person that could escape its folder (.., separators, NUL…). */
  | 'INVALID_FILE_NAME'
  /** The model lives in a read-only models folder (an imported LM Studio or Ollama folder, say). */
  | 'READ_ONLY'
  | 'DOWNLOAD_NOT_FOUND'
  | 'FOLDER_NOT_FOUND'
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
  /** Stable id: `<folderId>:<path relative to that folder, forward slashes>`. */
  modelId: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  modifiedAt: number;
  /** Which models folder holds it (see {@link ModelsFolder}). */
  folderId?: string;
  /** True when the file is in a read-only folder and cannot be deleted from Edgewise. */
  readOnly?: boolean;
  /** What the GGUF header says; null when the header could not be read (see `ggufError`). */
  gguf?: GgufSummary | null;
  ggufError?: AppError;
}

/** Facts read from a GGUF file's header. */
export interface GgufSummary {
  name: string | null;
  architecture: string | null;
  /** Total parameters, when the header or the tensor shapes tell. */
  parameters: number | null;
  /** e.g. `Q4_K_M`, from `general.file_type`. */
  quantization: string | null;
  contextLength: number | null;
  hasChatTemplate: boolean;
  /** The chat template can emit or toggle reasoning (`<think>`, `enable_thinking`, …). */
  thinking: boolean;
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
// Hardware: fit estimates (issue 3 owns the hardware domain; this part is what the library also uses)

/** Where a model would run with the given context: all layers on the GPU, some, CPU only, or not at all. */
export type FitVerdict = 'gpu' | 'partial' | 'cpu' | 'no';

export interface FitEstimate {
  verdict: FitVerdict;
  /** Estimated bytes of system RAM and of GPU memory the model and its context need. */
  ramBytes: number;
  vramBytes: number;
  gpuLayers: number;
  totalLayers: number | null;
  contextSize: number;
  /** Expected generation speed on this machine (efficiency × bandwidth ÷ bytes read per token), if known. */
  expectedTokensPerSecond: number | null;
  /** One or two sentences with the numbers behind the verdict. */
  explanation: string;
}

export type FitTarget =
  | { kind: 'local'; modelId: string }
  /** A GGUF file on the hub, judged by its header (fetched with a ranged request). */
  | { kind: 'remote'; url: string }
  /** No header at hand (catalog entries): judged from size and parameter counts. */
  | {
      kind: 'estimate';
      fileSizeBytes: number;
      parameters?: number;
      activeParameters?: number;
      contextLength?: number;
    };

export interface HardwareFitArgs {
  target: FitTarget;
  /** Defaults to min(model's trained context, 4096). */
  contextSize?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Hardware: backends, profile, tier, threads, the safe loading ladder (issue 3)

/** A llama.cpp compute backend. `cpu` always exists. */
export type BackendId = 'metal' | 'cuda' | 'vulkan' | 'cpu';
/** What the person asked for; `auto` = the best backend whose self-test passed. */
export type BackendPreference = BackendId | 'auto';

/**
 * A backend's self-test in its own short-lived process: `ok` (the binary loads and, for a GPU backend, sees a
 * device), `unavailable` (no binary for this machine, no driver, no device: `reason` says which), `crashed`
 * (the probe process died), `timeout`, or `pending` while it runs.
 */
export type BackendStatus = 'ok' | 'unavailable' | 'crashed' | 'timeout' | 'pending';

export interface BackendReport {
  backend: BackendId;
  status: BackendStatus;
  /** Why it is not usable, in words a person can act on; null when `ok`. */
  reason: string | null;
  deviceNames: string[];
  vramTotalBytes: number | null;
  vramFreeBytes: number | null;
  /** Bytes of that VRAM shared with system RAM (Apple silicon, integrated GPUs); 0 when none. */
  unifiedMemoryBytes: number | null;
  /** The "GPU" is the CPU behind a GPU API (lavapipe/llvmpipe, SwiftShader): no faster than the CPU backend. */
  softwareDevice: boolean;
  probeMs: number | null;
}

export interface MemoryBandwidth {
  bytesPerSecond: number;
  threads: number;
  bufferBytes: number;
  durationMs: number;
  /** What was measured, in one sentence. */
  method: string;
}

export type HardwareTierId = 'consumer-edge' | 'mainstream-edge' | 'premium-edge' | 'workstation';

/** A reference model size and quantization and how fast this machine should generate with it. */
export interface ReferenceModelFit {
  /** e.g. `8B Q4_K_M`. */
  label: string;
  parameters: number;
  quant: string;
  sizeBytes: number;
  expectedTokensPerSecond: number;
}

export interface HardwareTier {
  id: HardwareTierId;
  name: string;
  /** Which numbers decided the tier, in a sentence. */
  explanation: string;
  /** The bandwidth the tier was judged on. */
  bandwidthBytesPerSecond: number | null;
  bandwidthSource: 'measured-cpu' | 'gpu-spec' | 'none';
  /** The memory models must fit in (VRAM of the GPU in use, or RAM). */
  memoryBytes: number;
  /** The model sizes the tier is planned for, e.g. `1–8B`. */
  typicalModels: string;
  /** The largest reference model/quant expected at the reading speed or faster; null when none is. */
  largestAtReadingSpeed: ReferenceModelFit | null;
  readingSpeedTokensPerSecond: number;
}

export interface ThreadMeasurement {
  threads: number;
  tokensPerSecond: number;
}

export interface ThreadChoice {
  threads: number;
  /** `calibrated` on the loaded model, the `default` rule, or `EDGEWISE_THREADS`/`--threads`. */
  source: 'calibrated' | 'default' | 'env';
  /** The model shape (architecture, size, quantization) it was measured on; null unless calibrated. */
  modelShape: string | null;
  measurements: ThreadMeasurement[];
  measuredAt: number | null;
}

export interface HardwareProfile {
  cpuModel: string;
  physicalCores: number;
  logicalCores: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
  /** e.g. `linux 6.1.0 (x64)`. */
  os: string;
  /** Null until measured, or when the benchmark failed (see `bandwidthError`). */
  bandwidth: MemoryBandwidth | null;
  bandwidthError: string | null;
  /** One report per backend the installed node-llama-cpp offers for this platform. */
  backends: BackendReport[];
  /** Self-tests or the benchmark are still running. */
  probing: boolean;
  preference: BackendPreference;
  /** Where the preference came from: the person (saved), the `EDGEWISE_GPU` environment variable, or default. */
  preferenceSource: 'user' | 'env' | 'default';
  /** The backend the engine is started with. */
  activeBackend: BackendId;
  /** Set when the preferred backend failed its self-test and Edgewise fell back: says to what and why. */
  fallbackReason: string | null;
  /** A plain answer to "why am I on CPU?"; null when a GPU backend is in use. */
  whyCpu: string | null;
  tier: HardwareTier | null;
  threads: ThreadChoice;
}

export interface HardwareSetBackendArgs {
  backend: BackendPreference;
}

export type LoadStepAction = 'initial' | 'smaller-context' | 'fewer-gpu-layers' | 'cpu-only';

/**
 * One attempt of the safe loading ladder: after an out-of-memory failure the engine retries with a smaller
 * context, then fewer GPU layers, then CPU only, and every attempt is reported (never a silent fallback).
 */
export interface LoadStepEvent {
  modelId: string;
  /** 0 for the first attempt. */
  step: number;
  action: LoadStepAction;
  contextSize: number;
  /** GPU layers asked for; null = all of them. */
  gpuLayers: number | null;
  outcome: 'failed' | 'loaded';
  message: string;
}

// ---------------------------------------------------------------------------------------------------------
// Library, catalog, Hugging Face and downloads (issue 4)

export interface ModelsFolder {
  /** Stable id; the default folder is `default`. */
  folderId: string;
  path: string;
  readOnly: boolean;
  /** Detected layout: Edgewise's own, LM Studio's (`publisher/repo/file.gguf`), Ollama's (manifests + blobs). */
  kind: 'edgewise' | 'folder' | 'lmstudio' | 'ollama';
  /** False when the folder is missing or unreadable right now (an unplugged disk). */
  available: boolean;
  /** Where new downloads go. Exactly one folder is the download target. */
  isDownloadTarget: boolean;
}

export interface LibraryAddFolderArgs {
  path: string;
  readOnly?: boolean;
}
export interface LibraryRemoveFolderArgs {
  folderId: string;
}
export interface LibraryImportArgs {
  /** A .gguf file (copied into the download folder) or a folder (added as a models folder). */
  path: string;
}
export interface LibraryImportResult {
  folders: ModelsFolder[];
  models: ModelFile[];
}
export interface LibraryDeleteArgs {
  modelId: string;
  /** Must be true: the UI asked the person first. */
  confirm: true;
}

export interface CatalogQuant {
  /** e.g. `Q4_K_M`. */
  quant: string;
  /** File name inside the repository. */
  file: string;
  /** Approximate; the exact size and sha256 come from the server at download time. */
  approxSizeBytes: number;
}

export interface CatalogModel {
  catalogId: string;
  family: string;
  name: string;
  /** Hugging Face repository holding the GGUF files, `owner/name`. */
  repo: string;
  parameters: number;
  /** Mixture-of-experts models: parameters active per token. */
  activeParameters?: number;
  license: string;
  contextLength: number;
  capabilities: { thinking: boolean; tools: boolean; multilingual: boolean };
  description: string;
  quants: CatalogQuant[];
}

export interface CatalogListResult {
  /** The catalog data file's version. */
  version: string;
  models: CatalogModel[];
}

export interface HfSearchArgs {
  query: string;
  limit?: number;
}
export interface HfRepoSummary {
  repo: string;
  downloads: number | null;
  likes: number | null;
  updatedAt: string | null;
  gated: boolean;
}
export interface HfFilesArgs {
  repo: string;
  revision?: string;
}
export interface HfFile {
  /** Path inside the repository. */
  path: string;
  sizeBytes: number | null;
  /** LFS sha256 when the hub reports it. */
  sha256: string | null;
  /** Parsed from the file name, e.g. `Q4_K_M`. */
  quant: string | null;
}
export interface HfFilesResult {
  repo: string;
  revision: string;
  files: HfFile[];
}
export interface HfResolveArgs {
  /** `hf:owner/repo/file.gguf` or `https://huggingface.co/owner/repo/resolve/<rev>/file.gguf` (or the mirror's). */
  input: string;
}
export interface HfSource {
  repo: string;
  revision: string;
  file: string;
}
export interface HfSettings {
  endpoint: string;
  /** Where the endpoint came from: `HF_ENDPOINT`, the settings, or the default. */
  endpointSource: 'env' | 'settings' | 'default';
  /** The token itself never leaves main. */
  hasToken: boolean;
}
export interface HfSetSettingsArgs {
  /** null resets to HF_ENDPOINT or the default. */
  endpoint?: string | null;
  /** null removes the token. */
  token?: string | null;
}

export type DownloadState =
  'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface DownloadItem {
  downloadId: string;
  source: HfSource;
  fileName: string;
  state: DownloadState;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** The sha256 the server announced (`X-Linked-Etag`), once known. */
  expectedSha256: string | null;
  attempts: number;
  error: AppError | null;
  /** Set when done: the model's id in the library. */
  modelId: string | null;
  createdAt: number;
}

export interface DownloadsStartArgs {
  /** Created by the caller; every event of this download carries it. */
  downloadId: string;
  source: HfSource;
}
export interface DownloadsIdArgs {
  downloadId: string;
}

/**
 * One stream per `downloadId`: `progress` events (throttled, a few per second; pausing is a progress event
 * with state `paused`), then exactly one terminal event: `done`, `error`, or `aborted` (cancelled).
 */
export type DownloadEvent =
  | { type: 'progress'; downloadId: string; item: DownloadItem }
  | { type: 'done'; downloadId: string; item: DownloadItem }
  | { type: 'error'; downloadId: string; item: DownloadItem; error: AppError }
  | { type: 'aborted'; downloadId: string; item: DownloadItem };

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
  // Hardware (issue 3): the hardware engineer adds the rest of the domain here.
  'hardware:fit': { args: HardwareFitArgs; result: FitEstimate };
  'hardware:profile': { args: void; result: HardwareProfile };
  /** Runs the backend self-tests and the bandwidth benchmark again. */
  'hardware:reprobe': { args: void; result: HardwareProfile };
  /** Saves the backend preference and restarts the engine with it (falling back, with a reason, if it fails). */
  'hardware:setBackend': { args: HardwareSetBackendArgs; result: HardwareProfile };
  /** Measures generation speed at a few thread counts on the loaded model and reloads it with the fastest. */
  'hardware:calibrate': { args: void; result: ThreadChoice };
  // Library, catalog, Hugging Face and downloads (issue 4)
  'library:folders': { args: void; result: ModelsFolder[] };
  'library:addFolder': { args: LibraryAddFolderArgs; result: ModelsFolder[] };
  'library:removeFolder': { args: LibraryRemoveFolderArgs; result: ModelsFolder[] };
  'library:import': { args: LibraryImportArgs; result: LibraryImportResult };
  'library:delete': { args: LibraryDeleteArgs; result: { deleted: boolean } };
  'catalog:list': { args: void; result: CatalogListResult };
  'hf:search': { args: HfSearchArgs; result: HfRepoSummary[] };
  'hf:files': { args: HfFilesArgs; result: HfFilesResult };
  'hf:resolve': { args: HfResolveArgs; result: HfSource };
  'hf:getSettings': { args: void; result: HfSettings };
  'hf:setSettings': { args: HfSetSettingsArgs; result: HfSettings };
  'downloads:list': { args: void; result: DownloadItem[] };
  'downloads:start': { args: DownloadsStartArgs; result: DownloadItem };
  'downloads:pause': { args: DownloadsIdArgs; result: DownloadItem };
  'downloads:resume': { args: DownloadsIdArgs; result: DownloadItem };
  'downloads:cancel': { args: DownloadsIdArgs; result: DownloadItem };
  /** Forgets a finished, failed or cancelled download from the list. */
  'downloads:dismiss': { args: DownloadsIdArgs; result: { dismissed: boolean } };
}

/** Every event main pushes: channel → payload. */
export interface Events {
  'chat:stream': ChatStreamEvent;
  'engine:status': EngineStatus;
  // Hardware (issue 3)
  'hardware:changed': HardwareProfile;
  'hardware:loadStep': LoadStepEvent;
  // Library and downloads (issue 4)
  'downloads:event': DownloadEvent;
  /** The library changed (a download finished, a folder was added, a file was deleted): fetch it again. */
  'models:changed': { reason: string };
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
