import { describe, expect, it } from 'vitest';
import { estimateNeeds, judgeFit } from './fit';
import type { MachineSpec } from './machine';
import { gpuSpecBandwidth, isSoftwareDevice, offeredBackends } from './machine';
import { classifyTier, largestAtReadingSpeed } from './tiers';

const GB = 1e9;
const GiB = 2 ** 30;

/** A 4 GB laptop: no GPU backend, single-channel DDR4 measured at ~20 GB/s. */
const laptop4: MachineSpec = {
  ramTotalBytes: 4 * GiB,
  ramFreeBytes: 2.5 * GiB,
  cpuBandwidth: 20 * GB,
  gpu: null,
};

/** A 16 GB Apple M2: Metal reports ~2/3 of RAM as its working set, all of it unified. */
const mac16: MachineSpec = {
  ramTotalBytes: 16 * GiB,
  ramFreeBytes: 9 * GiB,
  cpuBandwidth: 60 * GB,
  gpu: {
    backend: 'metal',
    name: 'Apple M2',
    vramTotalBytes: 10.7 * GiB,
    vramFreeBytes: 10.7 * GiB,
    unifiedMemoryBytes: 10.7 * GiB,
    bandwidth: gpuSpecBandwidth('Apple M2'),
    software: false,
  },
};

/** A workstation with a 24 GB RTX 4090 and 32 GB of DDR5. */
const rtx24: MachineSpec = {
  ramTotalBytes: 32 * GiB,
  ramFreeBytes: 24 * GiB,
  cpuBandwidth: 70 * GB,
  gpu: {
    backend: 'cuda',
    name: 'NVIDIA GeForce RTX 4090',
    vramTotalBytes: 24 * GiB,
    vramFreeBytes: 23 * GiB,
    unifiedMemoryBytes: 0,
    bandwidth: gpuSpecBandwidth('NVIDIA GeForce RTX 4090'),
    software: false,
  },
};

const q4 = (params: number) => (params * 4.89) / 8;
const model = (params: number, fileSizeBytes = q4(params), activeParameters?: number) =>
  estimateNeeds({ fileSizeBytes, parameters: params, activeParameters, contextSize: 4096 });

