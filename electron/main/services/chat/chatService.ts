import { randomUUID } from 'node:crypto';
import type {
  AppError,
  ChatAbortResult,
  ChatMessage,
  ChatSendArgs,
  ChatSendResult,
  ChatStreamEvent,
  GenerationStats,
} from '../../../shared/contract';
import type { ConversationStore } from '../conversations/conversationStore';
import type { EngineSupervisor } from '../engine/supervisor';
import { ServiceError } from '../errors';
import { DeltaCoalescer } from './coalescer';

export type ChatEventSink = (senderId: string, event: ChatStreamEvent) => void;

export interface ChatServiceOptions {
  store: ConversationStore;
  engine: Pick<EngineSupervisor, 'status' | 'whenReadyForChat' | 'chat' | 'abort' | 'detach'>;
  emit: ChatEventSink;
  defaultMaxTokens?: number;
  /** If the engine has not confirmed an abort by then, the stream is ended here anyway. */
  abortGraceMs?: number;
  coalesceMs?: number;
}

interface Stream {
  requestId: string;
  senderId: string;
  conversationId: string;
  messageId: string;
  coalescer: DeltaCoalescer;
  ended: boolean;
  abortTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * Turns a prompt into a stream: stores the user message and an assistant placeholder, runs the engine, and
 * sends coalesced deltas and exactly one terminal event to the caller that started it. The partial answer is
 * kept whatever ends the stream.
 */
export class ChatService {
  readonly #options: ChatServiceOptions;
  readonly #streams = new Map<string, Stream>();

  constructor(options: ChatServiceOptions) {
    this.#options = options;
  }

  send(args: ChatSendArgs, senderId: string): ChatSendResult {
    const { store, engine } = this.#options;
    if (this.#streams.has(args.requestId)) {
      throw new ServiceError('INVALID_ARGUMENT', `requestId ${args.requestId} is already in use.`);
    }
    const conversation = store.get(args.conversationId);
    if (conversation.messages.some((message) => message.state === 'streaming')) {
      throw new ServiceError(
        'BUSY',
        'This conversation is already answering. Stop it or wait for it to finish.',
      );
    }
    const status = engine.status;
    if (!status.modelId || status.state === 'idle' || status.state === 'stopped') {
      throw new ServiceError('NO_MODEL_LOADED', 'No model is loaded. Pick a model first.');
    }
    const history = conversation.messages
      .filter((message) => message.text.length > 0)
      .map((message) => ({ role: message.role, text: message.text }));

    const now = Date.now();
    const userMessage: ChatMessage = {
      messageId: randomUUID(),
      role: 'user',
      text: args.text,
      createdAt: now,
    };
    const assistantMessage: ChatMessage = {
      messageId: randomUUID(),
      role: 'assistant',
      text: '',
      createdAt: now,
      state: 'streaming',
      modelId: status.modelId,
    };
    store.append(args.conversationId, userMessage);
    store.append(args.conversationId, assistantMessage);

    const stream: Stream = {
      requestId: args.requestId,
      senderId,
      conversationId: args.conversationId,
      messageId: assistantMessage.messageId,
      coalescer: new DeltaCoalescer((text) => this.#emitDelta(stream, text), this.#options.coalesceMs),
      ended: false,
      abortTimer: null,
    };
    this.#streams.set(args.requestId, stream);
    void this.#run(stream, {
      history,
      prompt: args.text,
      maxTokens: args.maxTokens ?? this.#options.defaultMaxTokens ?? 512,
    });
    return { userMessage, assistantMessage: { ...assistantMessage } };
  }

  abort(requestId: string): ChatAbortResult {
    const stream = this.#streams.get(requestId);
    if (!stream || stream.ended) return { aborted: false };
    if (stream.abortTimer) return { aborted: true };
    const { engine, abortGraceMs = 200 } = this.#options;
    if (!engine.abort(requestId)) {
      // Not started in the engine yet (waiting for a restart): end it here.
      this.#finish(stream, { type: 'aborted', stats: emptyStats() });
      return { aborted: true };
    }
    stream.abortTimer = setTimeout(() => {
      engine.detach(requestId);
      this.#finish(stream, { type: 'aborted', stats: emptyStats() });
    }, abortGraceMs);
    return { aborted: true };
  }

  /** A window closed or a browser tab went away: its streams stop. */
  abortAllFor(senderId: string): void {
    for (const stream of this.#streams.values()) {
      if (stream.senderId === senderId) this.abort(stream.requestId);
    }
  }

  abortConversation(conversationId: string): void {
    for (const stream of this.#streams.values()) {
      if (stream.conversationId === conversationId) this.abort(stream.requestId);
    }
  }

  async #run(
    stream: Stream,
    request: { history: { role: 'user' | 'assistant'; text: string }[]; prompt: string; maxTokens: number },
  ) {
    const { engine } = this.#options;
    try {
      await engine.whenReadyForChat();
    } catch (error) {
      const appError =
        error instanceof ServiceError
          ? error.toJSON()
          : { code: 'INTERNAL' as const, message: String(error) };
      this.#finish(stream, { type: 'error', error: appError });
      return;
    }
    if (stream.ended) return;
    engine.chat(
      { requestId: stream.requestId, conversationId: stream.conversationId, ...request },
      {
        onToken: (text) => {
          if (!stream.ended) stream.coalescer.push(text);
        },
        onEnd: (reason, stats) =>
          this.#finish(stream, { type: reason === 'done' ? 'done' : 'aborted', stats }),
        onFail: (error) => this.#finish(stream, { type: 'error', error }),
      },
    );
  }

  #emitDelta(stream: Stream, text: string): void {
    if (stream.ended) return;
    this.#options.store.appendText(stream.conversationId, stream.messageId, text);
    this.#options.emit(stream.senderId, {
      type: 'delta',
      requestId: stream.requestId,
      conversationId: stream.conversationId,
      messageId: stream.messageId,
      text,
    });
  }

  #finish(
    stream: Stream,
    end: { type: 'done' | 'aborted'; stats: GenerationStats } | { type: 'error'; error: AppError },
  ): void {
    if (stream.ended) return;
    stream.coalescer.flush();
    stream.ended = true;
    if (stream.abortTimer) clearTimeout(stream.abortTimer);
    this.#streams.delete(stream.requestId);
    const ids = {
      requestId: stream.requestId,
      conversationId: stream.conversationId,
      messageId: stream.messageId,
    };
    const { store, emit } = this.#options;
    try {
      if (end.type === 'error') {
        store.update(stream.conversationId, stream.messageId, { state: 'error', error: end.error }, true);
      } else {
        const state = end.type === 'done' ? 'done' : 'stopped';
        store.update(stream.conversationId, stream.messageId, { state, stats: end.stats }, true);
      }
    } catch {
      // The conversation was deleted mid-stream; the caller still gets its terminal event.
    }
    emit(
      stream.senderId,
      end.type === 'error' ? { ...ids, type: 'error', error: end.error } : { ...ids, ...end },
    );
  }
}

function emptyStats(): GenerationStats {
  return { tokens: 0, tokensPerSecond: 0, timeToFirstTokenMs: null, durationMs: 0 };
}
