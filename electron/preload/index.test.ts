import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Api, ChatStreamEvent, EngineStatus } from '../shared/contract';

const fake = vi.hoisted(() => {
  const exposed: { key: string; api: unknown }[] = [];
  return { exposed };
});

// A stand-in for ipcRenderer: `invoke` records, `on`/`removeListener` are a real emitter so events can be sent.
class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (channel: string, args?: unknown): Promise<unknown> => ({
    ok: true,
    value: { channel, args },
  }));
  /** What main does: `webContents.send(channel, payload)` arrives as (event, payload). */
  push(channel: string, payload: unknown): void {
    this.emit(channel, { sender: this, senderId: 0, ports: [] }, payload);
  }
}
const ipc = vi.hoisted(() => ({ current: null as unknown }));

vi.mock('electron', () => {
  ipc.current = new FakeIpcRenderer();
  return {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => fake.exposed.push({ key, api }),
    },
    ipcRenderer: ipc.current,
  };
});

// Every method of the contract's Api, spelled out: a contract change fails to compile here until the
// expectation is updated, and the runtime check below catches a bridge that adds or drops one.
const EXPECTED_METHODS: Record<keyof Api, true> = {
  appInfo: true,
  modelsList: true,
  engineStatus: true,
  engineLoad: true,
  engineUnload: true,
  conversationsList: true,
  conversationsCreate: true,
  conversationsGet: true,
  conversationsDelete: true,
  chatSend: true,
  chatAbort: true,
  hardwareFit: true,
  hardwareProfile: true,
  hardwareReprobe: true,
  hardwareSetBackend: true,
  hardwareCalibrate: true,
  onHardwareChanged: true,
  onHardwareLoadStep: true,
  libraryFolders: true,
  libraryAddFolder: true,
  libraryRemoveFolder: true,
  libraryImport: true,
  libraryDelete: true,
  catalogList: true,
  hfSearch: true,
  hfFiles: true,
  hfResolve: true,
  hfGetSettings: true,
  hfSetSettings: true,
  downloadsList: true,
  downloadsStart: true,
  downloadsPause: true,
  downloadsResume: true,
  downloadsCancel: true,
  downloadsDismiss: true,
  onDownloadsEvent: true,
  onChatStream: true,
  onEngineStatus: true,
  onModelsChanged: true,
};

let api: Api;
let renderer: FakeIpcRenderer;

beforeAll(async () => {
  await import('./index');
  renderer = ipc.current as FakeIpcRenderer;
  expect(fake.exposed).toHaveLength(1);
  api = fake.exposed[0]?.api as Api;
});

describe('window.api', () => {
  it('is exposed once, as "api"', () => {
    expect(fake.exposed.map((entry) => entry.key)).toEqual(['api']);
  });

  it("has exactly the contract's methods and nothing else", () => {
    expect(Object.keys(api).sort()).toEqual(Object.keys(EXPECTED_METHODS).sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'removeListener']) {
      expect(api).not.toHaveProperty(forbidden);
    }
  });

  it('invokes the channel with the arguments and returns main’s envelope as is', async () => {
    const args = { requestId: 'r1', conversationId: 'c1', text: 'hi' };
    await expect(api.chatSend(args)).resolves.toEqual({ ok: true, value: { channel: 'chat:send', args } });
    expect(renderer.invoke).toHaveBeenLastCalledWith('chat:send', args);
  });

  it('sends no arguments for a call that takes none, and drops extra ones', async () => {
    await api.appInfo();
    expect(renderer.invoke).toHaveBeenLastCalledWith('app:info', undefined);
    await (api.chatAbort as (...args: unknown[]) => Promise<unknown>)({ requestId: 'r1' }, 'extra', 42);
    expect(renderer.invoke).toHaveBeenLastCalledWith('chat:abort', { requestId: 'r1' });
  });

  it('passes an error envelope through unchanged', async () => {
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: 'no' } };
    renderer.invoke.mockResolvedValueOnce(refused);
    await expect(api.modelsList()).resolves.toEqual(refused);
  });
});

describe('event subscriptions', () => {
  const delta: ChatStreamEvent = {
    type: 'delta',
    requestId: 'r1',
    conversationId: 'c1',
    messageId: 'm1',
    text: 'x',
  };

  it('give listeners the payload only, never the IPC event', () => {
    const listener = vi.fn();
    const unsubscribe = api.onChatStream(listener);
    renderer.push('chat:stream', delta);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([delta]);
    unsubscribe();
  });

  it('deliver each channel to its own listeners', () => {
    const onStream = vi.fn();
    const onStatus = vi.fn();
    const offStream = api.onChatStream(onStream);
    const offStatus = api.onEngineStatus(onStatus);
    const status = { state: 'idle' } as EngineStatus;
    renderer.push('engine:status', status);
    expect(onStatus).toHaveBeenCalledWith(status);
    expect(onStream).not.toHaveBeenCalled();
    offStream();
    offStatus();
  });

  it('stop after unsubscribe, touching no other listener, and unsubscribing twice is harmless', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = api.onChatStream(first);
    const offSecond = api.onChatStream(second);
    offFirst();
    offFirst();
    renderer.push('chat:stream', delta);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    offSecond();
    expect(renderer.listenerCount('chat:stream')).toBe(0);
  });

  it('refuse a listener that is not a function', () => {
    expect(() => api.onChatStream('nope' as never)).toThrow(TypeError);
    expect(renderer.listenerCount('chat:stream')).toBe(0);
  });
});
