// Model-backed tests need the generated GGUF models and the bundled engine host (`out/native/host.js`, which
// the supervisor forks) and hardware probe (`out/native/probe.js`). Both are cheap when already up to date.
import { build } from 'esbuild';
import { ensureTestModels } from './scripts/test-models/index.ts';

export default async function setup(): Promise<void> {
  await Promise.all([
    ensureTestModels(),
    build({
      entryPoints: { 'native/host': 'native/host/index.ts', 'native/probe': 'native/hardware/probeEntry.ts' },
      outdir: 'out',
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
  ]);
}
