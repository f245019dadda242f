import { EventEmitter } from 'node:events';
import * as electron from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applySecurityPolicy,
  hardenWebContents,
  isAllowedExternalUrl,
  secureWebPreferences,
} from './security';

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const fakeSession = () => ({
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  });
  const app = Object.assign(new EventEmitter(), {
    enableSandbox: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
  });
  return {
    app,
    session: { defaultSession: fakeSession() },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    fakeSession,
  };
});

type FakeSession = Record<
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler',
  ReturnType<typeof vi.fn>
>;
const fakes = electron as unknown as {
  app: EventEmitter & { enableSandbox: ReturnType<typeof vi.fn> };
  session: { defaultSession: FakeSession };
  shell: { openExternal: ReturnType<typeof vi.fn> };
  fakeSession: () => FakeSession;
};

type WindowOpenHandler = (details: { url: string }) => { action: string };

class FakeWebContents extends EventEmitter {
  session = fakes.fakeSession();
  windowOpenHandler: WindowOpenHandler | null = null;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  /** Emits like Electron: the listener may call preventDefault on the event. */
  attempt(name: string, url: string): boolean {
    let prevented = false;
    this.emit(name, { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

function hardened(): FakeWebContents {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as Electron.WebContents);
  return contents;
}

beforeEach(() => {
  fakes.shell.openExternal.mockClear();
});

describe('secureWebPreferences', () => {
  it('sets isolation, sandbox and no Node explicitly, with the preload given', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    });
  });

  it('leaves webSecurity and insecure content at their secure defaults', () => {
    const prefs = secureWebPreferences('/p.cjs');
    expect(prefs).not.toHaveProperty('webSecurity');
    expect(prefs).not.toHaveProperty('allowRunningInsecureContent');
  });
});

describe('navigation', () => {
  it.each(['will-navigate', 'will-redirect'])('%s stays on app://edgewise', (name) => {
    const contents = hardened();
    expect(contents.attempt(name, 'app://edgewise/index.html')).toBe(false);
    expect(contents.attempt(name, 'app://edgewise/other.html')).toBe(false);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:4477/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'javascript:alert(1)',
      'data:text/html,hi',
      'about:blank',
    ]) {
      expect(contents.attempt(name, url), url).toBe(true);
    }
    expect(fakes.shell.openExternal).not.toHaveBeenCalled();
  });

  it('never attaches a <webview>', () => {
    expect(hardened().attempt('will-attach-webview', 'app://edgewise/index.html')).toBe(true);
  });
});

describe('new windows', () => {
  it('are always denied; https links go to the system browser', () => {
    const contents = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(fakes.shell.openExternal).toHaveBeenCalledWith('https://example.com/docs');
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'ms-settings:privacy',
    'app://edgewise/index.html',
    'not a url',
  ])('never hand %s to the operating system', (url) => {
    const contents = hardened();
    expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    expect(fakes.shell.openExternal).not.toHaveBeenCalled();
  });

  it('survive openExternal failing', async () => {
    fakes.shell.openExternal.mockRejectedValueOnce(new Error('no browser'));
    const contents = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    await Promise.resolve();
  });

  it('isAllowedExternalUrl is https only', () => {
    expect(isAllowedExternalUrl('https://a.example/')).toBe(true);
    expect(isAllowedExternalUrl('HTTPS://a.example/')).toBe(true);
    expect(isAllowedExternalUrl('http://a.example/')).toBe(false);
    expect(isAllowedExternalUrl('')).toBe(false);
  });
});

describe('permissions', () => {
  it('deny every request and every check', () => {
    const { session } = hardened();
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check(null, 'media', 'app://edgewise', {})).toBe(false);
    expect(check({}, 'clipboard-sanitized-write', 'app://edgewise', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://edgewise' })).toBe(false);
  });
});

describe('applySecurityPolicy', () => {
  it('enables the sandbox, hardens every new web contents and the default session', async () => {
    applySecurityPolicy();
    expect(fakes.app.enableSandbox).toHaveBeenCalledTimes(1);

    const contents = new FakeWebContents();
    fakes.app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.session.setPermissionCheckHandler).toHaveBeenCalled();

    await Promise.resolve();
    expect(fakes.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fakes.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
  });
});
