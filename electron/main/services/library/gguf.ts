import { open, stat } from 'node:fs/promises';
import type { AppError, GgufSummary } from '../../../shared/contract';

export interface GgufReadResult {
  gguf: GgufSummary | null;
  ggufError?: AppError;
}

/** Chat-template markers of models that reason before answering or can toggle it. */
const THINKING_MARKERS = ['<think>', 'enable_thinking', 'reasoning_content', '<|thinking|>'];

/** True when the file starts with the GGUF magic; anything else is not a model llama.cpp can load. */
export async function hasGgufMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.toString('latin1') === 'GGUF';
  } finally {
    await handle.close();
  }
}

/** `MOSTLY_Q4_K_M` → `Q4_K_M`, `ALL_F32` → `F32`. */
export function quantizationName(fileTypeName: string | undefined): string | null {
  if (!fileTypeName) return null;
  return fileTypeName.replace(/^(MOSTLY|ALL)_/, '');
}

/**
 * Reads the facts the library shows from a GGUF header: only the header and tensor table are read, never the
 * weights. A file that is not GGUF, or whose header is truncated or corrupt, yields `ggufError`, not a throw.
 */
export async function readGgufSummary(file: string): Promise<GgufReadResult> {
  try {
    if (!(await hasGgufMagic(file))) {
      return { gguf: null, ggufError: { code: 'NOT_GGUF', message: 'This file is not a GGUF model file.' } };
    }
  } catch (error) {
    return {
      gguf: null,
      ggufError: { code: 'MODEL_CORRUPT', message: `Could not read the file: ${message(error)}` },
    };
  }
  try {
    // Loaded on first use: the package is large and only this part of main needs it.
    const { readGgufFileInfo, GgufFileType } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: [
        'tokenizer.ggml.tokens',
        'tokenizer.ggml.scores',
        'tokenizer.ggml.token_type',
        'tokenizer.ggml.merges',
      ],
    });
    // The parser reads past the end of a truncated file without complaint: check the header and the start of
    // every tensor's data lie inside the file.
    const size = (await stat(file)).size;
    const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
    const lastData = tensors.reduce((max, t) => Math.max(max, Number(t.fileOffset)), 0);
    if ((info.infoEndOffset ?? 0) > size || lastData >= size) {
      throw new Error(`the file ends at byte ${size}, before the data its header describes`);
    }
    const general = info.metadata.general;
    const template = info.metadata.tokenizer?.chat_template;
    const chatTemplate = typeof template === 'string' ? template : null;
    const fileType = general.file_type;
    const contextLength = (info.architectureMetadata as { context_length?: number | bigint }).context_length;
    return {
      gguf: {
        name: typeof general.name === 'string' ? general.name : null,
        architecture: typeof general.architecture === 'string' ? general.architecture : null,
        parameters: countParameters(tensors),
        quantization: typeof fileType === 'number' ? quantizationName(GgufFileType[fileType]) : null,
        contextLength: contextLength === undefined ? null : Number(contextLength),
        hasChatTemplate: chatTemplate !== null,
        thinking: chatTemplate !== null && THINKING_MARKERS.some((marker) => chatTemplate.includes(marker)),
      },
    };
  } catch (error) {
    return {
      gguf: null,
      ggufError: {
        code: 'MODEL_CORRUPT',
        message: `The GGUF header is truncated or corrupt: ${message(error)}`,
      },
    };
  }
}

function countParameters(
  tensors: ReadonlyArray<{ dimensions: readonly (number | bigint)[] }> | undefined,
): number | null {
  if (!tensors || tensors.length === 0) return null;
  let total = 0;
  for (const tensor of tensors)
    total += tensor.dimensions.reduce<number>((product, d) => product * Number(d), 1);
  return total;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Header facts cached by path, modification time and size: a rescan after a download or a delete reads only
 * the files that changed.
 */
export class GgufCache {
  readonly #entries = new Map<string, { key: string; result: GgufReadResult }>();
  readonly #read: (file: string) => Promise<GgufReadResult>;

  constructor(read: (file: string) => Promise<GgufReadResult> = readGgufSummary) {
    this.#read = read;
  }

  async get(file: string, info?: { mtimeMs: number; size: number }): Promise<GgufReadResult> {
    const stats = info ?? (await stat(file));
    const key = `${stats.mtimeMs}:${stats.size}`;
    const hit = this.#entries.get(file);
    if (hit?.key === key) return hit.result;
    const result = await this.#read(file);
    this.#entries.set(file, { key, result });
    return result;
  }

  forget(file: string): void {
    this.#entries.delete(file);
  }
}
