import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppError, ChatStreamEvent, EngineStatus } from '../../../shared/contract';
import type { GenerateStats } from '../../../../native/protocol';
import { ConversationStore } from '../conversations/conversationStore';
import { ServiceError } from '../errors';
import type { ChatStreamRequest, StreamHandlers } from '../engine/supervisor';
import { ChatService } from './chatService';

const stats: GenerateStats = { tokens: 3, tokensPerSecond: 30, timeToFirstTokenMs: 5, durationMs: 100 };

class FakeEngine {
  status: EngineStatus = {
    state: 'ready',
    pid: 1,
    modelId: 'm',
    backend: 'cpu',
    threads: 1,
    contextSize: 512,
    restarts: 0,
    lastError: null,
  };
  streams = new Map<string, { request: ChatStreamRequest; handlers: StreamHandlers }>();
  abortAnswers = true;
  whenReadyForChat = vi.fn(async () => undefined);
  chat(request: ChatStreamRequest, handlers: StreamHandlers): void {
    this.streams.set(request.requestId, { request, handlers });
  }
  abort(requestId: string): boolean {
    const stream = this.streams.get(requestId);
    if (!stream) return false;
    if (this.abortAnswers) queueMicrotask(() => stream.handlers.onEnd('aborted', stats));
    return true;
  }
  detach = vi.fn((requestId: string) => this.streams.delete(requestId));
  handlers(requestId: string): StreamHandlers {
    const stream = this.streams.get(requestId);
    if (!stream) throw new Error(`no stream ${requestId}`);
    return stream.handlers;
  }
}

function setup() {
  const store = new ConversationStore(null);
  const engine = new FakeEngine();
  const events: { senderId: string; event: ChatStreamEvent }[] = [];
  const chat = new ChatService({
    store,
    engine,
    emit: (senderId, event) => events.push({ senderId, event }),
    coalesceMs: 0,
    abortGraceMs: 50,
  });
  const conversation = store.create();
  return { store, engine, events, chat, conversationId: conversation.conversationId };
}

const flushAsync = () => new Promise((resolve) => setTimeout(resolve, 5));
const terminal = (events: { event: ChatStreamEvent }[]) =>
  events.filter(({ event }) => event.type !== 'delta');

afterEach(() => vi.useRealTimers());

