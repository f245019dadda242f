import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Serve mode (the real services, engine and UI over HTTP) driven in Debian's Chromium; the Electron shell
// where an Electron binary exists. Playwright's own browser download does not work offline, so the
// system Chromium is used (override with CHROMIUM_PATH; elsewhere Playwright's own, `npx playwright install`).
const port = Number(process.env['E2E_PORT'] ?? 4479);
// The fake Hugging Face hub (scripts/fake-hf) that the library spec downloads from, on a port of its own.
const hfPort = Number(process.env['E2E_HF_PORT'] ?? port + 1);
const chromium =
  process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // One engine on two cores: specs run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'serve',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
  webServer: [
    {
      // A fresh data folder each run so conversations from earlier runs don't leak into assertions. Downloads
      // go to the first models folder: a fresh one, so the generated test models are never written to.
      command: `rm -rf out/e2e-data && node out/serve/index.js --models out/e2e-data/models --models test-models --data out/e2e-data --port ${port}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: { EDGEWISE_GPU: 'false', HF_ENDPOINT: `http://127.0.0.1:${hfPort}` },
    },
    {
      command: `node scripts/fake-hf/cli.ts --port ${hfPort} --models-dir test-models`,
      url: `http://127.0.0.1:${hfPort}/_control/requests`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
