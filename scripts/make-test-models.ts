/**
 * Generates Edgewise's deterministic GGUF test models (only what is missing or stale).
 *
 *   node scripts/make-test-models.ts [--out <dir>] [--only tiny|bench60m]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TEST_MODEL_NAMES, TEST_MODELS_DIR, ensureTestModels } from './test-models/index.ts';
import type { TestModelName } from './test-models/index.ts';

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function isModelName(value: string): value is TestModelName {
  return (TEST_MODEL_NAMES as readonly string[]).includes(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(
      `usage: node scripts/make-test-models.ts [--out <dir>] [--only ${TEST_MODEL_NAMES.join('|')}]`,
    );
    return;
  }
  const models: TestModelName[] = [];
  for (const name of values.only ?? []) {
    if (!isModelName(name))
      throw new Error(`--only: unknown model "${name}" (expected ${TEST_MODEL_NAMES.join(' or ')})`);
    models.push(name);
  }
  const dir = path.resolve(values.out ?? TEST_MODELS_DIR);
  const started = performance.now();
  const files = await ensureTestModels({
    dir,
    models: models.length > 0 ? models : TEST_MODEL_NAMES,
    onGenerate: ({ path: filePath }) => console.error(`generating ${path.basename(filePath)}...`),
  });
  const nameWidth = Math.max(...files.map((f) => f.fileName.length));
  for (const f of files) {
    console.log(
      `${f.fileName.padEnd(nameWidth)}  ${String(f.size).padStart(10)} B  ${formatSize(f.size).padStart(10)}  sha256:${f.sha256.slice(0, 12)}${f.generated ? '  (generated)' : ''}`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  console.error(`${files.filter((f) => f.generated).length} generated, in ${dir} (${seconds.toFixed(2)} s)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
