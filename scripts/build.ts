/**
 * Builds everything `npm start` and `npm run serve` run: the renderer with Vite, and the Node-side entries
 * (Electron main, preload, serve mode, engine host) with esbuild. node-llama-cpp and other packages stay
 * external: they ship in node_modules (native binaries cannot be bundled).
 */
import { build as esbuild, type BuildOptions } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const nodeOnly = process.argv.includes('--node-only');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

async function main(): Promise<void> {
  // Only what this script writes: out/ also holds test reports and e2e data.
  for (const dir of ['main', 'preload', 'serve', 'native', 'bench']) {
    await rm(path.join(out, dir), { recursive: true, force: true });
  }
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: {
        'main/index': 'electron/main/index.ts',
        'serve/index': 'electron/main/serve/index.ts',
        'native/host': 'native/host/index.ts',
        'native/probe': 'native/hardware/probeEntry.ts',
        'bench/index': 'scripts/bench/index.ts',
      },
      outdir: out,
      format: 'esm',
      packages: 'external',
    }),
    // Sandboxed preloads run as CommonJS and may require only `electron`: bundle everything else into one file.
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: path.join(out, 'preload', 'index.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
    !nodeOnly ? vite({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' }) : Promise.resolve(),
  ]);
  process.stdout.write(`built into ${path.relative(process.cwd(), out) || '.'}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
