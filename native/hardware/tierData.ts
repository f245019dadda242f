/**
 * Every number the hardware tiers, the fit verdicts and the speed estimates rest on, with where it comes from.
 * Change a threshold here, nowhere else. Bandwidths are in bytes per second (1 GB/s = 1e9 B/s).
 */
import type { HardwareTierId } from '../../electron/shared/contract';

const GB = 1e9;

/**
 * A person reads about 4–5 words a second (Brysbaert 2019, "How many words do we read per minute?", J. Memory
 * and Language 109: 238 wpm silent reading of English non-fiction) and English text averages ~1.3 tokens per
 * word with Llama/Qwen tokenizers, so ~6 tokens/s keeps up with reading; 10 tokens/s is the common "feels
 * instant" bar with headroom for longer tokens in code and other languages.
 */
export const READING_SPEED_TOKENS_PER_SECOND = 10;

/**
 * Fraction of the memory bandwidth llama.cpp turns into generation (decode is memory-bound: every generated
 * token reads every active weight once).
 * - `gpuSpec`: against the vendor's spec bandwidth. llama.cpp's Apple-silicon table (ggml-org/llama.cpp
 *   discussion #4167, LLaMA 7B Q4_0 = 3.56 GiB, text generation tg128): M1 68 GB/s → 14.2 t/s (0.80),
 *   M1 Pro 200 GB/s → 36.4 t/s (0.70), M2 Max 400 GB/s → 60.9 t/s (0.58), M2 Ultra 800 GB/s → 94.3 t/s (0.45).
 *   0.6 is the middle of that range; discrete GPUs land in the same band.
 * - `measuredCpu`: against the read bandwidth Edgewise measures itself (already an achieved number, not a spec).
 *   Measured on the 2-core CI VM: bench60m Q8_0 (61.6 MB) at 239 tok/s = 14.7 GB/s of 33 GB/s measured → 0.45.
 */
export const EFFICIENCY = { gpuSpec: 0.6, measuredCpu: 0.45 } as const;

export interface TierDefinition {
  id: HardwareTierId;
  name: string;
  /** Lowest bandwidth that qualifies (inclusive). */
  minBandwidth: number;
  typicalModels: string;
  /** Where the threshold comes from. */
  source: string;
}

/**
 * The edge-deployment tiers people plan for, lowest first. A machine's tier is the highest whose bandwidth it
 * reaches (see tiers.ts for which bandwidth counts).
 */
export const TIERS: readonly TierDefinition[] = [
  {
    id: 'consumer-edge',
    name: 'Consumer edge',
    minBandwidth: 0,
    typicalModels: '1–8B',
    // Dual-channel DDR5-5600 (2 × 64 bit × 5600 MT/s) = 89.6 GB/s; LPDDR5X-7500 128-bit = 120 GB/s on the
    // best thin laptops; Apple M1/M2/M3 base 68/100/100 GB/s (apple.com/macbook-air/specs). At 0.6 × 90 GB/s,
    // an 8B Q4_K_M (4.9 GB) runs ~11 tok/s: the top of this tier.
    source: 'laptop DDR5 dual channel (89.6 GB/s), Apple M1–M3 base (68–100 GB/s)',
  },
  {
    id: 'mainstream-edge',
    name: 'Mainstream edge',
    // Consumer edge is "≤ 100 GB/s", so an Apple M2/M3 at exactly 100 stays there.
    minBandwidth: 101 * GB,
    typicalModels: '8–32B',
    // Apple M3 Pro 150 GB/s, M4 Pro 273 GB/s (apple.com specs); RTX 4060 272 GB/s, RTX 3060 12 GB 360 GB/s
    // (nvidia.com spec sheets) sit at the boundary. 14B Q4_K_M (9 GB) at 0.6 × 200 GB/s ≈ 13 tok/s.
    source: '>100 GB/s: Apple M3 Pro (150), M4 Pro (273), RTX 4060 (272)',
  },
  {
    id: 'premium-edge',
    name: 'Premium edge',
    minBandwidth: 300 * GB,
    typicalModels: 'up to 70B',
    // Apple M3 Max 300/400 GB/s, M4 Max 410/546 GB/s, M2 Ultra 800 GB/s with 64–192 GB unified memory: a 70B
    // Q4_K_M (42 GB) fits and runs ≈ 0.6 × 546 / 42 ≈ 8 tok/s on an M4 Max.
    source: '≥300 GB/s unified memory: Apple M3/M4 Max (300–546), M2 Ultra (800)',
  },
  {
    id: 'workstation',
    name: 'Workstation / datacenter GPU',
    minBandwidth: 1000 * GB,
    typicalModels: '70B and larger (as VRAM allows)',
    // RTX 4090 1008 GB/s, RTX 5090 1792 GB/s, H100 SXM 3.35 TB/s (nvidia.com spec sheets).
    source: '≥1 TB/s: RTX 4090 (1008), RTX 5090 (1792), H100 (3350)',
  },
];

/**
 * Spec memory bandwidth of GPUs by device name (what llama.cpp's `getGpuDeviceNames()` reports), first match
 * wins. Sources: nvidia.com product spec sheets, apple.com tech specs, amd.com product pages.
 */
