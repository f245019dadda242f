import type { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WindowModule from './window';

// The entry wires modules together at import time; each test imports a fresh copy against these fakes.
const state = vi.hoisted(() => ({
  order: [] as string[],
  lock: true,
  userData: '/home/me/.config/Edgewise',
  windows: [] as unknown[],
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => state.lock),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn(() => state.userData),
    setPath: vi.fn((_name: string, value: string) => (state.userData = value)),
    getVersion: vi.fn(() => '1.2.3'),
    quit: vi.fn(() => state.order.push('app.quit')),
    exit: vi.fn(),
  });
  return {
    app,
    BrowserWindow: { getAllWindows: () => state.windows },
    dialog: { showErrorBox: vi.fn() },
  };
});

const mocks = vi.hoisted(() => ({
  services: { dispose: vi.fn(async () => void state.order.push('services.dispose')) },
  disposeIpc: vi.fn(() => void state.order.push('disposeIpc')),
  spawnEngine: vi.fn(),
}));

vi.mock('./appServices', () => ({ createAppServices: vi.fn(async () => mocks.services) }));
vi.mock('./ipc/electronIpc', () => ({ registerIpc: vi.fn(() => mocks.disposeIpc) }));
vi.mock('./engine/utilitySpawner', () => ({ utilitySpawner: vi.fn(() => mocks.spawnEngine) }));
vi.mock('./protocol', () => ({
  registerAppScheme: vi.fn(() => void state.order.push('registerAppScheme')),
  serveAppProtocol: vi.fn(),
}));
vi.mock('./security', () => ({
  applySecurityPolicy: vi.fn(() => void state.order.push('applySecurityPolicy')),
}));
vi.mock('./window', async (importOriginal) => {
  const { EventEmitter } = await import('node:events');
  const actual = await importOriginal<typeof WindowModule>();
  return {
    ...actual,
    createMainWindow: vi.fn(() => {
      const window = Object.assign(new EventEmitter(), {
        isMinimized: () => false,
        restore: vi.fn(),
        focus: vi.fn(),
      });
      state.windows.push(window);
      return window;
    }),
  };
});

async function boot() {
  vi.resetModules();
  const electron = await import('electron');
  const app = electron.app as unknown as EventEmitter & Record<string, ReturnType<typeof vi.fn>>;
  await import('./index');
  await vi.waitFor(() => expect(state.windows.length > 0 || !state.lock).toBe(true));
  return {
    app,
    createAppServices: vi.mocked((await import('./appServices')).createAppServices),
    registerIpc: vi.mocked((await import('./ipc/electronIpc')).registerIpc),
    serveAppProtocol: vi.mocked((await import('./protocol')).serveAppProtocol),
    createMainWindow: vi.mocked((await import('./window')).createMainWindow),
    utilitySpawner: vi.mocked((await import('./engine/utilitySpawner')).utilitySpawner),
  };
}

function beforeQuit(app: EventEmitter): { preventDefault: ReturnType<typeof vi.fn> } {
  const event = { preventDefault: vi.fn() };
  app.emit('before-quit', event);
  return event;
}

const savedArgv = process.argv;
const savedEnv = { ...process.env };

beforeEach(() => {
  state.order = [];
  state.lock = true;
  state.userData = '/home/me/.config/Edgewise';
  state.windows = [];
  vi.clearAllMocks();
  process.argv = ['/usr/bin/electron', '.', '--models', '/data/test-models'];
  delete process.env['EDGEWISE_MODELS_DIR'];
  delete process.env['EDGEWISE_USER_DATA_DIR'];
});

afterEach(async () => {
  process.argv = savedArgv;
  process.env = { ...savedEnv };
  const { app } = await import('electron');
  (app as unknown as EventEmitter).removeAllListeners();
});

