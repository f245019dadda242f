import type { BackendId, HardwareProfile } from '../../electron/shared/contract';
import { GPU_BANDWIDTH, SOFTWARE_DEVICE } from './tierData';

/**
 * The hardware facts the fit and tier logic need, as plain numbers, so tests can describe any machine
 * (a 4 GB laptop, a 16 GB unified-memory Mac, a 24 GB GPU workstation) without having one.
 */
export interface MachineSpec {
  ramTotalBytes: number;
  ramFreeBytes: number;
  /** Measured CPU read bandwidth (bytes/s); null when not measured. */
  cpuBandwidth: number | null;
  /** The GPU the engine uses; null when it runs on the CPU backend. */
  gpu: {
    backend: Exclude<BackendId, 'cpu'>;
    name: string;
    vramTotalBytes: number;
    vramFreeBytes: number;
    /** > 0 on unified memory (Apple silicon): VRAM use is RAM use. */
    unifiedMemoryBytes: number;
    /** Spec bandwidth (bytes/s) from the device name; null when the device is unknown. */
    bandwidth: number | null;
    /** The CPU behind a GPU API (lavapipe): its bandwidth is the CPU's. */
    software: boolean;
  } | null;
}

export function gpuSpecBandwidth(deviceName: string): number | null {
  return GPU_BANDWIDTH.find((entry) => entry.pattern.test(deviceName))?.bytesPerSecond ?? null;
}

export function isSoftwareDevice(deviceName: string): boolean {
  return SOFTWARE_DEVICE.test(deviceName);
}

/** The machine as the engine will use it: the active backend's device, or none on CPU. */
export function machineFromProfile(profile: HardwareProfile): MachineSpec {
  const report = profile.backends.find((b) => b.backend === profile.activeBackend && b.status === 'ok');
  const name = report?.deviceNames[0];
  const gpu =
    profile.activeBackend !== 'cpu' && report && name !== undefined
      ? {
          backend: profile.activeBackend,
          name,
          vramTotalBytes: report.vramTotalBytes ?? 0,
          vramFreeBytes: report.vramFreeBytes ?? report.vramTotalBytes ?? 0,
          unifiedMemoryBytes: report.unifiedMemoryBytes ?? 0,
          bandwidth: gpuSpecBandwidth(name),
          software: report.softwareDevice,
        }
      : null;
  return {
    ramTotalBytes: profile.ramTotalBytes,
    ramFreeBytes: profile.ramFreeBytes,
    cpuBandwidth: profile.bandwidth?.bytesPerSecond ?? null,
    gpu,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(0, Math.round(bytes / 1e3))} kB`;
}

export function formatBandwidth(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e9).toFixed(bytesPerSecond < 10e9 ? 1 : 0)} GB/s`;
}

/**
 * The backends node-llama-cpp offers on a platform (its `getLlamaGpuTypes('allValid')`, without loading it in
 * main), best first, CPU last. probe.test.ts checks the two agree on the machine running the tests.
 */
export function offeredBackends(
  platform: string = process.platform,
  arch: string = process.arch,
): BackendId[] {
  if (platform === 'darwin') return arch === 'arm64' ? ['metal', 'cpu'] : ['cpu'];
  if ((platform === 'linux' || platform === 'win32') && arch === 'x64') return ['cuda', 'vulkan', 'cpu'];
  return ['vulkan', 'cpu'];
}
