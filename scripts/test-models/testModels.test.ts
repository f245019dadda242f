import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LlamaChatSession, LlamaLogLevel, getLlama, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { f16ToF32, f32ToF16, quantizeQ4_0, quantizeQ8_0, writeGguf } from './ggufWriter.ts';
import {
  MANIFEST_FILE_NAME,
  TEST_MODEL_QUANTS,
  TEST_MODEL_SPECS,
  countParameters,
  ensureTestModels,
  testModelPath,
} from './index.ts';
import type { TestModelFile } from './index.ts';
import { BYTE_TOKEN_BASE, TOKEN_SPACE, VOCAB_SIZE, buildTestModel, isGeneratableToken } from './spec.ts';

async function sha256Of(filePath: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(filePath))
    .digest('hex');
}

// --- reference dequantizers (independent of the writer) ---------------------------------------

function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const out = new Float32Array((bytes.length / 34) * 32);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < bytes.length / 34; b++) {
    const d = f16ToF32(view.getUint16(b * 34, true));
    for (let j = 0; j < 32; j++) out[b * 32 + j] = view.getInt8(b * 34 + 2 + j) * d;
  }
  return out;
}

function dequantizeQ4_0(bytes: Uint8Array): Float32Array {
  const out = new Float32Array((bytes.length / 18) * 32);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < bytes.length / 18; b++) {
    const d = f16ToF32(view.getUint16(b * 18, true));
    for (let j = 0; j < 16; j++) {
      const byte = view.getUint8(b * 18 + 2 + j);
      out[b * 32 + j] = ((byte & 0x0f) - 8) * d;
      out[b * 32 + j + 16] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}

describe('ggufWriter encoding', () => {
  test('float32 -> float16 matches IEEE round-to-nearest-even', () => {
    const special: Array<[number, number]> = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519.99, 0x7bff],
      [65520, 0x7c00], // rounds to infinity
      [1e9, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // tie -> even (zero)
      [2 ** -25 * 1.0001, 0x0001],
      [3 * 2 ** -25, 0x0002], // tie between 1 and 2 -> even
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -14 - 2 ** -25, 0x0400], // subnormal rounding carries into the exponent
      [1 + 2 ** -11, 0x3c00], // tie -> even
      [1 + 3 * 2 ** -11, 0x3c02],
    ];
    for (const [value, bits] of special) expect(f32ToF16(value), String(value)).toBe(bits);
    expect(Number.isNaN(f16ToF32(f32ToF16(NaN)))).toBe(true);

    // Cross-check against the platform's own conversion where available (Node >= 24).
    const setFloat16 = (DataView.prototype as { setFloat16?: (o: number, v: number, le?: boolean) => void })
      .setFloat16;
    if (setFloat16 !== undefined) {
      const view = new DataView(new ArrayBuffer(2));
      let seed = 12345;
      for (let i = 0; i < 20000; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const value = Math.fround((seed / 2 ** 32 - 0.5) * 2 ** ((i % 40) - 26));
        setFloat16.call(view, 0, value, true);
        expect(f32ToF16(value)).toBe(view.getUint16(0, true));
      }
    }
    for (let h = 0; h < 0x7c00; h += 7) expect(f32ToF16(f16ToF32(h))).toBe(h);
  });

  test('Q8_0 matches ggml reference on a known block and round-trips', () => {
    const block = Float32Array.from({ length: 32 }, (_, j) => j - 16);
    const q = quantizeQ8_0(block);
    expect(q.length).toBe(34);
    const d = Math.fround(16 / 127);
    expect(q[0]! | (q[1]! << 8)).toBe(f32ToF16(d));
    expect(q[2]).toBe(0x81); // round(-16 / d) = -127
    expect(q[2 + 16]).toBe(0); // 0
    expect(q[2 + 31]).toBe(119); // round(15 / d) = round(119.06)
    const back = dequantizeQ8_0(q);
    for (let j = 0; j < 32; j++) expect(Math.abs(back[j]! - block[j]!)).toBeLessThanOrEqual(d / 2 + 0.02);

    // All zeros: scale 0, all q 0.
    expect(Array.from(quantizeQ8_0(new Float32Array(32)))).toEqual(new Array(34).fill(0));
  });

  test('Q4_0 matches ggml reference on a known block and round-trips', () => {
    const block = Float32Array.from({ length: 32 }, (_, j) => j - 16);
    const q = quantizeQ4_0(block);
    expect(q.length).toBe(18);
    // max (largest magnitude, signed) = -16 -> d = 2, q = min(15, trunc(x/2 + 8.5))
    expect(q[0]! | (q[1]! << 8)).toBe(f32ToF16(2));
    expect(q[2]).toBe(0x80); // value 0 -> 0 (low nibble), value 16 -> 8 (high nibble)
    expect(q[2 + 1]).toBe(0x91); // value 1 -> trunc(1.0)=1, value 17 -> trunc(9.0)=9
    expect(q[2 + 15]).toBe(0xf8); // value 15 -> 8, value 31 -> min(15, 16)
    const back = dequantizeQ4_0(q);
    for (let j = 0; j < 32; j++) {
      // Everything is within d/2, except the clamped extreme on the far side (within d).
      expect(Math.abs(back[j]! - block[j]!)).toBeLessThanOrEqual(j === 31 ? 2 : 1);
    }

    // Random data: error bounded by |d| per block.
    let seed = 7;
    const random = Float32Array.from({ length: 32 * 64 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.fround((seed / 2 ** 32 - 0.5) * 0.2);
    });
    const q4 = dequantizeQ4_0(quantizeQ4_0(random));
    const q8 = dequantizeQ8_0(quantizeQ8_0(random));
    for (let i = 0; i < random.length; i++) {
      expect(Math.abs(q4[i]! - random[i]!)).toBeLessThanOrEqual(0.1 / 8 + 1e-4);
      expect(Math.abs(q8[i]! - random[i]!)).toBeLessThanOrEqual(0.1 / 127 / 2 + 1e-4);
    }
  });
});

