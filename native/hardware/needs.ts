import type { GgufInsights } from 'node-llama-cpp';
import type { FitNeeds } from './fit';

/**
 * A real GGUF file's memory needs, from node-llama-cpp's GgufInsights: it simulates the allocation with
 * llama.cpp itself (no weights loaded) for a local file and falls back to its tensor-size arithmetic for a
 * remote header. Runs in the engine host, which owns llama.cpp.
 */
export async function needsFromInsights(
  insights: GgufInsights,
  options: { contextSize: number; sequences: number },
): Promise<FitNeeds> {
  const total = insights.totalLayers;
  const { contextSize, sequences } = options;
  const [modelCpu, modelGpu, contextCpu, contextGpu] = await Promise.all([
    insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 }),
    insights.estimateModelResourceRequirementsV2({ gpuLayers: total }),
    insights.estimateContextResourceRequirementsV2({ contextSize, sequences, modelGpuLayers: 0 }),
    insights.estimateContextResourceRequirementsV2({ contextSize, sequences, modelGpuLayers: total }),
  ]);
  return {
    source: 'gguf',
    totalLayers: total,
    contextSize,
    bytesPerToken: insights.modelSize * activeShare(insights),
    cpuOnly: { ramBytes: modelCpu.cpuRam + modelCpu.gpuVram + contextCpu.cpuRam + contextCpu.gpuVram },
    fullOffload: {
      ramBytes: modelGpu.cpuRam + contextGpu.cpuRam,
      vramBytes: modelGpu.gpuVram + contextGpu.gpuVram,
    },
  };
}

/**
 * Share of the weights a generated token reads. Mixture-of-experts models keep expert weights in `*_exps`
 * tensors and route each token through `expert_used_count` of `expert_count` experts.
 */
export function activeShare(insights: GgufInsights): number {
  const info = insights.ggufFileInfo;
  const arch = info.architectureMetadata as { expert_count?: number; expert_used_count?: number };
  const count = arch.expert_count ?? 0;
  const used = arch.expert_used_count ?? 0;
  const tensors = info.fullTensorInfo;
  if (count <= 1 || used <= 0 || !tensors) return 1;
  let all = 0;
  let experts = 0;
  for (const tensor of tensors) {
    const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    all += elements;
    if (tensor.name.includes('_exps')) experts += elements;
  }
  if (all === 0) return 1;
  return (all - experts + (experts * used) / count) / all;
}
