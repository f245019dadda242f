import type {
  Api,
  AppError,
  AppInfo,
  CallMethods,
  CatalogListResult,
  CallResult,
  ChatMessage,
  ChatSendArgs,
  ChatStreamEvent,
  Conversation,
  ConversationSummary,
  DownloadEvent,
  DownloadItem,
  EngineStatus,
  ErrorCode,
  EventChannel,
  Events,
  FitEstimate,
  GenerationStats,
  HardwareProfile,
  HfSettings,
  ModelFile,
  ModelsFolder,
} from '../../electron/shared/contract';

type Method = keyof CallMethods;
type ArgsOf<M extends Method> = Parameters<CallMethods[M]>[0];

export function ok<T>(value: T): CallResult<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message = `${code} (fake)`): { ok: false; error: AppError } {
  return { ok: false, error: { code, message } };
}

export function model(fileName: string, sizeBytes = 12_345_678): ModelFile {
  return { modelId: `0/${fileName}`, fileName, path: `/models/${fileName}`, sizeBytes, modifiedAt: 0 };
}

// Library, catalog, Hugging Face and downloads (issue 4)

export const FOLDER: ModelsFolder = {
  folderId: 'default',
  path: '/home/me/.edgewise/models',
  readOnly: false,
  kind: 'edgewise',
  available: true,
  isDownloadTarget: true,
};

export const CATALOG: CatalogListResult = {
  version: '2025.10.1',
  models: [
    {
      catalogId: 'qwen3-4b',
      family: 'Qwen3',
      name: 'Qwen3 4B',
      repo: 'Qwen/Qwen3-4B-GGUF',
      parameters: 4e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: { thinking: true, tools: true, multilingual: true },
      description: 'The sweet spot for laptops.',
      quants: [
        { quant: 'Q4_K_M', file: 'Qwen3-4B-Q4_K_M.gguf', approxSizeBytes: 2.5e9 },
        { quant: 'Q8_0', file: 'Qwen3-4B-Q8_0.gguf', approxSizeBytes: 4.28e9 },
      ],
    },
    {
      catalogId: 'qwen3-30b-a3b',
      family: 'Qwen3',
      name: 'Qwen3 30B-A3B (MoE)',
      repo: 'Qwen/Qwen3-30B-A3B-GGUF',
      parameters: 30.5e9,
      activeParameters: 3.3e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: { thinking: true, tools: true, multilingual: true },
      description: 'Mixture of experts.',
      quants: [{ quant: 'Q4_K_M', file: 'Qwen3-30B-A3B-Q4_K_M.gguf', approxSizeBytes: 18.6e9 }],
    },
  ],
};

export const FIT: FitEstimate = {
  verdict: 'cpu',
  ramBytes: 3e9,
  vramBytes: 0,
  gpuLayers: 0,
  totalLayers: 36,
  contextSize: 4096,
  expectedTokensPerSecond: 14,
  explanation: 'Fits in RAM with room to spare (fake).',
};

