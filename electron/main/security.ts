/**
 * Electron's security checklist, applied to every web contents the app ever creates (see
 * ../shared/STYLE.md). The renderer shows untrusted model output, so it gets nothing it does not need:
 * no Node, no navigation away from the app, no new windows, no permissions.
 */
import { app, session, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { isAppUrl } from './protocol';

/** Set explicitly, though most are the defaults: a future default or a stray option must not weaken them. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    // `webSecurity` and `allowRunningInsecureContent` stay at their secure defaults on purpose.
  };
}

/** Only `https:` links may leave the app, and only to the system browser. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export type OpenExternal = (url: string) => Promise<void>;

export function hardenWebContents(
  contents: WebContents,
  openExternal: OpenExternal = (url) => shell.openExternal(url),
): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
  hardenSession(contents.session);
}

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Call before the app is ready: `enableSandbox` only takes effect then, and `web-contents-created` must be
 * listening before the first window exists.
 */
export function applySecurityPolicy(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  void app.whenReady().then(() => hardenSession(session.defaultSession));
}
