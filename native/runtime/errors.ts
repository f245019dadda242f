/** Typed engine failures: every error that leaves the engine host carries one of these codes. */
export type EngineErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'NOT_GGUF'
  | 'UNSUPPORTED_ARCHITECTURE'
  | 'MODEL_CORRUPT'
  | 'OUT_OF_MEMORY'
  | 'BACKEND_UNAVAILABLE'
  | 'NO_MODEL_LOADED'
  | 'BUSY'
  | 'INVALID_ARGUMENT'
  | 'INTERNAL';

export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

const MEMORY_PATTERNS = [
  /out of memory/i,
  /failed to allocate/i,
  /ErrorOutOfDeviceMemory/i,
  /ErrorOutOfHostMemory/i,
  /cudaMalloc failed/i,
  /not enough (v)?ram/i,
  /too large for the available (v)?ram/i,
  /insufficient memory/i,
  /std::bad_alloc/i,
];

/**
 * Turns what llama.cpp and node-llama-cpp throw (and what llama.cpp logged just before) into a typed error.
 * llama.cpp's real reason is often only in its log ("unknown model architecture: 'x'"), while the exception
 * says "Failed to load model", so recent log lines are part of the evidence.
 */
export function classifyLoadError(
  error: unknown,
  modelPath: string,
  recentLogs: readonly string[],
): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const evidence = [message, ...recentLogs].join('\n');
  const name = modelPath.split(/[\\/]/).pop() ?? modelPath;

  const arch = /unknown model architecture: '([^']*)'/i.exec(evidence);
  if (arch) {
    return new EngineError(
      'UNSUPPORTED_ARCHITECTURE',
      `${name} uses the "${arch[1]}" architecture, which this version of llama.cpp cannot run. ` +
        'Update Edgewise or pick another model.',
      { cause: error },
    );
  }
  if (MEMORY_PATTERNS.some((pattern) => pattern.test(evidence))) {
    return new EngineError(
      'OUT_OF_MEMORY',
      `Not enough memory to load ${name}. Close other apps, choose a smaller quantization, or use a smaller context.`,
      { cause: error },
    );
  }
  if (/no (prebuilt )?binar|could not find a suitable|cannot find.*binding|build.*never/i.test(evidence)) {
    return new EngineError(
      'BACKEND_UNAVAILABLE',
      `No usable llama.cpp backend is installed for this machine (${message}).`,
      { cause: error },
    );
  }
  if (
    /gguf|tensor|failed to load model|invalid magic|unexpected end|data is not within the file bounds/i.test(
      evidence,
    )
  ) {
    return new EngineError(
      'MODEL_CORRUPT',
      `${name} could not be loaded: the file looks truncated or corrupt. Download it again.`,
      { cause: error },
    );
  }
  return new EngineError('INTERNAL', `Loading ${name} failed: ${message}`, { cause: error });
}

export function toHostError(error: unknown): { code: EngineErrorCode; message: string } {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (MEMORY_PATTERNS.some((pattern) => pattern.test(message))) {
    return { code: 'OUT_OF_MEMORY', message: `The engine ran out of memory: ${message}` };
  }
  return { code: 'INTERNAL', message };
}