describe('tiers', () => {
  it('puts a 4 GB laptop in consumer edge, reaching reading speed only with a sub-1B model', () => {
    const tier = classifyTier(laptop4);
    expect(tier.id).toBe('consumer-edge');
    expect(tier.bandwidthSource).toBe('measured-cpu');
    // 0.45 × 20 GB/s = 9 GB/s read: 0.6B Q8_0 (0.64 GB) ≈ 14 tok/s; 1.7B Q4_K_M (1.04 GB) ≈ 8.7, too slow.
    expect(tier.largestAtReadingSpeed?.label).toBe('0.6B Q8_0');
    expect(tier.largestAtReadingSpeed?.expectedTokensPerSecond).toBeGreaterThanOrEqual(10);
    expect(tier.explanation).toContain('20 GB/s');
  });

  it('judges a 16 GB M2 on its unified-memory spec bandwidth (100 GB/s: still consumer edge, 8B at reading speed)', () => {
    const tier = classifyTier(mac16);
    expect(tier.id).toBe('consumer-edge');
    expect(tier.bandwidthSource).toBe('gpu-spec');
    // 0.6 × 100 GB/s ÷ 4.9 GB ≈ 12 tok/s for 8B Q4_K_M.
    expect(tier.largestAtReadingSpeed?.label).toBe('8B Q4_K_M');
    expect(tier.explanation).toMatch(/unified memory/);
  });

  it('puts an RTX 4090 in the workstation tier, its 24 GB capping the largest model', () => {
    const tier = classifyTier(rtx24);
    expect(tier.id).toBe('workstation');
    // 32B Q4_K_M is 19.6 GB: fits the 22.4 GB usable and runs ~31 tok/s; 70B does not fit.
    expect(tier.largestAtReadingSpeed?.label).toBe('32B Q4_K_M');
  });

  it('names premium edge for a ≥300 GB/s unified-memory machine', () => {
    const m4max: MachineSpec = {
      ...mac16,
      ramTotalBytes: 128 * GiB,
      gpu: {
        ...mac16.gpu!,
        name: 'Apple M4 Max',
        bandwidth: gpuSpecBandwidth('Apple M4 Max'),
        vramTotalBytes: 96 * GiB,
      },
    };
    expect(classifyTier(m4max).id).toBe('premium-edge');
  });

  it('treats lavapipe as the CPU and says when bandwidth is unknown', () => {
    expect(isSoftwareDevice('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    const unmeasured = classifyTier({ ...laptop4, cpuBandwidth: null });
    expect(unmeasured.bandwidthSource).toBe('none');
    expect(unmeasured.largestAtReadingSpeed).toBeNull();
    expect(largestAtReadingSpeed({ ...laptop4, cpuBandwidth: 1 * GB })).toBeNull();
  });

  it('offers the backends node-llama-cpp knows for each platform', () => {
    expect(offeredBackends('darwin', 'arm64')).toEqual(['metal', 'cpu']);
    expect(offeredBackends('linux', 'x64')).toEqual(['cuda', 'vulkan', 'cpu']);
  });
});

describe('fit verdicts', () => {
  it('4 GB laptop: an 8B Q4_K_M will not fit, a 1.7B runs on the CPU', () => {
    const big = judgeFit(model(8e9), laptop4);
    expect(big.verdict).toBe('no');
    expect(big.explanation).toMatch(/Won't fit/);
    const small = judgeFit(model(1.7e9), laptop4);
    expect(small.verdict).toBe('cpu');
    expect(small.gpuLayers).toBe(0);
    // 0.45 × 20 GB/s ÷ 1.04 GB ≈ 8.7 tok/s
    expect(small.expectedTokensPerSecond).toBeCloseTo(8.7, 0);
  });

  it('16 GB unified memory: 8B fits on the GPU, 32B does not fit at all', () => {
    const fit8 = judgeFit(model(8e9), mac16);
    expect(fit8.verdict).toBe('gpu');
    expect(fit8.gpuLayers).toBe(fit8.totalLayers);
    expect(fit8.expectedTokensPerSecond).toBeCloseTo((0.6 * 100 * GB) / q4(8e9), 0);
    // Unified: what goes to the GPU comes out of the same 16 GB, so there is no RAM to spill to.
    expect(judgeFit(model(32e9), mac16).verdict).toBe('no');
  });

  it('24 GB GPU: 32B Q4_K_M on the GPU, 32B Q8_0 with partial offload, 70B F16 not at all', () => {
    const fit8 = judgeFit(model(8e9), rtx24);
    expect(fit8.verdict).toBe('gpu');
    expect(fit8.expectedTokensPerSecond).toBeGreaterThan(100);
    expect(judgeFit(model(32e9), rtx24).verdict).toBe('gpu');
    const q8 = (32e9 * 8.5) / 8;
    const fit32 = judgeFit(model(32e9, q8), rtx24);
    expect(fit32.verdict).toBe('partial');
    expect(fit32.gpuLayers).toBeGreaterThan(30);
    expect(fit32.gpuLayers).toBeLessThan(fit32.totalLayers ?? 0);
    expect(fit32.vramBytes).toBeLessThan(24 * GiB);
    // Partly at GPU speed, partly at CPU speed: between the two.
    expect(fit32.explanation).toMatch(/partial offload/);
    expect(fit32.expectedTokensPerSecond).toBeLessThan((0.6 * 1008 * GB) / q8);
    expect(fit32.expectedTokensPerSecond).toBeGreaterThan((0.45 * 70 * GB) / q8);
    expect(judgeFit(model(70e9, 140e9), rtx24).verdict).toBe('no');
  });

  it('reads only the active experts of a mixture-of-experts model per token', () => {
    const dense = judgeFit(model(30e9), rtx24);
    const moe = judgeFit(model(30e9, q4(30e9), 3e9), rtx24);
    expect(moe.verdict).toBe(dense.verdict);
    expect(moe.expectedTokensPerSecond! / dense.expectedTokensPerSecond!).toBeCloseTo(10, 0);
  });
});
