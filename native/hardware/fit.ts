/**
 * "Will it fit, and how fast?": pure functions from a model's memory needs and a {@link MachineSpec} to a
 * verdict with the numbers behind it. The needs come from node-llama-cpp's GgufInsights for a real GGUF header
 * (see needs.ts) or from size and parameter counts alone ({@link estimateNeeds}).
 */
import type { FitEstimate } from '../../electron/shared/contract';
import { formatBytes, type MachineSpec } from './machine';
import {
  EFFICIENCY,
  KV_BYTES_PER_TOKEN_PER_BILLION,
  LAYERS_BY_SIZE,
  QUANT_BITS_PER_WEIGHT,
  RAM_USABLE_SHARE,
  vramPadding,
} from './tierData';

export interface FitNeeds {
  /** `gguf`: computed by node-llama-cpp from the file's header; `heuristic`: from size and parameters. */
  source: 'gguf' | 'heuristic';
  totalLayers: number;
  contextSize: number;
  /** Bytes read per generated token: every active weight once (mixture-of-experts: the active experts). */
  bytesPerToken: number;
  /** Everything in RAM: no layer on a GPU. */
  cpuOnly: { ramBytes: number };
  /** Every layer (and its part of the context) on the GPU. */
  fullOffload: { ramBytes: number; vramBytes: number };
}

export interface EstimateInput {
  fileSizeBytes: number;
  parameters?: number;
  activeParameters?: number;
  contextSize: number;
}

/** Needs of a model known only by its size and parameter counts (a catalog entry before download). */
export function estimateNeeds(input: EstimateInput): FitNeeds {
  const weights = input.fileSizeBytes;
  // Without a parameter count, assume the commonest download, Q4_K_M.
  const parameters = input.parameters ?? (weights * 8) / (QUANT_BITS_PER_WEIGHT['Q4_K_M'] ?? 4.89);
  const active = Math.min(input.activeParameters ?? parameters, parameters);
  const kv = (KV_BYTES_PER_TOKEN_PER_BILLION * parameters * input.contextSize) / 1e9;
  // Compute buffers scale with the model's width; 5% of the weights + 100 MB is the order node-llama-cpp's
  // graph-overhead estimate gives for 1–70B llama-class models at a 4k context.
  const compute = weights * 0.05 + 100e6;
  const totalLayers = LAYERS_BY_SIZE.find((entry) => parameters <= entry.maxParameters)?.layers ?? 32;
  return {
    source: 'heuristic',
    totalLayers,
    contextSize: input.contextSize,
    bytesPerToken: weights * (active / parameters),
    cpuOnly: { ramBytes: weights + kv + compute },
    // The token-embedding table and host-side buffers stay in RAM.
    fullOffload: { ramBytes: weights * 0.03 + 100e6, vramBytes: weights * 0.97 + kv + compute },
  };
}

interface Plan {
  verdict: FitEstimate['verdict'];
  gpuLayers: number;
  ramBytes: number;
  vramBytes: number;
}

/** Decides where the model runs on `machine` and how fast it should generate there. */
export function judgeFit(needs: FitNeeds, machine: MachineSpec): FitEstimate {
  const plan = planFit(needs, machine);
  const speed = expectedTokensPerSecond(needs, machine, plan.gpuLayers);
  return {
    verdict: plan.verdict,
    ramBytes: Math.round(plan.ramBytes),
    vramBytes: Math.round(plan.vramBytes),
    gpuLayers: plan.gpuLayers,
    totalLayers: needs.totalLayers,
    contextSize: needs.contextSize,
    expectedTokensPerSecond: speed === null ? null : Math.round(speed * 10) / 10,
    explanation: explain(needs, machine, plan, speed),
  };
}

function usableRam(machine: MachineSpec): number {
  return machine.ramTotalBytes * RAM_USABLE_SHARE;
}

function usableVram(machine: MachineSpec): number {
  const gpu = machine.gpu;
  if (!gpu) return 0;
  return Math.max(0, Math.min(gpu.vramFreeBytes, gpu.vramTotalBytes) - vramPadding(gpu.vramTotalBytes));
}

