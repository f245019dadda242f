import type { BackendPreference } from '../../../electron/shared/contract';

const LABELS: Record<BackendPreference, string> = {
  auto: 'Automatic (best that works)',
  metal: 'Metal',
  cuda: 'CUDA',
  vulkan: 'Vulkan',
  cpu: 'CPU',
};

export function backendLabel(backend: BackendPreference): string {
  return LABELS[backend];
}

export function formatBandwidth(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e9).toFixed(bytesPerSecond < 10e9 ? 1 : 0)} GB/s`;
}
