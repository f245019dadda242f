import type { EventEmitter } from 'node:events';
import * as electron from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { ChatStreamEvent } from '../../shared/contract';
import { CALL_CHANNELS } from '../../shared/channels';
import { EventHub } from '../services/events';
import { registerIpc } from './electronIpc';
import { createRouter, type HandlerTable, type Router } from './router';

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const app = new EventEmitter();

  let nextId = 7;
  class FakeWebContents extends EventEmitter {
    readonly id = nextId++;
    destroyed = false;
    readonly sent: [string, unknown][] = [];
    isDestroyed(): boolean {
      return this.destroyed;
    }
    send(channel: string, payload: unknown): void {
      if (this.destroyed) throw new Error('Object has been destroyed');
      this.sent.push([channel, payload]);
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('destroyed');
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static all: FakeBrowserWindow[] = [];
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.all.filter((window) => !window.webContents.destroyed);
    }
    readonly webContents = new FakeWebContents();
    constructor() {
      super();
      FakeBrowserWindow.all.push(this);
      app.emit('browser-window-created', {}, this);
    }
    close(): void {
      this.webContents.destroy();
      this.emit('closed');
    }
  }

  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handlers,
    handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };

  return { app, BrowserWindow: FakeBrowserWindow, ipcMain, FakeWebContents };
});

interface FakeWebContents extends EventEmitter {
  readonly id: number;
  destroyed: boolean;
  readonly sent: [string, unknown][];
  destroy(): void;
}
interface FakeWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  close(): void;
}
const fakes = electron as unknown as {
  app: EventEmitter;
  BrowserWindow: { new (): FakeWindow; all: FakeWindow[] };
  FakeWebContents: new () => FakeWebContents;
  ipcMain: {
    handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
    handle: ReturnType<typeof vi.fn>;
    removeHandler: ReturnType<typeof vi.fn>;
  };
};

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

const APP_PAGE = 'app://edgewise/index.html';
const mainFrame = (url = APP_PAGE): FakeFrame => ({ url, parent: null });
const subFrame = (url = APP_PAGE): FakeFrame => ({ url, parent: mainFrame() });

function invoke(
  channel: string,
  sender: FakeWebContents,
  senderFrame: FakeFrame | null,
  args?: unknown,
): Promise<unknown> {
  const handler = fakes.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  return Promise.resolve(handler({ sender, senderFrame, frameId: 1, processId: 1, type: 'frame' }, args));
}

let router: Router;
let dispatch: MockInstance<Router['dispatch']>;
let handlers: Record<string, ReturnType<typeof vi.fn>>;
let events: EventHub;
let senderGone: ReturnType<typeof vi.fn<(senderId: string) => void>>;
let dispose: () => void;

beforeEach(() => {
  handlers = Object.fromEntries(CALL_CHANNELS.map((channel) => [channel, vi.fn(() => ({ from: channel }))]));
  router = createRouter(handlers as unknown as HandlerTable);
  dispatch = vi.spyOn(router, 'dispatch');
  events = new EventHub();
  senderGone = vi.fn<(senderId: string) => void>();
  dispose = registerIpc({ router, events, senderGone });
});

afterEach(() => {
  dispose();
  fakes.BrowserWindow.all.length = 0;
  fakes.app.removeAllListeners();
});

const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } };
const delta: ChatStreamEvent = {
  type: 'delta',
  requestId: 'r1',
  conversationId: 'c1',
  messageId: 'm1',
  text: 'x',
};

describe('registration', () => {
  it('handles every router channel, and the disposer removes them all', () => {
    expect([...fakes.ipcMain.handlers.keys()].sort()).toEqual([...router.channels].sort());
    dispose();
    expect(fakes.ipcMain.handlers.size).toBe(0);
    expect(fakes.app.listenerCount('browser-window-created')).toBe(0);
    dispose = () => undefined;
  });
});

