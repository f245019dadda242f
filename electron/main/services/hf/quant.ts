// Quantization names as llama.cpp's quantize tool and the big GGUF publishers write them in file names.
const QUANT =
  /(?:^|[-._])((?:UD-)?(?:IQ[1-4]_(?:XXS|XS|S|M|NL)|Q[2-8]_K(?:_(?:XL|S|M|L))?|Q[4-8]_[01]|Q4_0_[48]_[48]|TQ[12]_0|MXFP4(?:_MOE)?|BF16|F16|F32))(?=[-._]|$)/i;

/** `Qwen3-4B-Q4_K_M.gguf` → `Q4_K_M`; null when the name does not say. */
export function quantFromFileName(fileName: string): string | null {
  const base = fileName.replace(/\.gguf$/i, '');
  const match = QUANT.exec(base);
  return match?.[1] ? match[1].toUpperCase() : null;
}
