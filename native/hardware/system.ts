import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';

export interface SystemFacts {
  cpuModel: string;
  physicalCores: number;
  logicalCores: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
  os: string;
}

export async function readSystemFacts(): Promise<SystemFacts> {
  const cpus = os.cpus();
  const logicalCores = os.availableParallelism();
  return {
    cpuModel: cpus[0]?.model.trim() || os.machine(),
    physicalCores: (await physicalCoreCount().catch(() => null)) ?? logicalCores,
    logicalCores,
    ramTotalBytes: os.totalmem(),
    ramFreeBytes: os.freemem(),
    os: `${os.platform()} ${os.release()} (${os.arch()})`,
  };
}

/** Physical cores: SMT siblings share a core's memory pipeline, which is what generation speed depends on. */
async function physicalCoreCount(): Promise<number | null> {
  if (process.platform === 'linux') return physicalCoresFromCpuinfo(await readFile('/proc/cpuinfo', 'utf8'));
  if (process.platform === 'darwin') {
    const { stdout } = await promisify(execFile)('sysctl', ['-n', 'hw.physicalcpu'], { timeout: 2000 });
    const cores = Number.parseInt(stdout.trim(), 10);
    return Number.isInteger(cores) && cores > 0 ? cores : null;
  }
  return null;
}

/** Distinct (physical id, core id) pairs; VMs that hide the topology count as one core per CPU. */
export function physicalCoresFromCpuinfo(text: string): number | null {
  const cores = new Set<string>();
  let processors = 0;
  for (const block of text.split(/\n\s*\n/)) {
    if (!/^processor\s*:/m.test(block)) continue;
    processors += 1;
    const socket = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    cores.add(socket !== undefined && core !== undefined ? `${socket}:${core}` : `cpu${processors}`);
  }
  return cores.size > 0 ? cores.size : null;
}
