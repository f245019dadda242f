import { describe, expect, it } from 'vitest';
import { classifyLoadError, EngineError, toHostError } from './errors';

describe('classifyLoadError', () => {
  const file = '/models/qwen3-4b.Q4_K_M.gguf';

  it('finds the architecture in llama.cpp log lines', () => {
    const error = classifyLoadError(new Error('Failed to load model'), file, [
      "llama_model_load: error loading model: error loading model architecture: unknown model architecture: 'qwen9'",
    ]);
    expect(error.code).toBe('UNSUPPORTED_ARCHITECTURE');
    expect(error.message).toContain('qwen9');
    expect(error.message).toContain('qwen3-4b.Q4_K_M.gguf');
  });

  it.each([
    'ggml_backend_cuda_buffer_type_alloc_buffer: allocating 4096.00 MiB on device 0: cudaMalloc failed: out of memory',
    'ggml_vulkan: Device memory allocation of size 123 failed. vk::Device::allocateMemory: ErrorOutOfDeviceMemory',
    'The model is too large for the available VRAM',
  ])('recognises out of memory: %s', (line) => {
    expect(classifyLoadError(new Error('Failed to load model'), file, [line]).code).toBe('OUT_OF_MEMORY');
  });

  it('calls a broken file corrupt', () => {
    const error = classifyLoadError(new Error('Failed to load model'), file, [
      'llama_model_load: error loading model: tensor data is not within the file bounds',
    ]);
    expect(error.code).toBe('MODEL_CORRUPT');
  });

  it('keeps an EngineError as it is and falls back to INTERNAL', () => {
    const original = new EngineError('NOT_GGUF', 'x');
    expect(classifyLoadError(original, file, [])).toBe(original);
    expect(classifyLoadError(new Error('weird'), file, []).code).toBe('INTERNAL');
  });
});

describe('toHostError', () => {
  it('carries codes and messages across the process boundary', () => {
    expect(toHostError(new EngineError('BUSY', 'busy'))).toEqual({ code: 'BUSY', message: 'busy' });
    expect(toHostError(new Error('std::bad_alloc')).code).toBe('OUT_OF_MEMORY');
    expect(toHostError('plain').code).toBe('INTERNAL');
  });
});
