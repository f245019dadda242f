/**
 * The desktop app's entry (`out/main/index.js`): security policy and the `app://` scheme before ready, then
 * the services, IPC and one window. Everything with behaviour lives in the modules it wires together.
 */
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServices, type AppServices } from './appServices';
import { utilityProbeSpawner } from './engine/utilityProbeSpawner';
import { utilitySpawner } from './engine/utilitySpawner';
import { registerIpc } from './ipc/electronIpc';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { applySecurityPolicy } from './security';
import { appLayout, createMainWindow, modelsDirsFromLaunch } from './window';

/** Quitting never hangs on a stuck engine or disk: after this, the app quits anyway. */
const SHUTDOWN_LIMIT_MS = 10_000;

const layout = appLayout(path.dirname(fileURLToPath(import.meta.url)));

// Synchronously, before anything awaits: an ES module entry that awaited first could miss `ready`, and these
// only work before it.
registerAppScheme();
applySecurityPolicy();
// A separate profile (tests, a second copy side by side). Before the single-instance lock, which is per profile.
const userDataOverride = process.env['EDGEWISE_USER_DATA_DIR'];
if (userDataOverride) app.setPath('userData', path.resolve(userDataOverride));

if (app.requestSingleInstanceLock()) {
  start();
} else {
  // Another Edgewise is running with this profile; it gets our `second-instance` and shows itself.
  app.quit();
}

function start(): void {
  let services: AppServices | null = null;
  let disposeIpc: (() => void) | null = null;
  let mainWindow: BrowserWindow | null = null;
  let quitting: 'no' | 'stopping' | 'stopped' = 'no';

  const openWindow = () => {
    const window = createMainWindow(layout);
    mainWindow = window;
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
  };

  const ready = app.whenReady().then(async () => {
    serveAppProtocol(layout.rendererDir);
    const userData = app.getPath('userData');
    services = await createAppServices({
      mode: 'electron',
      version: app.getVersion(),
      modelsDirs: modelsDirsFromLaunch(process.argv, process.env, userData),
      dataDir: path.join(userData, 'data'),
      spawnEngine: utilitySpawner(layout.engineHostEntry),
      spawnProbe: utilityProbeSpawner(layout.probeEntry),
    });
    disposeIpc = registerIpc(services);
    if (quitting === 'no') openWindow();
  });
  ready.catch((error: unknown) => {
    dialog.showErrorBox('Edgewise could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  app.on('second-instance', () => {
    if (!mainWindow) {
      if (services && quitting === 'no') openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay running without windows until the person quits them.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (services && quitting === 'no' && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  // Stop the engine and flush conversations once, then let the quit go on.
  app.on('before-quit', (event) => {
    if (quitting === 'stopped') return;
    event.preventDefault();
    if (quitting === 'stopping') return;
    quitting = 'stopping';
    void stopServices().finally(() => {
      quitting = 'stopped';
      app.quit();
    });
  });

  async function stopServices(): Promise<void> {
    // A quit during startup waits for the services it has to stop.
    await ready.catch(() => undefined);
    try {
      disposeIpc?.();
      disposeIpc = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_LIMIT_MS)));
      await Promise.race([services?.dispose(), limit]).finally(() => clearTimeout(timer));
    } catch (error) {
      process.stderr.write(`Edgewise did not shut down cleanly: ${String(error)}\n`);
    }
  }
}