// Hardware (issue 3): a 2-core CPU-only machine whose Vulkan binary finds no GPU.
export const HARDWARE: HardwareProfile = {
  cpuModel: 'AMD EPYC (fake)',
  physicalCores: 2,
  logicalCores: 2,
  ramTotalBytes: 24e9,
  ramFreeBytes: 20e9,
  os: 'linux 6.1.0 (x64)',
  bandwidth: {
    bytesPerSecond: 30e9,
    threads: 2,
    bufferBytes: 2 ** 28,
    durationMs: 500,
    method: 'memchr (fake)',
  },
  bandwidthError: null,
  backends: [
    {
      backend: 'cuda',
      status: 'unavailable',
      reason: 'No NVIDIA driver found (fake).',
      deviceNames: [],
      vramTotalBytes: null,
      vramFreeBytes: null,
      unifiedMemoryBytes: null,
      softwareDevice: false,
      probeMs: 300,
    },
    {
      backend: 'vulkan',
      status: 'unavailable',
      reason: 'The Vulkan binary loaded, but it found no GPU (fake).',
      deviceNames: [],
      vramTotalBytes: 0,
      vramFreeBytes: 0,
      unifiedMemoryBytes: 0,
      softwareDevice: false,
      probeMs: 500,
    },
    {
      backend: 'cpu',
      status: 'ok',
      reason: null,
      deviceNames: [],
      vramTotalBytes: null,
      vramFreeBytes: null,
      unifiedMemoryBytes: null,
      softwareDevice: false,
      probeMs: 250,
    },
  ],
  probing: false,
  preference: 'auto',
  preferenceSource: 'default',
  activeBackend: 'cpu',
  fallbackReason: null,
  whyCpu: 'No GPU backend passed its self-test (fake).',
  tier: {
    id: 'consumer-edge',
    name: 'Consumer edge',
    explanation: 'Consumer edge: 30 GB/s measured (fake).',
    bandwidthBytesPerSecond: 30e9,
    bandwidthSource: 'measured-cpu',
    memoryBytes: 19.2e9,
    typicalModels: '1–8B',
    largestAtReadingSpeed: {
      label: '1.7B Q4_K_M',
      parameters: 1.7e9,
      quant: 'Q4_K_M',
      sizeBytes: 1.04e9,
      expectedTokensPerSecond: 13,
    },
    readingSpeedTokensPerSecond: 10,
  },
  threads: { threads: 1, source: 'default', modelShape: null, measurements: [], measuredAt: null },
};

const HF_SETTINGS: HfSettings = {
  endpoint: 'https://huggingface.co',
  endpointSource: 'default',
  hasToken: false,
};

export const STATS: GenerationStats = {
  tokens: 128,
  tokensPerSecond: 42.13,
  timeToFirstTokenMs: 310,
  durationMs: 3040,
};

export const IDLE: EngineStatus = {
  state: 'idle',
  pid: 4242,
  modelId: null,
  backend: 'cpu',
  threads: 1,
  contextSize: null,
  restarts: 0,
  lastError: null,
};

/** A stream `chatSend` started: what its events must carry. */
export interface FakeStream {
  args: ChatSendArgs;
  userMessage: ChatMessage;
  assistantMessage: ChatMessage;
  delta(text: string): void;
  done(stats?: GenerationStats): void;
  aborted(stats?: GenerationStats): void;
  error(code: ErrorCode, message: string): void;
}

export interface FakeApiOptions {
  models?: ModelFile[];
  status?: Partial<EngineStatus>;
  info?: Partial<AppInfo>;
  conversations?: Conversation[];
  folders?: ModelsFolder[];
  catalog?: CatalogListResult;
  /** What `hardwareFit` answers; a function decides per target; null makes it fail (no hardware probe). */
  fit?: FitEstimate | null | ((args: Parameters<CallMethods['hardwareFit']>[0]) => FitEstimate | null);
  hardware?: Partial<HardwareProfile>;
  downloads?: DownloadItem[];
}

export interface FakeApi {
  api: Api;
  /** Every call, in order. */
  calls: Array<{ method: Method; args: unknown }>;
  argsOf<M extends Method>(method: M): Array<ArgsOf<M>>;
  /** The stock behaviour: an in-memory main process. */
  defaults: CallMethods;
  /** Replaces one method's behaviour for the rest of the test. */
  handle<M extends Method>(method: M, impl: CallMethods[M]): void;
  emit<K extends EventChannel>(channel: K, payload: Events[K]): void;
  listenerCount(channel: EventChannel): number;
  status(): EngineStatus;
  /** Changes the engine status and pushes it, as main does. */
  setStatus(patch: Partial<EngineStatus>): EngineStatus;
  /** Streams started by `chatSend`, oldest first. */
  streams: FakeStream[];
  lastStream(): FakeStream;
  /** The fake download manager's items, by id. */
  downloads: Map<string, DownloadItem>;
  /** Changes a download and pushes the event main would (`progress` unless a terminal type is given). */
  updateDownload(
    downloadId: string,
    patch: Partial<DownloadItem>,
    type?: DownloadEvent['type'],
  ): DownloadItem;
}