describe('ChatService', () => {
  it('stores both messages, streams deltas to the sender and ends with exactly one done', async () => {
    const { store, engine, events, chat, conversationId } = setup();
    const result = chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    expect(result.assistantMessage.state).toBe('streaming');
    await flushAsync();
    const handlers = engine.handlers('r1');
    handlers.onToken('Hel');
    handlers.onToken('lo');
    handlers.onEnd('done', stats);
    handlers.onEnd('done', stats);
    expect(events.every((item) => item.senderId === 'w1')).toBe(true);
    expect(
      events
        .filter(({ event }) => event.type === 'delta')
        .map(({ event }) => (event.type === 'delta' ? event.text : ''))
        .join(''),
    ).toBe('Hello');
    expect(terminal(events).map(({ event }) => event.type)).toEqual(['done']);
    const saved = store.get(conversationId).messages;
    expect(saved.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(saved[1]).toMatchObject({ text: 'Hello', state: 'done', stats });
    expect(store.get(conversationId).title).toBe('Hi');
  });

  it('sends the earlier turns as history', async () => {
    const { engine, chat, conversationId } = setup();
    chat.send({ requestId: 'r1', conversationId, text: 'one' }, 'w1');
    await flushAsync();
    engine.handlers('r1').onToken('answer');
    engine.handlers('r1').onEnd('done', stats);
    chat.send({ requestId: 'r2', conversationId, text: 'two', maxTokens: 7 }, 'w1');
    await flushAsync();
    const request = engine.streams.get('r2')!.request;
    expect(request.history).toEqual([
      { role: 'user', text: 'one' },
      { role: 'assistant', text: 'answer' },
    ]);
    expect(request).toMatchObject({ prompt: 'two', maxTokens: 7 });
  });

  it('keeps the partial answer when the engine fails', async () => {
    const { store, engine, events, chat, conversationId } = setup();
    chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    await flushAsync();
    engine.handlers('r1').onToken('partial');
    const crash: AppError = { code: 'ENGINE_CRASHED', message: 'boom' };
    engine.handlers('r1').onFail(crash);
    expect(terminal(events).map(({ event }) => event)).toEqual([
      expect.objectContaining({ type: 'error', error: crash }),
    ]);
    expect(store.get(conversationId).messages[1]).toMatchObject({
      text: 'partial',
      state: 'error',
      error: crash,
    });
  });

  it('aborts through the engine and reports stopped', async () => {
    const { store, events, chat, conversationId } = setup();
    chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    await flushAsync();
    expect(chat.abort('r1')).toEqual({ aborted: true });
    await flushAsync();
    expect(terminal(events).map(({ event }) => event.type)).toEqual(['aborted']);
    expect(store.get(conversationId).messages[1]?.state).toBe('stopped');
    expect(chat.abort('r1')).toEqual({ aborted: false });
  });

  it('ends the stream itself when the engine does not confirm an abort in time', async () => {
    const { engine, events, chat, conversationId } = setup();
    engine.abortAnswers = false;
    chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    await flushAsync();
    const late = engine.handlers('r1');
    chat.abort('r1');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(terminal(events).map(({ event }) => event.type)).toEqual(['aborted']);
    expect(engine.detach).toHaveBeenCalledWith('r1');
    // A late answer from the engine must not add a second terminal event.
    late.onEnd('done', stats);
    expect(terminal(events)).toHaveLength(1);
  });

  it('aborts the streams of a sender that went away, and only those', async () => {
    const { store, events, chat } = setup();
    const a = store.create().conversationId;
    const b = store.create().conversationId;
    chat.send({ requestId: 'ra', conversationId: a, text: 'x' }, 'w1');
    chat.send({ requestId: 'rb', conversationId: b, text: 'y' }, 'w2');
    await flushAsync();
    chat.abortAllFor('w1');
    await flushAsync();
    expect(terminal(events)).toEqual([
      expect.objectContaining({
        senderId: 'w1',
        event: expect.objectContaining({ type: 'aborted', requestId: 'ra' }),
      }),
    ]);
  });

  it('refuses a second prompt while one streams, and a prompt with no model', async () => {
    const { engine, chat, conversationId } = setup();
    chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    expect(() => chat.send({ requestId: 'r2', conversationId, text: 'Again' }, 'w1')).toThrow(
      expect.objectContaining({ code: 'BUSY' }),
    );
    expect(() => chat.send({ requestId: 'r1', conversationId, text: 'dup' }, 'w1')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const other = setup();
    other.engine.status = { ...engine.status, state: 'idle', modelId: null };
    expect(() =>
      other.chat.send({ requestId: 'r3', conversationId: other.conversationId, text: 'x' }, 'w1'),
    ).toThrow(expect.objectContaining({ code: 'NO_MODEL_LOADED' }));
    expect(() => chat.send({ requestId: 'r4', conversationId: 'missing', text: 'x' }, 'w1')).toThrow(
      expect.objectContaining({ code: 'CONVERSATION_NOT_FOUND' }),
    );
  });

  it('ends with an error event when the engine cannot come back', async () => {
    const { engine, events, store, chat, conversationId } = setup();
    engine.whenReadyForChat.mockRejectedValueOnce(new ServiceError('ENGINE_UNAVAILABLE', 'gone'));
    chat.send({ requestId: 'r1', conversationId, text: 'Hi' }, 'w1');
    await flushAsync();
    expect(terminal(events).map(({ event }) => event)).toEqual([
      expect.objectContaining({ type: 'error', error: { code: 'ENGINE_UNAVAILABLE', message: 'gone' } }),
    ]);
    expect(store.get(conversationId).messages[1]?.state).toBe('error');
  });
});
