import type { HardwareTier, ReferenceModelFit } from '../../electron/shared/contract';
import { formatBandwidth, formatBytes, type MachineSpec } from './machine';
import {
  EFFICIENCY,
  QUANT_BITS_PER_WEIGHT,
  RAM_USABLE_SHARE,
  READING_SPEED_TOKENS_PER_SECOND,
  REFERENCE_PARAMETERS,
  REFERENCE_QUANTS,
  TIERS,
  vramPadding,
} from './tierData';

interface Basis {
  bandwidth: number | null;
  /** Bandwidth × efficiency: the bytes per second generation actually reads. */
  effective: number | null;
  source: HardwareTier['bandwidthSource'];
  memory: number;
  where: string;
}

/** Which bandwidth and memory bound generation: a real GPU's (spec) if one is in use, else the CPU's (measured). */
function basisOf(machine: MachineSpec): Basis {
  const gpu = machine.gpu;
  if (gpu && !gpu.software && gpu.bandwidth !== null) {
    return {
      bandwidth: gpu.bandwidth,
      effective: gpu.bandwidth * EFFICIENCY.gpuSpec,
      source: 'gpu-spec',
      memory: Math.max(0, gpu.vramTotalBytes - vramPadding(gpu.vramTotalBytes)),
      where: `${gpu.name} (spec bandwidth, ${gpu.unifiedMemoryBytes > 0 ? 'unified memory' : 'VRAM'})`,
    };
  }
  const memory = machine.ramTotalBytes * RAM_USABLE_SHARE;
  if (machine.cpuBandwidth === null) {
    return {
      bandwidth: null,
      effective: null,
      source: 'none',
      memory,
      where: 'RAM (bandwidth not measured)',
    };
  }
  return {
    bandwidth: machine.cpuBandwidth,
    effective: machine.cpuBandwidth * EFFICIENCY.measuredCpu,
    source: 'measured-cpu',
    memory,
    where: 'system RAM (measured read bandwidth)',
  };
}

/** The largest reference model and quantization that fits and generates at reading speed or faster. */
export function largestAtReadingSpeed(machine: MachineSpec): ReferenceModelFit | null {
  const { effective, memory } = basisOf(machine);
  if (effective === null) return null;
  let best: ReferenceModelFit | null = null;
  for (const parameters of REFERENCE_PARAMETERS) {
    for (const quant of REFERENCE_QUANTS) {
      const sizeBytes = (parameters * (QUANT_BITS_PER_WEIGHT[quant] ?? 16)) / 8;
      const speed = effective / sizeBytes;
      // 10% on top of the weights for a few thousand tokens of context and compute buffers.
      if (sizeBytes * 1.1 > memory || speed < READING_SPEED_TOKENS_PER_SECOND) continue;
      if (
        !best ||
        parameters > best.parameters ||
        (parameters === best.parameters && sizeBytes > best.sizeBytes)
      ) {
        best = {
          label: `${parameters / 1e9}B ${quant}`,
          parameters,
          quant,
          sizeBytes: Math.round(sizeBytes),
          expectedTokensPerSecond: Math.round(speed * 10) / 10,
        };
      }
    }
  }
  return best;
}

export function classifyTier(machine: MachineSpec): HardwareTier {
  const basis = basisOf(machine);
  const fallback = TIERS[0];
  if (!fallback) throw new Error('tierData.TIERS is empty');
  const tier =
    basis.bandwidth === null
      ? fallback
      : ([...TIERS].reverse().find((t) => (basis.bandwidth ?? 0) >= t.minBandwidth) ?? fallback);
  const largest = largestAtReadingSpeed(machine);
  const bandwidthText =
    basis.bandwidth === null ? 'memory bandwidth not measured yet' : formatBandwidth(basis.bandwidth);
  const reach = largest
    ? `The largest model expected at ${READING_SPEED_TOKENS_PER_SECOND} tokens/s or faster: ${largest.label} (${formatBytes(largest.sizeBytes)}, ≈ ${largest.expectedTokensPerSecond} tokens/s).`
    : basis.bandwidth === null
      ? ''
      : `No reference model reaches ${READING_SPEED_TOKENS_PER_SECOND} tokens/s here; expect slower than reading speed.`;
  return {
    id: tier.id,
    name: tier.name,
    explanation:
      `${bandwidthText} from ${basis.where} and ${formatBytes(basis.memory)} of memory for models: ${tier.name} (${tier.source}). ${reach}`.trim(),
    bandwidthBytesPerSecond: basis.bandwidth,
    bandwidthSource: basis.source,
    memoryBytes: Math.round(basis.memory),
    typicalModels: tier.typicalModels,
    largestAtReadingSpeed: largest,
    readingSpeedTokensPerSecond: READING_SPEED_TOKENS_PER_SECOND,
  };
}
