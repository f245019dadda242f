import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, getLlamaGpuTypes, LlamaLogLevel } from 'node-llama-cpp';
import type { BackendId, BackendReport, MemoryBandwidth } from '../../electron/shared/contract';
import { isSoftwareDevice } from './machine';

/** What a probe process sends back before it exits. */
export type ProbeMessage =
  | { type: 'backend'; report: Omit<BackendReport, 'probeMs'> }
  | { type: 'bandwidth'; result: MemoryBandwidth }
  | { type: 'error'; message: string };

/** What node-llama-cpp itself says it offers here (machine.ts's `offeredBackends` must agree). */
export async function offeredByNodeLlamaCpp(): Promise<BackendId[]> {
  const types = await getLlamaGpuTypes('allValid');
  const gpus = types.filter(
    (t): t is Exclude<BackendId, 'cpu'> => t === 'metal' || t === 'cuda' || t === 'vulkan',
  );
  return [...gpus, 'cpu'];
}

/**
 * Starts llama.cpp with one backend (`build: 'never'`: a missing binary is a reason, not a compile) and reports
 * what it sees. Runs in a short-lived process of its own because a bad GPU binary or driver can crash it.
 */
export async function probeBackend(backend: BackendId): Promise<Omit<BackendReport, 'probeMs'>> {
  const gpu = backend === 'cpu' ? false : backend;
  const logs: string[] = [];
  const platformReason = missingDriver(backend);
  if (backend === 'metal' && platformReason) {
    return { ...emptyReport(backend), status: 'unavailable', reason: platformReason };
  }
  const base = emptyReport(backend);
  try {
    const llama = await getLlama({
      gpu,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: (_level, message) => void logs.push(message),
    });
    if (llama.gpu !== gpu) {
      return {
        ...base,
        status: 'unavailable',
        reason: `node-llama-cpp started ${llama.gpu || 'cpu'} instead.`,
      };
    }
    const [deviceNames, vram] = await Promise.all([llama.getGpuDeviceNames(), llama.getVramState()]);
    const report = {
      ...base,
      deviceNames,
      vramTotalBytes: gpu === false ? null : vram.total,
      vramFreeBytes: gpu === false ? null : vram.free,
      unifiedMemoryBytes: gpu === false ? null : vram.unifiedSize,
      softwareDevice: deviceNames.length > 0 && deviceNames.every(isSoftwareDevice),
    };
    await llama.dispose().catch(() => undefined);
    if (gpu !== false && (!llama.supportsGpuOffloading || deviceNames.length === 0)) {
      return { ...report, status: 'unavailable', reason: noDeviceReason(backend) };
    }
    return { ...report, status: 'ok', reason: null };
  } catch (error) {
    return { ...base, status: 'unavailable', reason: failureReason(backend, error, logs) };
  }
}

function emptyReport(backend: BackendId) {
  return {
    backend,
    deviceNames: [] as string[],
    vramTotalBytes: null,
    vramFreeBytes: null,
    unifiedMemoryBytes: null,
    softwareDevice: false,
  };
}

function noDeviceReason(backend: BackendId): string {
  switch (backend) {
    case 'vulkan':
      return (
        'The Vulkan binary loaded, but it found no GPU. Install your GPU vendor’s Vulkan driver. ' +
        'llama.cpp skips CPU-based Vulkan devices (lavapipe/llvmpipe) unless GGML_VK_VISIBLE_DEVICES is set.'
      );
    case 'cuda':
      return 'The CUDA binary loaded, but it found no NVIDIA GPU.';
    case 'metal':
      return 'The Metal binary loaded, but it found no Metal GPU.';
    case 'cpu':
      return 'The CPU backend has no device to find.';
    default:
      return backend satisfies never;
  }
}

function failureReason(backend: BackendId, error: unknown, logs: readonly string[]): string {
  const message =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  const pkg = binaryPackage(backend);
  if (pkg && !packageInstalled(pkg)) {
    return `No ${label(backend)} binary is installed for ${process.platform}-${process.arch} (npm package ${pkg} is missing).`;
  }
  const driver = missingDriver(backend);
  if (driver) return driver;
  const detail = [message, ...logs.slice(-3)].filter(Boolean).join(' ').slice(0, 400);
  return `The ${label(backend)} binary could not start on this machine (binary incompatible or driver too old): ${detail}`;
}

function label(backend: BackendId): string {
  return backend === 'cpu' ? 'CPU' : backend === 'cuda' ? 'CUDA' : backend === 'metal' ? 'Metal' : 'Vulkan';
}

/** The `@node-llama-cpp/*` package that carries the backend's prebuilt binary on this platform. */
export function binaryPackage(
  backend: BackendId,
  platform = process.platform,
  arch = process.arch,
): string | null {
  const os =
    platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : platform === 'linux' ? 'linux' : null;
  if (!os) return null;
  if (backend === 'metal') return os === 'mac' && arch === 'arm64' ? '@node-llama-cpp/mac-arm64-metal' : null;
  return `@node-llama-cpp/${os}-${arch}${backend === 'cpu' ? '' : `-${backend}`}`;
}

function packageInstalled(pkg: string): boolean {
  // node_modules/node-llama-cpp/dist/index.js → node_modules/
  let dir = path.dirname(fileURLToPath(import.meta.resolve('node-llama-cpp')));
  while (path.basename(dir) !== 'node_modules' && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return existsSync(path.join(dir, ...pkg.split('/')));
}

const LIBRARY_DIRS = [
  '/usr/lib',
  '/usr/lib64',
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/local/cuda/lib64',
];

/** The usual reason a GPU backend cannot start is the driver, not the binary: say so when it is absent. */
function missingDriver(backend: BackendId): string | null {
  if (backend === 'metal' && process.platform !== 'darwin') return 'Metal exists only on macOS.';
  if (process.platform !== 'linux') return null;
  const dirs = [...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean), ...LIBRARY_DIRS];
  const has = (names: string[]) => names.some((name) => dirs.some((dir) => existsSync(path.join(dir, name))));
  if (backend === 'cuda' && !has(['libcuda.so.1', 'libcuda.so'])) {
    return 'No NVIDIA driver found (libcuda.so.1 is not installed), so the CUDA binary cannot run. Install the NVIDIA driver if this machine has an NVIDIA GPU.';
  }
  if (backend === 'vulkan' && !has(['libvulkan.so.1', 'libvulkan.so'])) {
    return 'No Vulkan loader found (libvulkan.so.1 is not installed). Install your GPU’s Vulkan driver.';
  }
  return null;
}
