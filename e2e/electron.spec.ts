/**
 * The desktop shell end to end: `electron .` with the generated test models, the same chat flow as the
 * serve-mode specs, through the real preload, IPC sender check, app:// protocol and utility-process engine.
 *
 * Runs wherever an Electron binary is installed (a developer machine, a public CI runner); skipped, saying
 * why, where the `electron` package is present but its binary was never downloaded (the build machines).
 * Needs `npm run build` (out/) and `node scripts/make-test-models.ts` (test-models/) first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { Api } from '../electron/shared/contract';

/** What the preload puts on the page (the renderer's own global typing is not part of the e2e program). */
type BridgedWindow = Window & { api?: Api };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = path.join(root, 'test-models');
const MODEL_FILE = 'tiny.Q8_0.gguf';

/**
 * The binary the `electron` package points at, and whether it exists. Mirrors the package's index.js
 * (`path.txt` under the package, or ELECTRON_OVERRIDE_DIST_PATH) instead of `require('electron')`, because
 * requiring it with the binary missing starts a download, which must never happen from a test.
 */
function locateElectron(): { available: boolean; executablePath: string } {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { available: false, executablePath: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (!relative && !override) return { available: false, executablePath: path.join(packageDir, 'dist') };
  const executablePath = override
    ? path.join(override, relative || 'electron')
    : path.join(packageDir, 'dist', relative);
  return { available: existsSync(executablePath), executablePath };
}

const binary = locateElectron();

test.describe('Electron shell', () => {
  test.skip(
    !binary.available,
    `Electron binary not installed (${binary.executablePath}): the Electron shell cannot launch on this machine; serve-mode specs cover the UI`,
  );

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    const missing = [path.join(root, 'out', 'main', 'index.js'), path.join(modelsDir, MODEL_FILE)].filter(
      (file) => !existsSync(file),
    );
    if (missing.length > 0) {
      throw new Error(
        `Missing ${missing.join(', ')}: run \`npm run build\` and \`node scripts/make-test-models.ts\` first.`,
      );
    }
    // A throwaway profile: the test never touches a developer's own conversations or models.
    userData = mkdtempSync(path.join(os.tmpdir(), 'edgewise-electron-e2e-'));
    app = await electron.launch({
      executablePath: binary.executablePath,
      args: ['.', '--models', modelsDir],
      cwd: root,
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
        EDGEWISE_USER_DATA_DIR: userData,
        EDGEWISE_MODELS_DIR: '',
      },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    // `close()` goes through before-quit: the engine stops and conversations flush, as on a real quit.
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('serves the UI from app://edgewise in an isolated, sandboxed renderer', async () => {
    await expect(page).toHaveURL(/^app:\/\/edgewise\//);
    await expect(page).toHaveTitle('Edgewise');
    const surface = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((window as BridgedWindow).api ?? {}).sort(),
    }));
    expect(surface.require).toBe('undefined');
    expect(surface.process).toBe('undefined');
    expect(surface.api).toContain('chatSend');
    expect(surface.api).toContain('onChatStream');
    expect(surface.api).not.toContain('invoke');

    const info = await page.evaluate(() => (window as BridgedWindow).api?.appInfo());
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron' } });
  });

  test('chats with the tiny test model', async () => {
    const picker = page.getByTestId('model-picker');
    await expect(picker).toBeEnabled({ timeout: 30_000 });
    const modelId = await picker.locator('option', { hasText: MODEL_FILE }).first().getAttribute('value');
    expect(modelId, `${MODEL_FILE} is offered in the model picker`).toBeTruthy();
    await picker.selectOption(modelId ?? '');

    await page.getByTestId('composer-input').fill('Hello from the Electron shell');
    const send = page.getByTestId('send-button');
    await expect(send).toBeEnabled({ timeout: 60_000 });
    await send.click();

    const answer = page.getByTestId('message-assistant').last();
    await expect(answer).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  });
});
