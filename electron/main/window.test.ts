import type { EventEmitter } from 'node:events';
import path from 'node:path';
import * as electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appLayout, createMainWindow, modelsDirsFromLaunch, WINDOW_SIZE } from './window';

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class FakeBrowserWindow extends EventEmitter {
    static created: FakeBrowserWindow[] = [];
    static load: () => Promise<void> = () => Promise.resolve();
    show = vi.fn();
    isDestroyed = () => false;
    loadURL = vi.fn(() => FakeBrowserWindow.load());
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
  }
  return { BrowserWindow: FakeBrowserWindow };
});

interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  show: ReturnType<typeof vi.fn>;
  loadURL: ReturnType<typeof vi.fn>;
}

describe('appLayout', () => {
  it('finds preload, renderer and engine host beside the bundled main', () => {
    const out = path.resolve('/opt/Edgewise/resources/app.asar/out');
    expect(appLayout(path.join(out, 'main'))).toEqual({
      preloadPath: path.join(out, 'preload', 'index.cjs'),
      rendererDir: path.join(out, 'renderer'),
      engineHostEntry: path.join(out, 'native', 'host.js'),
      probeEntry: path.join(out, 'native', 'probe.js'),
    });
  });
});

describe('modelsDirsFromLaunch', () => {
  const userData = path.resolve('/home/me/.config/Edgewise');
  const cwd = path.resolve('/work/repo');

  it('starts with the per-user folder', () => {
    expect(modelsDirsFromLaunch(['/usr/bin/electron', '.'], {}, userData, cwd)).toEqual([
      path.join(userData, 'models'),
    ]);
  });

  it('adds --models folders in both spellings, resolved from cwd, then EDGEWISE_MODELS_DIR', () => {
    const argv = ['/usr/bin/electron', '--inspect=0', '.', '--models', 'test-models', '--models=/data/gguf'];
    const env = { EDGEWISE_MODELS_DIR: ['/mnt/a', '', '/mnt/b'].join(path.delimiter) };
    expect(modelsDirsFromLaunch(argv, env, userData, cwd)).toEqual([
      path.join(userData, 'models'),
      path.join(cwd, 'test-models'),
      path.resolve('/data/gguf'),
      path.resolve('/mnt/a'),
      path.resolve('/mnt/b'),
    ]);
  });

  it('ignores a --models with no value and drops duplicates', () => {
    const argv = ['edgewise', '--models', '/m', '--models', '/m', '--models', '--other', '--models'];
    expect(modelsDirsFromLaunch(argv, { EDGEWISE_MODELS_DIR: '/m' }, userData, cwd)).toEqual([
      path.join(userData, 'models'),
      path.resolve('/m'),
    ]);
  });
});

describe('createMainWindow', () => {
  const created = () => (electron.BrowserWindow as unknown as { created: FakeWindow[] }).created;

  it('opens one hidden, titled, sized window with the secure preferences', () => {
    createMainWindow({ preloadPath: '/out/preload/index.cjs' });
    const window = created().at(-1);
    expect(window?.options).toMatchObject({
      ...WINDOW_SIZE,
      title: 'Edgewise',
      show: false,
      webPreferences: {
        preload: '/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    expect(WINDOW_SIZE.minWidth).toBeLessThanOrEqual(WINDOW_SIZE.width);
    expect(WINDOW_SIZE.minHeight).toBeLessThanOrEqual(WINDOW_SIZE.height);
  });

  it('loads the app from app://edgewise and shows it when ready to show', () => {
    createMainWindow({ preloadPath: '/p.cjs' });
    const window = created().at(-1);
    expect(window?.loadURL).toHaveBeenCalledWith('app://edgewise/index.html');
    expect(window?.show).not.toHaveBeenCalled();
    window?.emit('ready-to-show');
    expect(window?.show).toHaveBeenCalledTimes(1);
  });

  it('shows the window even when the page fails to load', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const BrowserWindow = electron.BrowserWindow as unknown as { load: () => Promise<void> };
    BrowserWindow.load = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    try {
      createMainWindow({ preloadPath: '/p.cjs' });
      const window = created().at(-1);
      await vi.waitFor(() => expect(window?.show).toHaveBeenCalled());
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('ERR_FILE_NOT_FOUND'));
    } finally {
      BrowserWindow.load = () => Promise.resolve();
      stderr.mockRestore();
    }
  });
});
