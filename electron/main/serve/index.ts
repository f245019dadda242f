/**
 * `npm run serve -- --models <dir> [--port <n>]`: the Edgewise services and UI without Electron, for a
 * headless machine, a browser on the same machine, and the end-to-end tests.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppServices } from '../appServices';
import { forkSpawner } from '../services/engine/engineProcess';
import { forkProbeSpawner } from '../services/hardware/probeRunner';
import { startServer } from './server';

const USAGE = `Usage: npm run serve -- --models <dir> [--models <dir> …] [--port <n>] [--data <dir>] [--threads <n>] [--context-size <n>]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', multiple: true },
      port: { type: 'string', default: '4477' },
      data: { type: 'string' },
      threads: { type: 'string' },
      'context-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = parseInteger('--port', values.port, 0, 65535) ?? 4477;
  const threads = parseInteger('--threads', values.threads, 1, 256);
  const contextSize = parseInteger('--context-size', values['context-size'], 256, 1 << 20);
  const modelsDirs = (values.models ?? [path.join(os.homedir(), '.edgewise', 'models')]).map((dir) =>
    path.resolve(dir),
  );
  const dataDir = path.resolve(values.data ?? path.join(os.homedir(), '.edgewise', 'data'));

  const here = path.dirname(fileURLToPath(import.meta.url));
  const version = (
    JSON.parse(readFileSync(path.join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const services = await createAppServices({
    mode: 'serve',
    version,
    modelsDirs,
    dataDir,
    spawnEngine: forkSpawner(path.join(here, '..', 'native', 'host.js')),
    spawnProbe: forkProbeSpawner(path.join(here, '..', 'native', 'probe.js')),
    threads,
    contextSize,
  });
  const server = await startServer({ services, rendererDir: path.join(here, '..', 'renderer'), port });
  process.stdout.write(`Edgewise serving ${server.url}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await services.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

function parseInteger(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return number;
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`edgewise serve: ${message}\n`);
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${USAGE}\n`);
  }
  if ((error as { code?: string }).code === 'EADDRINUSE') {
    process.stderr.write('That port is in use: pass --port <n> (or --port 0 for any free port).\n');
  }
  process.exit(1);
});