export const GPU_BANDWIDTH: ReadonlyArray<{ pattern: RegExp; bytesPerSecond: number }> = [
  { pattern: /H200/i, bytesPerSecond: 4800 * GB },
  { pattern: /H100.*PCIe/i, bytesPerSecond: 2000 * GB },
  { pattern: /H100/i, bytesPerSecond: 3350 * GB },
  { pattern: /A100.*80/i, bytesPerSecond: 2039 * GB },
  { pattern: /A100/i, bytesPerSecond: 1555 * GB },
  { pattern: /RTX 5090/i, bytesPerSecond: 1792 * GB },
  { pattern: /RTX 5080/i, bytesPerSecond: 960 * GB },
  { pattern: /RTX 4090/i, bytesPerSecond: 1008 * GB },
  { pattern: /RTX 4080/i, bytesPerSecond: 717 * GB },
  { pattern: /RTX 4070 Ti/i, bytesPerSecond: 504 * GB },
  { pattern: /RTX 4070/i, bytesPerSecond: 504 * GB },
  { pattern: /RTX 4060 Ti/i, bytesPerSecond: 288 * GB },
  { pattern: /RTX 4060/i, bytesPerSecond: 272 * GB },
  { pattern: /RTX 3090/i, bytesPerSecond: 936 * GB },
  { pattern: /RTX 3080/i, bytesPerSecond: 760 * GB },
  { pattern: /RTX 3070/i, bytesPerSecond: 448 * GB },
  { pattern: /RTX 3060/i, bytesPerSecond: 360 * GB },
  { pattern: /RX 7900 XTX/i, bytesPerSecond: 960 * GB },
  { pattern: /M[1-4] Ultra/i, bytesPerSecond: 800 * GB },
  { pattern: /M4 Max/i, bytesPerSecond: 546 * GB },
  { pattern: /M[1-3] Max/i, bytesPerSecond: 400 * GB },
  { pattern: /M4 Pro/i, bytesPerSecond: 273 * GB },
  { pattern: /M3 Pro/i, bytesPerSecond: 150 * GB },
  { pattern: /M[12] Pro/i, bytesPerSecond: 200 * GB },
  { pattern: /M4\b/i, bytesPerSecond: 120 * GB },
  { pattern: /M[23]\b/i, bytesPerSecond: 100 * GB },
  { pattern: /M1\b/i, bytesPerSecond: 68 * GB },
];

/** Software "GPUs": the CPU behind a GPU API, as fast as the CPU backend at best. */
export const SOFTWARE_DEVICE = /llvmpipe|lavapipe|swiftshader|software rasterizer|microsoft basic render/i;

/**
 * Bits per weight of common GGUF quantizations, whole-file averages for Llama-class models as llama.cpp's
 * `quantize` reports them (ggml-org/llama.cpp tools/quantize/README.md table, Llama 3.1 8B).
 */
export const QUANT_BITS_PER_WEIGHT: Readonly<Record<string, number>> = {
  Q4_0: 4.5,
  Q4_K_M: 4.89,
  Q5_K_M: 5.7,
  Q6_K: 6.56,
  Q8_0: 8.5,
  F16: 16,
};

/**
 * Reference sizes for "the largest model that reaches reading speed": the sizes distilled open models ship in
 * (Qwen3 0.6/1.7/4/8/14/32B, Llama 3.x 1/3/8/70B), each with the quantizations people actually download.
 */
export const REFERENCE_PARAMETERS = [0.6e9, 1.7e9, 4e9, 8e9, 14e9, 32e9, 70e9] as const;
export const REFERENCE_QUANTS = ['Q4_K_M', 'Q8_0', 'F16'] as const;

/**
 * Layer count by model size, for judging partial offload of a catalog entry without its header (model
 * configs on the hub: Qwen2.5-1.5B 28, Qwen3-4B 36, Qwen3-8B 36, Llama-3.1-8B 32, Qwen3-14B 40,
 * Qwen3-32B 64, Llama-3.1-70B 80).
 */
export const LAYERS_BY_SIZE: ReadonlyArray<{ maxParameters: number; layers: number }> = [
  { maxParameters: 2e9, layers: 28 },
  { maxParameters: 9e9, layers: 36 },
  { maxParameters: 15e9, layers: 40 },
  { maxParameters: 40e9, layers: 64 },
  { maxParameters: Infinity, layers: 80 },
];

/**
 * KV cache per token of context at F16, per billion parameters, for headerless estimates: Llama 3.1 8B has
 * 32 layers × 8 KV heads × 128 dims × 2 (K and V) × 2 bytes = 128 KiB/token, i.e. 16 KiB per billion.
 */
export const KV_BYTES_PER_TOKEN_PER_BILLION = 16 * 1024;

/**
 * Memory the OS and other apps keep: a model is judged to fit RAM when it needs at most this share of it.
 * VRAM headroom follows node-llama-cpp's default `vramPadding` (8% of VRAM, at most 1.6 GiB).
 */
export const RAM_USABLE_SHARE = 0.8;
export function vramPadding(totalVram: number): number {
  return Math.floor(Math.min(totalVram * 0.08, 1.6 * 1024 ** 3));
}
