/**
 * The contract over Electron IPC: one `ipcMain.handle` per router channel, and pushed events to each window.
 * Every call is checked against its sender before anything else runs (compare VS Code's
 * `validatedIpcMain`): only the main frame of one of our windows, showing our own `app://` origin, may call.
 */
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { CallResult } from '../../shared/contract';
import type { AppServices } from '../appServices';
import { isAppUrl } from '../protocol';

export type IpcServices = Pick<AppServices, 'router' | 'events' | 'senderGone'>;

export function senderIdOf(contents: Pick<WebContents, 'id'>): string {
  return `window-${contents.id}`;
}

const FORBIDDEN: CallResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This call did not come from an Edgewise window, so it was refused.' },
};

interface TrackedWindow {
  contents: WebContents;
  untrack(): void;
}

/**
 * Registers the IPC handlers and follows every `BrowserWindow` the app creates (now or later): each one's
 * page receives events while it lives, and its streams are aborted when its page goes away. Returns a
 * disposer that removes the handlers and lets go of the windows (ending their streams).
 */
export function registerIpc(services: IpcServices): () => void {
  const windows = new Map<number, TrackedWindow>();

  function trustedSenderId(event: IpcMainInvokeEvent): string | null {
    try {
      const contents = event.sender;
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null) return null;
      if (contents.isDestroyed() || windows.get(contents.id)?.contents !== contents) return null;
      if (!isAppUrl(frame.url)) return null;
      return senderIdOf(contents);
    } catch {
      // A frame torn down mid-call can throw on access: refuse rather than guess.
      return null;
    }
  }

  for (const channel of services.router.channels) {
    ipcMain.handle(channel, (event, rawArgs: unknown) => {
      const senderId = trustedSenderId(event);
      if (senderId === null) return FORBIDDEN;
      return services.router.dispatch(channel, rawArgs, { senderId });
    });
  }

  function track(window: BrowserWindow): void {
    const contents = window.webContents;
    // Read once: a destroyed webContents throws on most property access.
    const key = contents.id;
    if (windows.has(key)) return;
    const senderId = senderIdOf(contents);
    let detach: (() => void) | null = null;
    let committed = false;

    const attach = () => {
      if (detach || contents.isDestroyed()) return;
      detach = services.events.attach(senderId, (channel, payload) => {
        if (!contents.isDestroyed()) contents.send(channel, payload);
      });
    };
    // The page that started the streams is gone: stop sending to it and abort what it asked for.
    const pageGone = () => {
      if (!detach) return;
      detach();
      detach = null;
      services.senderGone(senderId);
    };
    const onNavigated = () => {
      // A reload or a new document in the same window is a new page: the old page's streams end with it.
      if (committed) pageGone();
      committed = true;
      attach();
    };
    const onRenderGone = () => pageGone();
    const onGone = () => untrack();

    function untrack(): void {
      if (windows.get(key)?.contents !== contents) return;
      windows.delete(key);
      pageGone();
      contents.off('did-navigate', onNavigated);
      contents.off('render-process-gone', onRenderGone);
      contents.off('destroyed', onGone);
      window.off('closed', onGone);
    }

    windows.set(key, { contents, untrack });
    contents.on('did-navigate', onNavigated);
    contents.on('render-process-gone', onRenderGone);
    contents.on('destroyed', onGone);
    window.on('closed', onGone);
    attach();
  }

  const onWindowCreated = (_event: unknown, window: BrowserWindow) => track(window);
  app.on('browser-window-created', onWindowCreated);
  for (const window of BrowserWindow.getAllWindows()) track(window);

  return () => {
    app.off('browser-window-created', onWindowCreated);
    for (const channel of services.router.channels) ipcMain.removeHandler(channel);
    for (const window of [...windows.values()]) window.untrack();
  };
}