describe('app entry', () => {
  it('sets up the scheme and security before anything else', async () => {
    await boot();
    expect(state.order.slice(0, 2)).toEqual(['registerAppScheme', 'applySecurityPolicy']);
  });

  it('on ready: protocol, services for electron mode, IPC, then one window', async () => {
    const { createAppServices, registerIpc, serveAppProtocol, createMainWindow, utilitySpawner } =
      await boot();
    expect(serveAppProtocol).toHaveBeenCalledWith(expect.stringMatching(/renderer$/));
    expect(createAppServices).toHaveBeenCalledWith({
      mode: 'electron',
      version: '1.2.3',
      modelsDirs: [path.join(state.userData, 'models'), path.resolve('/data/test-models')],
      dataDir: path.join(state.userData, 'data'),
      spawnEngine: mocks.spawnEngine,
      spawnProbe: expect.any(Function),
    });
    expect(utilitySpawner).toHaveBeenCalledWith(expect.stringMatching(/native[/\\]host\.js$/));
    expect(registerIpc).toHaveBeenCalledWith(mocks.services);
    expect(createMainWindow).toHaveBeenCalledTimes(1);
    expect(createMainWindow.mock.calls[0]?.[0].preloadPath).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('honours EDGEWISE_USER_DATA_DIR before taking the single-instance lock', async () => {
    process.env['EDGEWISE_USER_DATA_DIR'] = '/tmp/edgewise-e2e';
    const { app, createAppServices } = await boot();
    expect(app['setPath']).toHaveBeenCalledWith('userData', path.resolve('/tmp/edgewise-e2e'));
    expect(app['setPath']?.mock.invocationCallOrder[0]).toBeLessThan(
      app['requestSingleInstanceLock']?.mock.invocationCallOrder[0] ?? 0,
    );
    expect(createAppServices.mock.calls[0]?.[0].dataDir).toBe(
      path.join(path.resolve('/tmp/edgewise-e2e'), 'data'),
    );
  });

  it('a second instance quits at once and starts nothing', async () => {
    state.lock = false;
    const { app, createAppServices } = await boot();
    expect(app['quit']).toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(createAppServices).not.toHaveBeenCalled();
  });

  it('before-quit stops IPC and the services once, then quits', async () => {
    const { app } = await boot();
    const first = beforeQuit(app);
    const second = beforeQuit(app);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(second.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(state.order).toContain('app.quit'));
    expect(
      state.order.filter((step) => step !== 'registerAppScheme' && step !== 'applySecurityPolicy'),
    ).toEqual(['disposeIpc', 'services.dispose', 'app.quit']);
    expect(mocks.services.dispose).toHaveBeenCalledTimes(1);

    // The quit that follows goes through.
    const last = beforeQuit(app);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits even when the services never finish stopping', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      mocks.services.dispose.mockImplementationOnce(() => new Promise(() => undefined));
      const { app } = await boot();
      beforeQuit(app);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(state.order).toContain('app.quit');
    } finally {
      vi.useRealTimers();
    }
  });

  it('closing every window quits, except on macOS', async () => {
    const { app } = await boot();
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    try {
      Object.defineProperty(process, 'platform', { value: 'darwin' });
      app.emit('window-all-closed');
      expect(app['quit']).not.toHaveBeenCalled();
      Object.defineProperty(process, 'platform', { value: 'linux' });
      app.emit('window-all-closed');
      expect(app['quit']).toHaveBeenCalledTimes(1);
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
  });

  it('activate reopens a window only when none is open', async () => {
    const { app, createMainWindow } = await boot();
    app.emit('activate');
    expect(createMainWindow).toHaveBeenCalledTimes(1);
    state.windows = [];
    app.emit('activate');
    expect(createMainWindow).toHaveBeenCalledTimes(2);
  });

  it('a second launch focuses the existing window', async () => {
    const { app, createMainWindow } = await boot();
    app.emit('second-instance', {}, [], '/');
    const window = state.windows[0] as { focus: ReturnType<typeof vi.fn> };
    expect(window.focus).toHaveBeenCalled();
    expect(createMainWindow).toHaveBeenCalledTimes(1);
  });
});