/** A typed stand-in for `window.api`, with events the test emits by hand. */
export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const models = [...(options.models ?? [model('tiny-q8_0.gguf'), model('small-q4_0.gguf')])];
  let folders = [...(options.folders ?? [FOLDER])];
  const downloads = new Map<string, DownloadItem>((options.downloads ?? []).map((d) => [d.downloadId, d]));
  const info: AppInfo = {
    version: '0.1.0',
    mode: 'electron',
    platform: 'linux',
    modelsDirs: ['/home/me/.edgewise/models'],
    ...options.info,
  };
  let status: EngineStatus = { ...IDLE, ...options.status };
  const conversations = new Map<string, Conversation>(
    (options.conversations ?? []).map((c) => [c.conversationId, structuredClone(c)]),
  );
  let hardware: HardwareProfile = { ...HARDWARE, ...options.hardware };
  const listeners: { [K in EventChannel]: Set<(payload: Events[K]) => void> } = {
    'chat:stream': new Set(),
    'engine:status': new Set(),
    'hardware:changed': new Set(),
    'hardware:loadStep': new Set(),
    'downloads:event': new Set(),
    'models:changed': new Set(),
  };
  const calls: FakeApi['calls'] = [];
  const streams: FakeStream[] = [];
  let seq = 0;

  function emit<K extends EventChannel>(channel: K, payload: Events[K]): void {
    for (const listener of [...listeners[channel]]) listener(payload);
  }

  function setStatus(patch: Partial<EngineStatus>): EngineStatus {
    status = { ...status, ...patch };
    emit('engine:status', status);
    return status;
  }

  function summary(c: Conversation): ConversationSummary {
    return {
      conversationId: c.conversationId,
      title: c.title,
      updatedAt: c.updatedAt,
      messageCount: c.messages.length,
    };
  }

  function makeStream(
    args: ChatSendArgs,
    userMessage: ChatMessage,
    assistantMessage: ChatMessage,
  ): FakeStream {
    const ids = {
      requestId: args.requestId,
      conversationId: args.conversationId,
      messageId: assistantMessage.messageId,
    };
    const push = (event: ChatStreamEvent): void => emit('chat:stream', event);
    return {
      args,
      userMessage,
      assistantMessage,
      delta: (text) => push({ type: 'delta', ...ids, text }),
      done: (stats = STATS) => push({ type: 'done', ...ids, stats }),
      aborted: (stats = STATS) => push({ type: 'aborted', ...ids, stats }),
      error: (code, message) => push({ type: 'error', ...ids, error: { code, message } }),
    };
  }

  function updateDownload(
    downloadId: string,
    patch: Partial<DownloadItem>,
    type: DownloadEvent['type'] = 'progress',
  ): DownloadItem {
    const current = downloads.get(downloadId);
    if (!current) throw new Error(`No fake download ${downloadId}`);
    const item = { ...current, ...patch };
    downloads.set(downloadId, item);
    const event: DownloadEvent =
      type === 'error'
        ? { type, downloadId, item, error: item.error ?? { code: 'NETWORK', message: 'failed (fake)' } }
        : { type, downloadId, item };
    emit('downloads:event', event);
    return item;
  }

  function setDownloadState(downloadId: string, state: DownloadItem['state']) {
    if (!downloads.has(downloadId)) return fail('DOWNLOAD_NOT_FOUND');
    return ok(updateDownload(downloadId, { state }, state === 'cancelled' ? 'aborted' : 'progress'));
  }

  const changed = (reason: string): void => emit('models:changed', { reason });

  const defaults: CallMethods = {
    appInfo: async () => ok(info),
    modelsList: async () => ok({ models }),
    engineStatus: async () => ok(status),
    async engineLoad({ modelId }) {
      if (!models.some((m) => m.modelId === modelId)) return fail('MODEL_NOT_FOUND');
      setStatus({ state: 'loading', modelId, lastError: null });
      return ok({ status: setStatus({ state: 'ready', modelId, contextSize: 4096 }), loadMs: 12 });
    },
    engineUnload: async () => ok(setStatus({ state: 'idle', modelId: null })),
    conversationsList: async () => ok([...conversations.values()].map(summary)),
    async conversationsCreate() {
      seq += 1;
      const conversation: Conversation = {
        conversationId: `conv-${seq}`,
        title: 'New conversation',
        updatedAt: 1_700_000_000_000 + seq,
        messageCount: 0,
        messages: [],
      };
      conversations.set(conversation.conversationId, conversation);
      return ok(structuredClone(conversation));
    },
    async conversationsGet({ conversationId }) {
      const c = conversations.get(conversationId);
      return c ? ok(structuredClone(c)) : fail('CONVERSATION_NOT_FOUND');
    },
    async conversationsDelete({ conversationId }) {
      return ok({ deleted: conversations.delete(conversationId) });
    },
    async chatSend(args) {
      const c = conversations.get(args.conversationId);
      if (!c) return fail('CONVERSATION_NOT_FOUND');
      if (status.state !== 'ready') return fail('NO_MODEL_LOADED', 'Load a model first.');
      seq += 1;
      const userMessage: ChatMessage = {
        messageId: `msg-${seq}-user`,
        role: 'user',
        text: args.text,
        createdAt: 1,
      };
      const assistantMessage: ChatMessage = {
        messageId: `msg-${seq}-assistant`,
        role: 'assistant',
        text: '',
        createdAt: 2,
        state: 'streaming',
        modelId: status.modelId ?? undefined,
      };
      c.messages.push(userMessage, assistantMessage);
      if (c.title === 'New conversation') c.title = args.text.slice(0, 40);
      streams.push(makeStream(args, userMessage, assistantMessage));
      return ok({ userMessage: { ...userMessage }, assistantMessage: { ...assistantMessage } });
    },
    async chatAbort({ requestId }) {
      return ok({ aborted: streams.some((s) => s.args.requestId === requestId) });
    },
    async hardwareFit(args) {
      const fit =
        typeof options.fit === 'function' ? options.fit(args) : options.fit === undefined ? FIT : options.fit;
      return fit ? ok(fit) : fail('INTERNAL', 'No hardware probe (fake)');
    },
    hardwareProfile: async () => ok(hardware),
    hardwareReprobe: async () => ok(hardware),
    async hardwareSetBackend({ backend }) {
      const report = hardware.backends.find((b) => b.backend === backend);
      const works = backend === 'auto' || backend === 'cpu' || report?.status === 'ok';
      hardware = {
        ...hardware,
        preference: backend,
        preferenceSource: backend === 'auto' ? 'default' : 'user',
        activeBackend: works && backend !== 'auto' ? backend : 'cpu',
        fallbackReason: works
          ? null
          : `${backend} was chosen but its self-test failed (fake). Using CPU instead.`,
      };
      return ok(hardware);
    },
    async hardwareCalibrate() {
      if (status.state !== 'ready') return fail('NO_MODEL_LOADED', 'Load a model first (fake).');
      const threads = {
        threads: 1,
        source: 'calibrated' as const,
        modelShape: 'llama 58M MOSTLY_Q8_0',
        measurements: [
          { threads: 1, tokensPerSecond: 240 },
          { threads: 2, tokensPerSecond: 53 },
          { threads: 4, tokensPerSecond: 0.5 },
        ],
        measuredAt: 1,
      };
      hardware = { ...hardware, threads };
      return ok(threads);
    },
    libraryFolders: async () => ok([...folders]),
    async libraryAddFolder({ path, readOnly }) {
      if (folders.some((f) => f.path === path)) return ok([...folders]);
      folders.push({
        folderId: `f-${folders.length}`,
        path,
        readOnly: readOnly ?? false,
        kind: 'folder',
        available: true,
        isDownloadTarget: false,
      });
      changed('folder-added');
      return ok([...folders]);
    },
    async libraryRemoveFolder({ folderId }) {
      if (!folders.some((f) => f.folderId === folderId)) return fail('FOLDER_NOT_FOUND');
      folders = folders.filter((f) => f.folderId !== folderId);
      changed('folder-removed');
      return ok([...folders]);
    },
    async libraryImport({ path }) {
      const fileName = path.split('/').pop() ?? path;
      if (!fileName.endsWith('.gguf')) return fail('NOT_GGUF', `${fileName} is not a GGUF model file.`);
      if (models.some((m) => m.fileName === fileName))
        return fail('INVALID_ARGUMENT', `${fileName} is already there.`);
      models.push({
        ...model(fileName),
        modelId: `default:${fileName}`,
        folderId: 'default',
        readOnly: false,
      });
      changed('imported');
      return ok({ folders: [...folders], models: [...models] });
    },
    async libraryDelete({ modelId }) {
      const index = models.findIndex((m) => m.modelId === modelId);
      if (index < 0) return fail('MODEL_NOT_FOUND');
      if (models[index]?.readOnly) return fail('READ_ONLY', 'Read-only folder (fake).');
      models.splice(index, 1);
      changed('deleted');
      return ok({ deleted: true });
    },
    catalogList: async () => ok(options.catalog ?? CATALOG),
    hfSearch: async ({ query }) =>
      ok([{ repo: `edgewise/${query}-GGUF`, downloads: 42, likes: 1, updatedAt: null, gated: false }]),
    hfFiles: async ({ repo }) =>
      ok({
        repo,
        revision: 'main',
        files: [{ path: 'tiny.Q8_0.gguf', sizeBytes: 700_000, sha256: null, quant: 'Q8_0' }],
      }),
    async hfResolve({ input }) {
      const match = /^hf:([^/]+\/[^/]+)\/(.+\.gguf)$/.exec(input.trim());
      return match ? ok({ repo: match[1]!, revision: 'main', file: match[2]! }) : fail('HF_NOT_FOUND');
    },
    hfGetSettings: async () => ok(HF_SETTINGS),
    hfSetSettings: async () => ok(HF_SETTINGS),
    downloadsList: async () => ok([...downloads.values()]),
    async downloadsStart({ downloadId, source }) {
      const item: DownloadItem = {
        downloadId,
        source,
        fileName: source.file,
        state: 'queued',
        receivedBytes: 0,
        totalBytes: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        expectedSha256: null,
        attempts: 0,
        error: null,
        modelId: null,
        createdAt: 1_700_000_000_000 + downloads.size,
      };
      downloads.set(downloadId, item);
      return ok(item);
    },
    downloadsPause: async ({ downloadId }) => setDownloadState(downloadId, 'paused'),
    downloadsResume: async ({ downloadId }) => setDownloadState(downloadId, 'queued'),
    downloadsCancel: async ({ downloadId }) => setDownloadState(downloadId, 'cancelled'),
    downloadsDismiss: async ({ downloadId }) => ok({ dismissed: downloads.delete(downloadId) }),
  };

  const handlers: CallMethods = { ...defaults };

  function record<M extends Method>(method: M, args: unknown): void {
    calls.push({ method, args });
  }

  function on<K extends EventChannel>(channel: K, listener: (payload: Events[K]) => void): () => void {
    listeners[channel].add(listener);
    return () => {
      listeners[channel].delete(listener);
    };
  }

  const api: Api = {
    appInfo: () => (record('appInfo', undefined), handlers.appInfo()),
    modelsList: () => (record('modelsList', undefined), handlers.modelsList()),
    engineStatus: () => (record('engineStatus', undefined), handlers.engineStatus()),
    engineLoad: (args) => (record('engineLoad', args), handlers.engineLoad(args)),
    engineUnload: () => (record('engineUnload', undefined), handlers.engineUnload()),
    conversationsList: () => (record('conversationsList', undefined), handlers.conversationsList()),
    conversationsCreate: () => (record('conversationsCreate', undefined), handlers.conversationsCreate()),
    conversationsGet: (args) => (record('conversationsGet', args), handlers.conversationsGet(args)),
    conversationsDelete: (args) => (record('conversationsDelete', args), handlers.conversationsDelete(args)),
    chatSend: (args) => (record('chatSend', args), handlers.chatSend(args)),
    chatAbort: (args) => (record('chatAbort', args), handlers.chatAbort(args)),
    hardwareFit: (args) => (record('hardwareFit', args), handlers.hardwareFit(args)),
    hardwareProfile: () => (record('hardwareProfile', undefined), handlers.hardwareProfile()),
    hardwareReprobe: () => (record('hardwareReprobe', undefined), handlers.hardwareReprobe()),
    hardwareSetBackend: (args) => (record('hardwareSetBackend', args), handlers.hardwareSetBackend(args)),
    hardwareCalibrate: () => (record('hardwareCalibrate', undefined), handlers.hardwareCalibrate()),
    libraryFolders: () => (record('libraryFolders', undefined), handlers.libraryFolders()),
    libraryAddFolder: (args) => (record('libraryAddFolder', args), handlers.libraryAddFolder(args)),
    libraryRemoveFolder: (args) => (record('libraryRemoveFolder', args), handlers.libraryRemoveFolder(args)),
    libraryImport: (args) => (record('libraryImport', args), handlers.libraryImport(args)),
    libraryDelete: (args) => (record('libraryDelete', args), handlers.libraryDelete(args)),
    catalogList: () => (record('catalogList', undefined), handlers.catalogList()),
    hfSearch: (args) => (record('hfSearch', args), handlers.hfSearch(args)),
    hfFiles: (args) => (record('hfFiles', args), handlers.hfFiles(args)),
    hfResolve: (args) => (record('hfResolve', args), handlers.hfResolve(args)),
    hfGetSettings: () => (record('hfGetSettings', undefined), handlers.hfGetSettings()),
    hfSetSettings: (args) => (record('hfSetSettings', args), handlers.hfSetSettings(args)),
    downloadsList: () => (record('downloadsList', undefined), handlers.downloadsList()),
    downloadsStart: (args) => (record('downloadsStart', args), handlers.downloadsStart(args)),
    downloadsPause: (args) => (record('downloadsPause', args), handlers.downloadsPause(args)),
    downloadsResume: (args) => (record('downloadsResume', args), handlers.downloadsResume(args)),
    downloadsCancel: (args) => (record('downloadsCancel', args), handlers.downloadsCancel(args)),
    downloadsDismiss: (args) => (record('downloadsDismiss', args), handlers.downloadsDismiss(args)),
    onChatStream: (listener) => on('chat:stream', listener),
    onEngineStatus: (listener) => on('engine:status', listener),
    onDownloadsEvent: (listener) => on('downloads:event', listener),
    onModelsChanged: (listener) => on('models:changed', listener),
    onHardwareChanged: (listener) => on('hardware:changed', listener),
    onHardwareLoadStep: (listener) => on('hardware:loadStep', listener),
  };

  return {
    api,
    calls,
    argsOf: <M extends Method>(method: M) =>
      calls.filter((c) => c.method === method).map((c) => c.args as ArgsOf<M>),
    defaults,
    handle(method, impl) {
      handlers[method] = impl;
    },
    emit,
    listenerCount: (channel) => listeners[channel].size,
    status: () => status,
    setStatus,
    streams,
    downloads,
    updateDownload,
    lastStream() {
      const stream = streams.at(-1);
      if (!stream) throw new Error('No chatSend has started a stream yet');
      return stream;
    },
  };
}
