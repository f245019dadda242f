import { GgufFileType, type GgufFileInfo } from 'node-llama-cpp';

/**
 * e.g. `llama 58M MOSTLY_Q8_0`: architecture, parameter count and quantization, which is what generation speed
 * per thread depends on. A thread calibration is remembered by it, so another file of the same shape reuses it.
 */
export function modelShape(info: GgufFileInfo): string {
  const general = info.metadata.general;
  let params = 0;
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    params += tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
  }
  const size = params >= 1e9 ? `${(params / 1e9).toFixed(1)}B` : `${Math.round(params / 1e6)}M`;
  const type = general.file_type;
  const quant = type === undefined ? 'unknown' : (GgufFileType[type] ?? String(type));
  return `${general.architecture} ${size} ${quant}`;
}
