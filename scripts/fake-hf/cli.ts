/**
 * `node scripts/fake-hf/cli.ts [--port <n>] [--models-dir test-models] [--repo owner/name]`
 *
 * Starts the fake Hugging Face hub (see server.ts) and prints one line, `Fake Hugging Face serving <url>`.
 * Point Edgewise at it with `HF_ENDPOINT=<url>`. Faults: `POST <url>/_control/faults` with a JSON body of
 * FakeHfFaults; `POST <url>/_control/reset`; `GET <url>/_control/requests` lists the requests seen.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeHf } from './server.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'models-dir': { type: 'string', default: 'test-models' },
      repo: { type: 'string' },
      faults: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not ${values.port}`);
  const fake = await startFakeHf({
    port,
    modelsDir: path.resolve(values['models-dir']),
    repo: values.repo,
    faults: values.faults ? JSON.parse(values.faults) : undefined,
  });
  process.stdout.write(`Fake Hugging Face serving ${fake.url}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-hf: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
