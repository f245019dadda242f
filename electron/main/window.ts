/**
 * Where the built app's parts are, what the command line asks for, and the one main window.
 */
import { BrowserWindow } from 'electron';
import path from 'node:path';
import { APP_ENTRY_URL } from './protocol';
import { secureWebPreferences } from './security';

export interface AppLayout {
  /** The sandboxed preload, bundled to one CommonJS file. */
  preloadPath: string;
  /** The renderer built by Vite (index.html + assets/). */
  rendererDir: string;
  /** The engine host's entry. */
  engineHostEntry: string;
  /** The hardware probe's entry (one short-lived process per backend self-test). */
  probeEntry: string;
}

/**
 * Everything is relative to the bundled main (`out/main/index.js`), so the same code works in development
 * (`electron .` at the repository root) and packaged (inside app.asar).
 */
export function appLayout(mainDir: string): AppLayout {
  const outDir = path.resolve(mainDir, '..');
  return {
    preloadPath: path.join(outDir, 'preload', 'index.cjs'),
    rendererDir: path.join(outDir, 'renderer'),
    engineHostEntry: path.join(outDir, 'native', 'host.js'),
    probeEntry: path.join(outDir, 'native', 'probe.js'),
  };
}

/**
 * The models folders: the per-user one first (so its model ids keep their folder index), then every
 * `--models <dir>` / `--models=<dir>` on the command line, then `EDGEWISE_MODELS_DIR` (a path list).
 * Relative paths are taken from `cwd`; duplicates are dropped.
 */
export function modelsDirsFromLaunch(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  userDataDir: string,
  cwd: string = process.cwd(),
): string[] {
  const dirs = [path.join(userDataDir, 'models')];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--models') {
      const value = argv[index + 1];
      if (value !== undefined && !value.startsWith('--')) {
        dirs.push(value);
        index++;
      }
    } else if (arg?.startsWith('--models=')) {
      dirs.push(arg.slice('--models='.length));
    }
  }
  for (const dir of (env['EDGEWISE_MODELS_DIR'] ?? '').split(path.delimiter)) dirs.push(dir);
  const resolved = dirs.filter((dir) => dir.trim() !== '').map((dir) => path.resolve(cwd, dir));
  return [...new Set(resolved)];
}

export const WINDOW_SIZE = { width: 1200, height: 800, minWidth: 720, minHeight: 480 } as const;

/** The main window: hidden until its first paint is ready, so it never flashes blank. */
export function createMainWindow(layout: Pick<AppLayout, 'preloadPath'>): BrowserWindow {
  const window = new BrowserWindow({
    ...WINDOW_SIZE,
    title: 'Edgewise',
    show: false,
    webPreferences: secureWebPreferences(layout.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    process.stderr.write(`Edgewise could not load its window: ${String(error)}\n`);
    // A window that never paints would leave an app running with nothing on screen to quit it from.
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
