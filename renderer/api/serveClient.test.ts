// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallResult, ServeClientMessage, ServeServerMessage } from '../../electron/shared/contract';
import {
  CALL_CHANNELS,
  EVENT_CHANNELS,
  callMethodName,
  eventMethodName,
} from '../../electron/shared/channels';
import { createServeClient, serveUrl, type ServeClient } from './serveClient';

/** Just enough of a browser WebSocket, driven by the test. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: ServeClientMessage[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError');
    this.sent.push(JSON.parse(data) as ServeClientMessage);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
  receive(message: ServeServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  static last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('no socket');
    return socket;
  }
}

let client: ServeClient;

beforeEach(() => {
  vi.useFakeTimers();
  // Jitter at its midpoint: each retry waits three quarters of its nominal delay (75 ms, 150 ms, …).
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  FakeSocket.instances = [];
  client = createServeClient({
    url: 'ws://127.0.0.1:7777/api',
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    backoff: { initialMs: 100, maxMs: 1000 },
  });
});

afterEach(() => {
  client.close();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('method ↔ channel names', () => {
  it('follows the contract: chat:send ↔ chatSend, chat:stream ↔ onChatStream', () => {
    expect(callMethodName('chat:send')).toBe('chatSend');
    expect(callMethodName('conversations:create')).toBe('conversationsCreate');
    expect(callMethodName('app:info')).toBe('appInfo');
    expect(eventMethodName('chat:stream')).toBe('onChatStream');
    expect(eventMethodName('engine:status')).toBe('onEngineStatus');
  });

  it('gives the client one function per channel', () => {
    const names = Object.keys(client.api).sort();
    expect(names).toEqual(
      [...CALL_CHANNELS.map(callMethodName), ...EVENT_CHANNELS.map(eventMethodName)].sort(),
    );
    expect(names).toContain('chatAbort');
    expect(names).toContain('onEngineStatus');
  });
});

describe('serve client', () => {
  it('builds the socket URL from the page location', () => {
    expect(serveUrl({ protocol: 'http:', host: '127.0.0.1:7777' })).toBe('ws://127.0.0.1:7777/api');
    expect(serveUrl({ protocol: 'https:', host: 'box.lan' })).toBe('wss://box.lan/api');
    expect(FakeSocket.last().url).toBe('ws://127.0.0.1:7777/api');
  });

  it('queues calls until the socket opens, then sends them on their channels', async () => {
    const socket = FakeSocket.last();
    const send = client.api.chatSend({ requestId: 'r1', conversationId: 'c1', text: 'hi', maxTokens: 8 });
    const info = client.api.appInfo();
    expect(socket.sent).toEqual([]);
    expect(client.connection.getState()).toBe('connecting');

    socket.open();
    expect(client.connection.getState()).toBe('open');
    expect(socket.sent).toEqual([
      {
        type: 'call',
        id: 1,
        channel: 'chat:send',
        args: { requestId: 'r1', conversationId: 'c1', text: 'hi', maxTokens: 8 },
      },
      { type: 'call', id: 2, channel: 'app:info' },
    ]);

    const infoResult: CallResult<unknown> = {
      ok: true,
      value: { version: '1', mode: 'serve', platform: 'linux', modelsDirs: [] },
    };
    socket.receive({ type: 'result', id: 2, result: infoResult });
    socket.receive({
      type: 'result',
      id: 1,
      result: { ok: false, error: { code: 'BUSY', message: 'busy' } },
    });
    await expect(info).resolves.toEqual(infoResult);
    await expect(send).resolves.toEqual({ ok: false, error: { code: 'BUSY', message: 'busy' } });
  });

  it('delivers events to the matching onX listeners only, until unsubscribed', () => {
    const socket = FakeSocket.last();
    socket.open();
    const stream = vi.fn();
    const status = vi.fn();
    const off = client.api.onChatStream(stream);
    client.api.onEngineStatus(status);

    const delta = { type: 'delta', requestId: 'r', conversationId: 'c', messageId: 'm', text: 'x' } as const;
    socket.receive({ type: 'event', channel: 'chat:stream', payload: delta });
    expect(stream).toHaveBeenCalledWith(delta);
    expect(status).not.toHaveBeenCalled();

    off();
    socket.receive({ type: 'event', channel: 'chat:stream', payload: delta });
    expect(stream).toHaveBeenCalledTimes(1);
  });

  it('resolves calls in flight to DISCONNECTED when the socket drops, and reconnects with backoff', async () => {
    const first = FakeSocket.last();
    first.open();
    const states: string[] = [];
    client.connection.subscribe((s) => states.push(s));

    const pending = client.api.chatAbort({ requestId: 'r1' });
    first.drop();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    expect(states).toEqual(['reconnecting']);

    // Made while disconnected: never sent, so it waits for the next socket instead of failing.
    const queued = client.api.modelsList();
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(2);

    // The second attempt fails too: the delay grows.
    FakeSocket.last().drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(3);

    const third = FakeSocket.last();
    third.open();
    expect(states).toEqual(['reconnecting', 'open']);
    expect(third.sent).toEqual([{ type: 'call', id: 2, channel: 'models:list' }]);
    third.receive({ type: 'result', id: 2, result: { ok: true, value: { models: [] } } });
    await expect(queued).resolves.toEqual({ ok: true, value: { models: [] } });
  });

  it('ignores results for unknown ids and malformed frames', () => {
    const socket = FakeSocket.last();
    socket.open();
    expect(() => {
      socket.receive({ type: 'result', id: 99, result: { ok: true, value: null } });
      socket.onmessage?.({ data: 'not json' });
    }).not.toThrow();
  });

  it('close() stops reconnecting and fails what is still waiting', async () => {
    const waiting = client.api.engineStatus();
    client.close();
    await expect(waiting).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
    await expect(client.api.engineStatus()).resolves.toMatchObject({ ok: false });
  });
});