describe('sender check', () => {
  it('lets the main frame of our window on app://edgewise through, as window-<id>', async () => {
    const window = new fakes.BrowserWindow();
    const result = await invoke('app:info', window.webContents, mainFrame());
    expect(result).toEqual({ ok: true, value: { from: 'app:info' } });
    expect(handlers['app:info']).toHaveBeenCalledWith(undefined, {
      senderId: `window-${window.webContents.id}`,
    });
  });

  it('trusts windows that existed before registration too', async () => {
    dispose();
    const window = new fakes.BrowserWindow();
    dispose = registerIpc({ router, events, senderGone });
    await expect(invoke('app:info', window.webContents, mainFrame())).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['a subframe, even on our origin', subFrame()],
    ['a foreign origin', mainFrame('https://evil.example/index.html')],
    ['a file:// page', mainFrame('file:///tmp/out/renderer/index.html')],
    ['another app:// host', mainFrame('app://evil/index.html')],
    ['our host with a port', mainFrame('app://edgewise:8080/index.html')],
    ['about:blank', mainFrame('about:blank')],
    ['a frame that is already gone', null],
  ])('refuses %s with FORBIDDEN, without calling the router', async (_name, frame) => {
    const window = new fakes.BrowserWindow();
    await expect(invoke('app:info', window.webContents, frame)).resolves.toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses web contents that are not one of our windows', async () => {
    new fakes.BrowserWindow();
    const stranger = new fakes.FakeWebContents();
    await expect(invoke('chat:send', stranger, mainFrame(), { bad: true })).resolves.toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses a window after it closed', async () => {
    const window = new fakes.BrowserWindow();
    window.close();
    await expect(invoke('app:info', window.webContents, mainFrame())).resolves.toEqual(FORBIDDEN);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('checks the sender before the arguments', async () => {
    const window = new fakes.BrowserWindow();
    await expect(invoke('chat:send', window.webContents, subFrame(), 'not even an object')).resolves.toEqual(
      FORBIDDEN,
    );
  });
});

describe('argument validation', () => {
  it('passes through: an invalid payload comes back INVALID_ARGUMENT and the handler never runs', async () => {
    const window = new fakes.BrowserWindow();
    const result = await invoke('chat:send', window.webContents, mainFrame(), {
      requestId: 'r1',
      conversationId: 'c1',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(dispatch).toHaveBeenCalledTimes(1);
    expect(handlers['chat:send']).not.toHaveBeenCalled();
  });

  it('hands valid arguments to the handler', async () => {
    const window = new fakes.BrowserWindow();
    const args = { requestId: 'r1', conversationId: 'c1', text: 'hello' };
    await expect(invoke('chat:send', window.webContents, mainFrame(), args)).resolves.toMatchObject({
      ok: true,
    });
    expect(handlers['chat:send']).toHaveBeenCalledWith(args, { senderId: `window-${window.webContents.id}` });
  });
});

describe('events and abort bookkeeping', () => {
  it("sends a window's events to its web contents", () => {
    const window = new fakes.BrowserWindow();
    const senderId = `window-${window.webContents.id}`;
    events.emitTo(senderId, 'chat:stream', delta);
    events.emitTo('window-999', 'chat:stream', { ...delta, text: 'not yours' });
    expect(window.webContents.sent).toEqual([['chat:stream', delta]]);
  });

  it('closing a window calls senderGone with its id once and detaches its events', () => {
    const window = new fakes.BrowserWindow();
    const other = new fakes.BrowserWindow();
    const senderId = `window-${window.webContents.id}`;
    window.close();
    expect(senderGone.mock.calls).toEqual([[senderId]]);
    events.broadcast('chat:stream', delta);
    expect(window.webContents.sent).toEqual([]);
    expect(other.webContents.sent).toEqual([['chat:stream', delta]]);
  });

  it('a crashed renderer ends its streams; the reloaded page gets events again', () => {
    const window = new fakes.BrowserWindow();
    const senderId = `window-${window.webContents.id}`;
    window.webContents.emit('did-navigate', {}, APP_PAGE, -1, '');
    expect(senderGone).not.toHaveBeenCalled();

    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(senderGone.mock.calls).toEqual([[senderId]]);
    events.emitTo(senderId, 'chat:stream', delta);
    expect(window.webContents.sent).toEqual([]);

    window.webContents.emit('did-navigate', {}, APP_PAGE, -1, '');
    events.emitTo(senderId, 'chat:stream', delta);
    expect(window.webContents.sent).toEqual([['chat:stream', delta]]);
    expect(senderGone).toHaveBeenCalledTimes(1);
  });

  it('a reload of a live page ends the old page’s streams', () => {
    const window = new fakes.BrowserWindow();
    window.webContents.emit('did-navigate', {}, APP_PAGE, -1, '');
    window.webContents.emit('did-navigate', {}, APP_PAGE, -1, '');
    expect(senderGone.mock.calls).toEqual([[`window-${window.webContents.id}`]]);
  });

  it('destroyed web contents count as gone even without a closed window', () => {
    const window = new fakes.BrowserWindow();
    window.webContents.destroy();
    expect(senderGone).toHaveBeenCalledWith(`window-${window.webContents.id}`);
    window.emit('closed');
    expect(senderGone).toHaveBeenCalledTimes(1);
  });

  it('never sends to destroyed web contents', () => {
    const window = new fakes.BrowserWindow();
    window.webContents.destroyed = true;
    expect(() => events.emitTo(`window-${window.webContents.id}`, 'chat:stream', delta)).not.toThrow();
  });

  it('disposing ends every window’s streams and stops its events', () => {
    const window = new fakes.BrowserWindow();
    dispose();
    dispose = () => undefined;
    expect(senderGone).toHaveBeenCalledWith(`window-${window.webContents.id}`);
    events.broadcast('chat:stream', delta);
    expect(window.webContents.sent).toEqual([]);
    window.close();
    expect(senderGone).toHaveBeenCalledTimes(1);
  });
});
