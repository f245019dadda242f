// Test support (not a test file): a DownloadManager in a process of its own, as the app runs it, so tests
// can kill it mid-download or give it its own environment (HF_ENDPOINT, HTTPS_PROXY, NODE_EXTRA_CA_CERTS).
// Bundled by the tests with esbuild. argv[2] is a JSON ChildConfig; every download event is printed as one
// JSON line; with `exitWhenDone` the process exits after the first terminal event.
import type { HfSource } from '../../../shared/contract';
import { HfClient } from '../hf/hfClient';
import { HfSettingsStore } from '../hf/hfSettings';
import { DownloadManager } from './downloadManager';

export interface ChildConfig {
  stateFile: string;
  target: string;
  start?: { downloadId: string; source: HfSource };
  exitWhenDone?: boolean;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const settings = new HfSettingsStore(null);
  // No dispatcher given: the product's default, which honours HTTPS_PROXY / NO_PROXY.
  const hf = new HfClient({ settings });
  const manager: DownloadManager = new DownloadManager({
    hf,
    getDownloadTarget: async () => ({ folderId: 'default', path: config.target }),
    onFileReady: async (file) => `default:${file}`,
    emit: (event) => {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      if (config.exitWhenDone && event.type !== 'progress') {
        void manager.dispose().then(() => process.exit(0));
      }
    },
    stateFile: config.stateFile,
    progressIntervalMs: 20,
    diskMarginBytes: 0,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    log: (message) => process.stderr.write(`${message}\n`),
  });
  await manager.init();
  if (config.start) manager.start(config.start);
}

main().catch((error: unknown) => {
  process.stderr.write(`child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
