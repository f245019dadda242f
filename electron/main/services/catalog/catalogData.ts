/**
 * The curated catalog: distilled models that run well on laptops, with their Hugging Face GGUF repositories.
 *
 * A versioned data module rather than JSON so each entry can say where its names come from. Sizes are
 * approximate (decimal GB, from the repositories' listings where seen, else from bits per weight); the exact
 * size and sha256 come from the server at download time. Repositories and file names marked "verified" were
 * seen in public references; "pattern" ones follow the naming the same repository uses for its other files.
 * Bump `version` whenever an entry changes.
 */
import type { CatalogDataFile } from './catalog';

const GB = 1e9;

type QuantName = 'Q4_K_M' | 'Q5_K_M' | 'Q6_K' | 'Q8_0';

/** `pattern` contains `{Q}`, replaced by the quantization name, e.g. `Qwen3-8B-{Q}.gguf`. */
function quants(pattern: string, sizesGb: Partial<Record<QuantName, number>>) {
  return Object.entries(sizesGb).map(([quant, gb]) => ({
    quant,
    file: pattern.replace('{Q}', quant),
    approxSizeBytes: Math.round(gb * GB),
  }));
}

const QWEN3 = { thinking: true, tools: true, multilingual: true };

export const CATALOG_DATA: CatalogDataFile = {
  version: '2025.10.1',
  models: [
    // Qwen's own GGUF repositories (verified: Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf is 639,446,688 bytes;
    // Qwen3-8B Q6_K/Q8_0 sizes and Qwen/Qwen3-30B-A3B-GGUF/Qwen3-30B-A3B-Q4_K_M.gguf seen). The 0.6B and 1.7B
    // repositories publish Q8_0 only.
    {
      catalogId: 'qwen3-0.6b',
      family: 'Qwen3',
      name: 'Qwen3 0.6B',
      repo: 'Qwen/Qwen3-0.6B-GGUF',
      parameters: 0.6e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'The smallest Qwen3: thinks or answers directly, for quick tasks on any machine.',
      quants: quants('Qwen3-0.6B-{Q}.gguf', { Q8_0: 0.639 }),
    },
    {
      catalogId: 'qwen3-1.7b',
      family: 'Qwen3',
      name: 'Qwen3 1.7B',
      repo: 'Qwen/Qwen3-1.7B-GGUF',
      parameters: 1.7e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'A capable small reasoner with tool calling, fast on a CPU.',
      quants: quants('Qwen3-1.7B-{Q}.gguf', { Q8_0: 1.83 }),
    },
    {
      catalogId: 'qwen3-4b',
      family: 'Qwen3',
      name: 'Qwen3 4B',
      repo: 'Qwen/Qwen3-4B-GGUF',
      parameters: 4.0e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'The sweet spot for laptops: strong reasoning and tools in about 2.5 GB.',
      quants: quants('Qwen3-4B-{Q}.gguf', { Q4_K_M: 2.5, Q5_K_M: 2.89, Q6_K: 3.31, Q8_0: 4.28 }),
    },
    {
      catalogId: 'qwen3-8b',
      family: 'Qwen3',
      name: 'Qwen3 8B',
      repo: 'Qwen/Qwen3-8B-GGUF',
      parameters: 8.2e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'A general assistant that rivals much larger models; wants 8 GB of memory or more.',
      quants: quants('Qwen3-8B-{Q}.gguf', { Q4_K_M: 5.03, Q5_K_M: 5.85, Q6_K: 6.73, Q8_0: 8.71 }),
    },
    {
      catalogId: 'qwen3-14b',
      family: 'Qwen3',
      name: 'Qwen3 14B',
      repo: 'Qwen/Qwen3-14B-GGUF',
      parameters: 14.8e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'The largest dense Qwen3 that fits a 16 GB machine at 4 bits.',
      quants: quants('Qwen3-14B-{Q}.gguf', { Q4_K_M: 9.0, Q5_K_M: 10.5, Q6_K: 12.1, Q8_0: 15.7 }),
    },
    {
      catalogId: 'qwen3-30b-a3b',
      family: 'Qwen3',
      name: 'Qwen3 30B-A3B (MoE)',
      repo: 'Qwen/Qwen3-30B-A3B-GGUF',
      parameters: 30.5e9,
      activeParameters: 3.3e9,
      license: 'apache-2.0',
      contextLength: 32_768,
      capabilities: QWEN3,
      description: 'Mixture of experts: 30B quality at roughly 3B speed, if the memory is there.',
      quants: quants('Qwen3-30B-A3B-{Q}.gguf', { Q4_K_M: 18.6, Q5_K_M: 21.7, Q6_K: 25.1, Q8_0: 32.5 }),
    },
    // Unsloth's repositories (verified repository names; file names follow unsloth's `<Model>-<QUANT>.gguf`).
    {
      catalogId: 'phi-4-mini-instruct',
      family: 'Phi-4-mini',
      name: 'Phi-4-mini Instruct',
      repo: 'unsloth/Phi-4-mini-instruct-GGUF',
      parameters: 3.8e9,
      license: 'mit',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: "Microsoft's compact instruction model with a long context and function calling.",
      quants: quants('Phi-4-mini-instruct-{Q}.gguf', { Q4_K_M: 2.49, Q5_K_M: 2.85, Q6_K: 3.16, Q8_0: 4.08 }),
    },
    {
      catalogId: 'phi-4-mini-reasoning',
      family: 'Phi-4-mini',
      name: 'Phi-4-mini Reasoning',
      repo: 'unsloth/Phi-4-mini-reasoning-GGUF',
      parameters: 3.8e9,
      license: 'mit',
      contextLength: 131_072,
      capabilities: { thinking: true, tools: false, multilingual: false },
      description: 'Phi-4-mini distilled for step-by-step maths and logic.',
      quants: quants('Phi-4-mini-reasoning-{Q}.gguf', { Q4_K_M: 2.49, Q5_K_M: 2.85, Q6_K: 3.16, Q8_0: 4.08 }),
    },
    // ggml-org (llama.cpp's maintainers) publish Q4_K_M and Q8_0 of Gemma 3 (verified for 4B).
    {
      catalogId: 'gemma-3-1b-it',
      family: 'Gemma 3',
      name: 'Gemma 3 1B',
      repo: 'ggml-org/gemma-3-1b-it-GGUF',
      parameters: 1.0e9,
      license: 'gemma',
      contextLength: 32_768,
      capabilities: { thinking: false, tools: false, multilingual: false },
      description: "Google's smallest Gemma 3: quick English chat and summaries.",
      quants: quants('gemma-3-1b-it-{Q}.gguf', { Q4_K_M: 0.806, Q8_0: 1.07 }),
    },
    {
      catalogId: 'gemma-3-4b-it',
      family: 'Gemma 3',
      name: 'Gemma 3 4B',
      repo: 'ggml-org/gemma-3-4b-it-GGUF',
      parameters: 3.9e9,
      license: 'gemma',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: 'Fluent in over 140 languages with a 128K context, in about 2.5 GB.',
      quants: quants('gemma-3-4b-it-{Q}.gguf', { Q4_K_M: 2.49, Q8_0: 4.13 }),
    },
    {
      catalogId: 'gemma-3-12b-it',
      family: 'Gemma 3',
      name: 'Gemma 3 12B',
      repo: 'ggml-org/gemma-3-12b-it-GGUF',
      parameters: 11.8e9,
      license: 'gemma',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: 'The strongest Gemma 3 for a 16 GB laptop: writing, translation, long documents.',
      quants: quants('gemma-3-12b-it-{Q}.gguf', { Q4_K_M: 7.3, Q8_0: 12.5 }),
    },
    // bartowski's repositories (verified names; `<Model>-<QUANT>.gguf`).
    {
      catalogId: 'llama-3.2-1b-instruct',
      family: 'Llama 3.2',
      name: 'Llama 3.2 1B Instruct',
      repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
      parameters: 1.24e9,
      license: 'llama3.2',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: "Meta's small instruction model for on-device assistants and rewriting.",
      quants: quants('Llama-3.2-1B-Instruct-{Q}.gguf', {
        Q4_K_M: 0.808,
        Q5_K_M: 0.912,
        Q6_K: 1.02,
        Q8_0: 1.32,
      }),
    },
    {
      catalogId: 'llama-3.2-3b-instruct',
      family: 'Llama 3.2',
      name: 'Llama 3.2 3B Instruct',
      repo: 'bartowski/Llama-3.2-3B-Instruct-GGUF',
      parameters: 3.2e9,
      license: 'llama3.2',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: 'A dependable everyday assistant with tool calling and a 128K context.',
      quants: quants('Llama-3.2-3B-Instruct-{Q}.gguf', {
        Q4_K_M: 2.02,
        Q5_K_M: 2.32,
        Q6_K: 2.64,
        Q8_0: 3.42,
      }),
    },
    {
      catalogId: 'deepseek-r1-distill-qwen-1.5b',
      family: 'DeepSeek-R1-Distill-Qwen',
      name: 'DeepSeek-R1-Distill-Qwen 1.5B',
      repo: 'bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF',
      parameters: 1.78e9,
      license: 'mit',
      contextLength: 131_072,
      capabilities: { thinking: true, tools: false, multilingual: false },
      description: "DeepSeek-R1's reasoning distilled into a tiny Qwen: shows its chain of thought.",
      quants: quants('DeepSeek-R1-Distill-Qwen-1.5B-{Q}.gguf', {
        Q4_K_M: 1.12,
        Q5_K_M: 1.29,
        Q6_K: 1.46,
        Q8_0: 1.89,
      }),
    },
    {
      catalogId: 'deepseek-r1-distill-qwen-7b',
      family: 'DeepSeek-R1-Distill-Qwen',
      name: 'DeepSeek-R1-Distill-Qwen 7B',
      repo: 'bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF',
      parameters: 7.6e9,
      license: 'mit',
      contextLength: 131_072,
      capabilities: { thinking: true, tools: false, multilingual: false },
      description: 'Step-by-step maths and code reasoning distilled from DeepSeek-R1.',
      quants: quants('DeepSeek-R1-Distill-Qwen-7B-{Q}.gguf', {
        Q4_K_M: 4.68,
        Q5_K_M: 5.44,
        Q6_K: 6.25,
        Q8_0: 8.1,
      }),
    },
    // unsloth/SmolLM3-3B-GGUF/SmolLM3-3B-Q4_K_M.gguf verified; the other quants follow its pattern.
    {
      catalogId: 'smollm3-3b',
      family: 'SmolLM3',
      name: 'SmolLM3 3B',
      repo: 'unsloth/SmolLM3-3B-GGUF',
      parameters: 3.08e9,
      license: 'apache-2.0',
      contextLength: 65_536,
      capabilities: { thinking: true, tools: true, multilingual: true },
      description: "Hugging Face's fully open 3B: dual-mode reasoning in six European languages.",
      quants: quants('SmolLM3-3B-{Q}.gguf', { Q4_K_M: 1.92, Q5_K_M: 2.2, Q6_K: 2.53, Q8_0: 3.28 }),
    },
    // IBM's own repositories (verified: granite-4.0-h-tiny-Q4_K_M.gguf, granite-4.0-h-micro-Q4_K_M.gguf).
    {
      catalogId: 'granite-4.0-h-micro',
      family: 'Granite 4.0',
      name: 'Granite 4.0 H-Micro',
      repo: 'ibm-granite/granite-4.0-h-micro-GGUF',
      parameters: 3.2e9,
      license: 'apache-2.0',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: 'Hybrid Mamba-2/transformer: long contexts with little memory for the cache.',
      quants: quants('granite-4.0-h-micro-{Q}.gguf', { Q4_K_M: 1.94, Q5_K_M: 2.26, Q6_K: 2.6, Q8_0: 3.37 }),
    },
    {
      catalogId: 'granite-4.0-h-tiny',
      family: 'Granite 4.0',
      name: 'Granite 4.0 H-Tiny (MoE)',
      repo: 'ibm-granite/granite-4.0-h-tiny-GGUF',
      parameters: 6.9e9,
      activeParameters: 1.0e9,
      license: 'apache-2.0',
      contextLength: 131_072,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: 'Hybrid mixture of experts: 7B of knowledge, about 1B active per token.',
      quants: quants('granite-4.0-h-tiny-{Q}.gguf', { Q4_K_M: 4.23, Q5_K_M: 4.97, Q6_K: 5.75, Q8_0: 7.45 }),
    },
    // Liquid AI's own repository (verified: LFM2-1.2B-Q4_K_M.gguf is 730,893,248 bytes).
    {
      catalogId: 'lfm2-1.2b',
      family: 'LFM2',
      name: 'LFM2 1.2B',
      repo: 'LiquidAI/LFM2-1.2B-GGUF',
      parameters: 1.17e9,
      license: 'lfm1.0',
      contextLength: 32_768,
      capabilities: { thinking: false, tools: true, multilingual: true },
      description: "Liquid AI's hybrid edge model, built for fast prefill on CPUs.",
      quants: quants('LFM2-1.2B-{Q}.gguf', { Q4_K_M: 0.731, Q5_K_M: 0.843, Q6_K: 0.963, Q8_0: 1.25 }),
    },
  ],
};