function planFit(needs: FitNeeds, machine: MachineSpec): Plan {
  const ramLimit = usableRam(machine);
  const vramLimit = usableVram(machine);
  const unified = (machine.gpu?.unifiedMemoryBytes ?? 0) > 0;
  const total = needs.totalLayers;
  // With unified memory the GPU's allocations come out of the same RAM.
  const ramUse = (ram: number, vram: number) => ram + (unified ? vram : 0);

  if (machine.gpu && total > 0) {
    const full = needs.fullOffload;
    if (full.vramBytes <= vramLimit && ramUse(full.ramBytes, full.vramBytes) <= ramLimit) {
      return { verdict: 'gpu', gpuLayers: total, ramBytes: full.ramBytes, vramBytes: full.vramBytes };
    }
    // Layers are near-uniform in size, so memory moves between RAM and VRAM in proportion to layers.
    const layers = Math.min(total - 1, Math.floor((vramLimit / full.vramBytes) * total));
    if (layers >= 1) {
      const share = layers / total;
      const vram = full.vramBytes * share;
      const ram = needs.cpuOnly.ramBytes - (needs.cpuOnly.ramBytes - full.ramBytes) * share;
      if (ramUse(ram, vram) <= ramLimit) {
        return { verdict: 'partial', gpuLayers: layers, ramBytes: ram, vramBytes: vram };
      }
    }
  }
  const ram = needs.cpuOnly.ramBytes;
  return { verdict: ram <= ramLimit ? 'cpu' : 'no', gpuLayers: 0, ramBytes: ram, vramBytes: 0 };
}

/**
 * Generation is memory-bound: tokens/s = efficiency × bandwidth ÷ bytes read per token. With some layers on
 * the GPU, each part is read at its own bandwidth and the times add up.
 */
export function expectedTokensPerSecond(
  needs: FitNeeds,
  machine: MachineSpec,
  gpuLayers: number,
): number | null {
  const share = needs.totalLayers > 0 ? Math.min(1, gpuLayers / needs.totalLayers) : 0;
  const cpu = machine.cpuBandwidth === null ? null : machine.cpuBandwidth * EFFICIENCY.measuredCpu;
  const gpu = !machine.gpu
    ? null
    : machine.gpu.software
      ? cpu
      : machine.gpu.bandwidth === null
        ? null
        : machine.gpu.bandwidth * EFFICIENCY.gpuSpec;
  let seconds = 0;
  if (share > 0) {
    if (gpu === null) return null;
    seconds += (needs.bytesPerToken * share) / gpu;
  }
  if (share < 1) {
    if (cpu === null) return null;
    seconds += (needs.bytesPerToken * (1 - share)) / cpu;
  }
  return seconds > 0 ? 1 / seconds : null;
}

function explain(needs: FitNeeds, machine: MachineSpec, plan: Plan, speed: number | null): string {
  const ctx = `${needs.contextSize.toLocaleString('en-US')}-token context`;
  const gpuName = machine.gpu ? `${machine.gpu.name} (${formatBytes(usableVram(machine))} usable VRAM)` : '';
  const ram = `${formatBytes(usableRam(machine))} of ${formatBytes(machine.ramTotalBytes)} RAM usable`;
  const speedText =
    speed === null
      ? ' Expected speed unknown until memory bandwidth is measured.'
      : ` Expected ≈ ${speed.toFixed(speed < 10 ? 1 : 0)} tokens/s.`;
  const basis = needs.source === 'heuristic' ? ' (estimated from size; no file header)' : '';
  switch (plan.verdict) {
    case 'gpu':
      return `Fits on the GPU: all ${needs.totalLayers} layers need ${formatBytes(plan.vramBytes)} of VRAM with a ${ctx}${basis}, on ${gpuName}.${speedText}`;
    case 'partial':
      return `Fits with partial offload: ${plan.gpuLayers} of ${needs.totalLayers} layers on ${gpuName} (${formatBytes(plan.vramBytes)}), the rest in RAM (${formatBytes(plan.ramBytes)}; ${ram}); all layers would need ${formatBytes(needs.fullOffload.vramBytes)}${basis}.${speedText}`;
    case 'cpu':
      return `${machine.gpu ? `Too big for ${gpuName}; runs` : 'Runs'} on the CPU: needs ${formatBytes(plan.ramBytes)} of RAM with a ${ctx}${basis} (${ram}).${speedText}`;
    case 'no':
      return `Won't fit: needs ${formatBytes(needs.cpuOnly.ramBytes)} of RAM with a ${ctx}${basis}, but only ${ram}${machine.gpu ? ` and ${gpuName}` : ''}. Pick a smaller model or quantization.`;
    default:
      return plan.verdict satisfies never;
  }
}
