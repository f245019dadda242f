import type {
  Api,
  AppError,
  AppInfo,
  CallMethods,
  CallResult,
  ChatMessage,
  ChatSendArgs,
  ChatStreamEvent,
  Conversation,
  ConversationSummary,
  EngineStatus,
  ErrorCode,
  EventChannel,
  Events,
  GenerationStats,
  ModelFile,
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
}

/** A typed stand-in for `window.api`, with events the test emits by hand. */
export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const models = options.models ?? [model('tiny-q8_0.gguf'), model('small-q4_0.gguf')];
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
  const listeners: { [K in EventChannel]: Set<(payload: Events[K]) => void> } = {
    'chat:stream': new Set(),
    'engine:status': new Set(),
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
    onChatStream: (listener) => on('chat:stream', listener),
    onEngineStatus: (listener) => on('engine:status', listener),
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
    lastStream() {
      const stream = streams.at(-1);
      if (!stream) throw new Error('No chatSend has started a stream yet');
      return stream;
    },
  };
}