describe('generated test models', () => {
  let dirA = '';
  let dirB = '';
  let files: TestModelFile[] = [];

  beforeAll(async () => {
    dirA = await mkdtemp(path.join(tmpdir(), 'edgewise-test-models-a-'));
    dirB = await mkdtemp(path.join(tmpdir(), 'edgewise-test-models-b-'));
    files = await ensureTestModels({ dir: dirA });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([dirA, dirB].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test('generates all six files and records them in the manifest', async () => {
    expect(files.map((f) => f.fileName).sort()).toEqual(
      [
        'bench60m.F16.gguf',
        'bench60m.Q4_0.gguf',
        'bench60m.Q8_0.gguf',
        'tiny.F16.gguf',
        'tiny.Q4_0.gguf',
        'tiny.Q8_0.gguf',
      ].sort(),
    );
    const manifest = JSON.parse(await readFile(path.join(dirA, MANIFEST_FILE_NAME), 'utf8')) as {
      files: Record<string, { size: number; sha256: string }>;
    };
    for (const f of files) {
      expect(f.generated).toBe(true);
      expect(f.path).toBe(testModelPath(f.name, f.quant, dirA));
      expect((await stat(f.path)).size).toBe(f.size);
      expect(manifest.files[f.fileName]).toMatchObject({ size: f.size, sha256: f.sha256 });
    }
    expect(await sha256Of(testModelPath('tiny', 'Q8_0', dirA))).toBe(
      files.find((f) => f.fileName === 'tiny.Q8_0.gguf')?.sha256,
    );
  });

  test('a rerun is a fast no-op', async () => {
    const started = performance.now();
    const again = await ensureTestModels({ dir: dirA });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(again.every((f) => !f.generated)).toBe(true);
    expect(again.map((f) => f.sha256)).toEqual(files.map((f) => f.sha256));
  });

  test('output is byte-for-byte deterministic', { timeout: 30_000 }, async () => {
    const tiny = await ensureTestModels({ dir: dirB, models: ['tiny'] });
    for (const f of tiny) {
      expect(await sha256Of(f.path)).toBe(files.find((g) => g.fileName === f.fileName)?.sha256);
    }
    // bench60m: regenerate one variant directly rather than all three.
    const again = await writeGguf(path.join(dirB, 'bench60m.Q4_0.gguf'), buildTestModel('bench60m', 'Q4_0'));
    expect(again.sha256).toBe(files.find((g) => g.fileName === 'bench60m.Q4_0.gguf')?.sha256);
    await rm(path.join(dirB, 'bench60m.Q4_0.gguf'));
  });

  test('regenerates only missing or stale files', async () => {
    await rm(testModelPath('tiny', 'Q4_0', dirB));
    let result = await ensureTestModels({ dir: dirB, models: ['tiny'] });
    expect(result.filter((f) => f.generated).map((f) => f.fileName)).toEqual(['tiny.Q4_0.gguf']);

    const manifestPath = path.join(dirB, MANIFEST_FILE_NAME);
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { generator: string };
    await writeFile(manifestPath, JSON.stringify({ ...manifest, generator: 'some-older-generator' }));
    result = await ensureTestModels({ dir: dirB, models: ['tiny'] });
    expect(result.every((f) => f.generated)).toBe(true);
  });

  test('tiny files are under 1 MB; bench60m has 50M-70M parameters', () => {
    for (const f of files.filter((g) => g.name === 'tiny')) expect(f.size).toBeLessThan(1_000_000);
    const params = countParameters(TEST_MODEL_SPECS.bench60m);
    expect(params).toBeGreaterThan(50_000_000);
    expect(params).toBeLessThan(70_000_000);
  });

  test('node-llama-cpp parses every file as a llama model', async () => {
    for (const f of files) {
      const info = await readGgufFileInfo(f.path);
      const spec = TEST_MODEL_SPECS[f.name];
      expect(info.version).toBe(3);
      expect(info.metadata.general.architecture).toBe('llama');
      expect(info.metadata.general.file_type).toBe({ F16: 1, Q8_0: 7, Q4_0: 2 }[f.quant]);
      expect(info.metadata.tokenizer.ggml.tokens).toHaveLength(VOCAB_SIZE);
      expect(info.tensorInfo).toHaveLength(3 + 9 * spec.blockCount);
      const elements = (info.tensorInfo ?? []).reduce(
        (sum, t) => sum + t.dimensions.reduce<number>((a, b) => a * Number(b), 1),
        0,
      );
      expect(elements).toBe(countParameters(spec));
    }
    expect(TEST_MODEL_QUANTS).toHaveLength(3);
  });

  test('llama.cpp loads and runs tiny.Q8_0', { timeout: 60_000 }, async () => {
    const llama = await getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.error });
    try {
      const model = await llama.loadModel({ modelPath: testModelPath('tiny', 'Q8_0', dirA) });
      expect(model.trainContextSize).toBe(2048);
      const context = await model.createContext({ contextSize: 512, threads: 1 });

      // Byte-fallback tokenization: every byte is its own token, spaces are "▁".
      const text = 'Hello, world';
      const tokens = model.tokenize(text);
      expect(Array.from(tokens)).toEqual(
        Array.from(Buffer.from(text)).map((b) => (b === 0x20 ? TOKEN_SPACE : BYTE_TOKEN_BASE + b)),
      );
      expect(model.detokenize(tokens)).toBe(text);

      const session = new LlamaChatSession({ contextSequence: context.getSequence() });
      let generated = 0;
      const result = await session.promptWithMeta('Say something.', {
        maxTokens: 20,
        onToken: (chunk) => {
          for (const token of chunk) expect(isGeneratableToken(token)).toBe(true);
          generated += chunk.length;
        },
      });
      expect(generated).toBe(20);
      expect(result.stopReason).toBe('maxTokens');
      expect(result.responseText.length).toBeGreaterThan(0);
      await context.dispose();
      await model.dispose();
    } finally {
      await llama.dispose();
    }
  });
});
