import type {
  Api,
  CallChannel,
  CallResult,
  EventChannel,
  Events,
  ServeClientMessage,
  ServeServerMessage,
} from '../../electron/shared/contract';
import {
  CALL_CHANNELS,
  EVENT_CHANNELS,
  callMethodName,
  eventMethodName,
} from '../../electron/shared/channels';

/** `connecting` only before the first open; after a drop it is `reconnecting` until the socket opens again. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface Connection {
  getState(): ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

export interface ServeClient {
  api: Api;
  connection: Connection;
  /** Closes the socket for good: no reconnect; calls still waiting resolve to DISCONNECTED. */
  close(): void;
}

export interface ServeClientOptions {
  url: string;
  /** Injected by tests; defaults to the browser's WebSocket. */
  createSocket?: (url: string) => WebSocket;
  /** Reconnect delay: doubles from `initialMs` up to `maxMs`, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
}

interface PendingCall {
  message: ServeClientMessage;
  resolve: (result: CallResult<unknown>) => void;
  sent: boolean;
}

const OPEN = 1;

/** `ws://host/api` for the page's own origin (`wss:` under https). */
export function serveUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api`;
}

/**
 * The contract over one WebSocket, for serve mode. Calls made while the socket is not open wait in a queue
 * and go out when it opens. Calls already sent when the socket drops resolve to DISCONNECTED: the server may
 * or may not have run them, so resending could run them twice.
 */
export function createServeClient(options: ServeClientOptions): ServeClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 250, maxMs: 5_000 };

  const calls = new Map<number, PendingCall>();
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function trySend(call: PendingCall): void {
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify(call.message));
      call.sent = true;
    } catch {
      // Left unsent: it goes out with the next open.
    }
  }

  function failSent(message: string): void {
    for (const [id, call] of calls) {
      if (!call.sent && !closed) continue;
      calls.delete(id);
      call.resolve({ ok: false, error: { code: 'DISCONNECTED', message } });
    }
  }

  function dispatch(channel: EventChannel, payload: unknown): void {
    const set = listeners.get(channel);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (err) {
        console.error(`Listener for ${channel} threw`, err);
      }
    }
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServeServerMessage;
    try {
      message = JSON.parse(data) as ServeServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const call = calls.get(message.id);
      if (!call) return;
      calls.delete(message.id);
      call.resolve(message.result);
    } else if (message.type === 'event') {
      dispatch(message.channel, message.payload);
    }
  }

  function connect(): void {
    reconnectTimer = null;
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setState('open');
      for (const call of calls.values()) if (!call.sent) trySend(call);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (socket === ws) onMessage(event.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failSent('Lost the connection to the Edgewise service.');
      if (closed) return;
      setState('reconnecting');
      const delay = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt += 1;
      reconnectTimer = setTimeout(connect, delay / 2 + (Math.random() * delay) / 2);
    };
    // A failed connection also fires `close`, which is where the retry lives.
    ws.onerror = () => {};
  }

  function call(channel: CallChannel, args: unknown): Promise<CallResult<unknown>> {
    if (closed) {
      return Promise.resolve({
        ok: false,
        error: { code: 'DISCONNECTED', message: 'The connection to the Edgewise service is closed.' },
      });
    }
    return new Promise((resolve) => {
      const id = nextId++;
      const message: ServeClientMessage = { type: 'call', id, channel };
      if (args !== undefined) message.args = args;
      const pending: PendingCall = { message, resolve, sent: false };
      calls.set(id, pending);
      trySend(pending);
    });
  }

  function on(channel: EventChannel, listener: (payload: never) => void): () => void {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  const methods: Record<string, unknown> = {};
  for (const channel of CALL_CHANNELS) {
    methods[callMethodName(channel)] = (args?: unknown) => call(channel, args);
  }
  for (const channel of EVENT_CHANNELS) {
    methods[eventMethodName(channel)] = (listener: (payload: Events[typeof channel]) => void) =>
      on(channel, listener);
  }

  connect();

  return {
    // The channel lists are exhaustive over the contract, so every method of Api is present.
    api: Object.freeze(methods) as unknown as Api,
    connection: {
      getState: () => state,
      subscribe(listener) {
        stateListeners.add(listener);
        return () => {
          stateListeners.delete(listener);
        };
      },
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const ws = socket;
      socket = null;
      ws?.close();
      failSent('The connection to the Edgewise service is closed.');
    },
  };
}
