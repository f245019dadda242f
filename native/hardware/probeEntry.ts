/**
 * A short-lived probe process: `probe.js backend <id>` self-tests one llama.cpp backend, `probe.js bandwidth
 * <threads>` measures memory bandwidth. Each sends one message to its parent and exits; if it crashes (a bad
 * GPU binary or driver can segfault) only this process dies, and main reports the crash.
 */
import type { BackendId } from '../../electron/shared/contract';
import { measureBandwidth } from './bandwidth';
import { probeBackend, type ProbeMessage } from './probe';

interface ParentPort {
  postMessage(message: unknown): void;
}

const BACKENDS: readonly BackendId[] = ['metal', 'cuda', 'vulkan', 'cpu'];

async function main(): Promise<ProbeMessage> {
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'backend' && BACKENDS.includes(arg as BackendId)) {
    const backend = arg as BackendId;
    // Test hook: proves a probe that dies natively is reported and does not take main down.
    if (process.env['EDGEWISE_PROBE_CRASH'] === backend) process.kill(process.pid, 'SIGSEGV');
    return { type: 'backend', report: await probeBackend(backend) };
  }
  if (mode === 'bandwidth') {
    const threads = Number.parseInt(arg ?? '1', 10);
    return { type: 'bandwidth', result: await measureBandwidth({ threads: threads > 0 ? threads : 1 }) };
  }
  return { type: 'error', message: `unknown probe: ${process.argv.slice(2).join(' ')}` };
}

function send(message: ProbeMessage): Promise<void> {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    parentPort.postMessage(message);
    return Promise.resolve();
  }
  if (!process.send) {
    process.stdout.write(`${JSON.stringify(message)}\n`);
    return Promise.resolve();
  }
  return new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
}

main()
  .catch((error: unknown): ProbeMessage => ({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  }))
  .then(send)
  .finally(() => process.exit(0));
