/**
 * A small, dependency-free GGUF v3 writer.
 *
 * Supports the metadata value types the test models need and the ggml tensor
 * types F32, F16, Q4_0 and Q8_0. Quantization follows ggml's reference
 * implementations (`quantize_row_q4_0_ref`, `quantize_row_q8_0_ref`) using
 * float32 arithmetic, so the output is bit-for-bit what ggml would produce.
 *
 * Files are written one tensor at a time (only one tensor's data is in memory
 * at once) to `<file>.<pid>.tmp` and atomically renamed into place.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

export const GGUF_MAGIC = 'GGUF';
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** ggml tensor type ids (subset). */
export const GGML_TYPE_IDS = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlType = keyof typeof GGML_TYPE_IDS;

/** Values per quantization block, and bytes per block, for each supported type. */
export const GGML_TYPE_LAYOUT: Readonly<Record<GgmlType, { blockSize: number; typeSize: number }>> = {
  F32: { blockSize: 1, typeSize: 4 },
  F16: { blockSize: 1, typeSize: 2 },
  Q4_0: { blockSize: 32, typeSize: 2 + 16 },
  Q8_0: { blockSize: 32, typeSize: 2 + 32 },
};

/** GGUF metadata value type ids. */
export const GGUF_VALUE_TYPE_IDS = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufValue =
  | { type: 'uint32'; value: number }
  | { type: 'int32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'uint64'; value: number | bigint }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'float32[]'; value: ArrayLike<number> }
  | { type: 'int32[]'; value: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] (ne0) is the innermost dimension, i.e. the row length. */
  dims: readonly number[];
  type: GgmlType;
  /** Produces the tensor's values as float32, row-major with ne0 fastest. Called once per write. */
  data: () => Float32Array;
}

export interface GgufModel {
  /** Written in insertion order. `general.alignment` (uint32), if present, sets the alignment. */
  metadata: Readonly<Record<string, GgufValue>>;
  tensors: readonly GgufTensor[];
}

export interface WriteGgufResult {
  size: number;
  sha256: string;
}

// ---------------------------------------------------------------------------
// float16 conversion

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** float32 bit pattern -> IEEE 754 binary16 bit pattern, round to nearest even. */
function f32BitsToF16(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;

  if (exp === 0xff) {
    // Inf stays Inf; NaN stays a (quiet) NaN, keeping the top payload bits.
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }

  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> Inf

  if (e <= 0) {
    // Subnormal half (or zero). Values below half the smallest subnormal round to zero.
    if (e < -10) return sign;
    mant |= 0x800000; // implicit leading 1
    const shift = 14 - e; // 14..24
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) !== 0)) half++; // may carry into the smallest normal: correct
    return sign | half;
  }

  let half = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) !== 0)) half++; // may carry into Inf: correct
  return half;
}

/** Converts a number to the nearest float16 (round to nearest even), returned as its 16-bit pattern. */
export function f32ToF16(value: number): number {
  f32Scratch[0] = value;
  return f32BitsToF16(u32Scratch[0] ?? 0);
}

/** Converts a float16 bit pattern to a number. */
export function f16ToF32(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exp = (half >>> 10) & 0x1f;
  const mant = half & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// ---------------------------------------------------------------------------
// tensor data encoding

function assertBlockMultiple(type: GgmlType, length: number): void {
  const { blockSize } = GGML_TYPE_LAYOUT[type];
  if (length % blockSize !== 0) {
    throw new Error(`${type}: ${length} values is not a multiple of the block size ${blockSize}`);
  }
}

/** ggml's `roundf`: round half away from zero. */
function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** F32 tensor data (little endian). */
export function encodeF32(src: Float32Array): Uint8Array {
  const out = new Uint8Array(src.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < src.length; i++) view.setFloat32(i * 4, src[i] ?? 0, true);
  return out;
}

/** F16 tensor data (little endian). */
export function encodeF16(src: Float32Array): Uint8Array {
  const out = new Uint8Array(src.length * 2);
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) {
    const h = f32BitsToF16(bits[i] ?? 0);
    out[i * 2] = h & 0xff;
    out[i * 2 + 1] = h >>> 8;
  }
  return out;
}

/** Q8_0 (ggml `quantize_row_q8_0_ref`): per 32 values, f16 d = amax/127, then int8 q = round(x/d). */
export function quantizeQ8_0(src: Float32Array): Uint8Array {
  assertBlockMultiple('Q8_0', src.length);
  const { blockSize: qk, typeSize } = GGML_TYPE_LAYOUT.Q8_0;
  const nBlocks = src.length / qk;
  const out = new Uint8Array(nBlocks * typeSize);
  const fr = Math.fround;
  for (let b = 0; b < nBlocks; b++) {
    const base = b * qk;
    let amax = 0;
    for (let j = 0; j < qk; j++) {
      const v = Math.abs(src[base + j] ?? 0);
      if (v > amax) amax = v;
    }
    const d = fr(amax / 127);
    const id = d !== 0 ? fr(1 / d) : 0;
    const h = f32ToF16(d);
    const o = b * typeSize;
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < qk; j++) {
      const q = roundHalfAwayFromZero(fr((src[base + j] ?? 0) * id));
      out[o + 2 + j] = q & 0xff; // two's complement int8
    }
  }
  return out;
}

/**
 * Q4_0 (ggml `quantize_row_q4_0_ref`): per 32 values, f16 d = max/-8 where max is the value with
 * the largest magnitude (sign kept), q = min(15, trunc(x/d + 8.5)); byte j holds value j in the low
 * nibble and value j+16 in the high nibble.
 */
export function quantizeQ4_0(src: Float32Array): Uint8Array {
  assertBlockMultiple('Q4_0', src.length);
  const { blockSize: qk, typeSize } = GGML_TYPE_LAYOUT.Q4_0;
  const half = qk / 2;
  const nBlocks = src.length / qk;
  const out = new Uint8Array(nBlocks * typeSize);
  const fr = Math.fround;
  const quant = (x: number, id: number): number => {
    const q = Math.trunc(fr(fr(x * id) + 8.5));
    return q < 0 ? 0 : q > 15 ? 15 : q;
  };
  for (let b = 0; b < nBlocks; b++) {
    const base = b * qk;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < qk; j++) {
      const v = src[base + j] ?? 0;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = fr(max / -8);
    const id = d !== 0 ? fr(1 / d) : 0;
    const h = f32ToF16(d);
    const o = b * typeSize;
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < half; j++) {
      const lo = quant(src[base + j] ?? 0, id);
      const hi = quant(src[base + half + j] ?? 0, id);
      out[o + 2 + j] = lo | (hi << 4);
    }
  }
  return out;
}

/** Number of bytes a tensor of the given type and shape occupies. */
export function tensorDataSize(type: GgmlType, dims: readonly number[]): number {
  const { blockSize, typeSize } = GGML_TYPE_LAYOUT[type];
  const ne0 = dims[0] ?? 1;
  if (ne0 % blockSize !== 0) throw new Error(`${type}: row length ${ne0} is not a multiple of ${blockSize}`);
  const nElements = dims.reduce((a, b) => a * b, 1);
  return (nElements / blockSize) * typeSize;
}

/** Encodes float32 values as tensor data of the given ggml type. */
export function encodeTensorData(type: GgmlType, data: Float32Array): Uint8Array {
  switch (type) {
    case 'F32':
      return encodeF32(data);
    case 'F16':
      return encodeF16(data);
    case 'Q8_0':
      return quantizeQ8_0(data);
    case 'Q4_0':
      return quantizeQ4_0(data);
    default:
      throw new Error(`unsupported ggml type ${type satisfies never}`);
  }
}

// ---------------------------------------------------------------------------
// header serialization

class ByteSink {
  private chunks: Uint8Array[] = [];
  private current = new Uint8Array(64 * 1024);
  private view = new DataView(this.current.buffer);
  private pos = 0;
  length = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.current.length) return;
    this.chunks.push(this.current.subarray(0, this.pos));
    this.current = new Uint8Array(Math.max(64 * 1024, n));
    this.view = new DataView(this.current.buffer);
    this.pos = 0;
  }

  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    this.length += 1;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
    this.length += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
    this.length += 4;
  }
  u64(v: number | bigint): void {
    const big = BigInt(v);
    if (big < 0n || big > 0xffffffffffffffffn) throw new Error(`uint64 out of range: ${v}`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, big, true);
    this.pos += 8;
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.current.set(b, this.pos);
    this.pos += b.length;
    this.length += b.length;
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.bytes(new Uint8Array(pad));
  }
  toBuffer(): Buffer {
    return Buffer.concat([...this.chunks, this.current.subarray(0, this.pos)]);
  }
}

function checkInt(v: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${what} out of range: ${v}`);
}

function writeValue(sink: ByteSink, key: string, value: GgufValue): void {
  const T = GGUF_VALUE_TYPE_IDS;
  switch (value.type) {
    case 'uint32':
      checkInt(value.value, 0, 0xffffffff, key);
      sink.u32(T.uint32);
      sink.u32(value.value);
      return;
    case 'int32':
      checkInt(value.value, -0x80000000, 0x7fffffff, key);
      sink.u32(T.int32);
      sink.i32(value.value);
      return;
    case 'float32':
      sink.u32(T.float32);
      sink.f32(value.value);
      return;
    case 'bool':
      sink.u32(T.bool);
      sink.u8(value.value ? 1 : 0);
      return;
    case 'string':
      sink.u32(T.string);
      sink.string(value.value);
      return;
    case 'uint64':
      sink.u32(T.uint64);
      sink.u64(value.value);
      return;
    case 'string[]':
      sink.u32(T.array);
      sink.u32(T.string);
      sink.u64(value.value.length);
      for (const s of value.value) sink.string(s);
      return;
    case 'float32[]':
      sink.u32(T.array);
      sink.u32(T.float32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) sink.f32(value.value[i] ?? 0);
      return;
    case 'int32[]':
      sink.u32(T.array);
      sink.u32(T.int32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) {
        const v = value.value[i] ?? 0;
        checkInt(v, -0x80000000, 0x7fffffff, `${key}[${i}]`);
        sink.i32(v);
      }
      return;
    default:
      throw new Error(`${key}: unsupported value type ${JSON.stringify(value satisfies never)}`);
  }
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** Returns the alignment a model's file uses (`general.alignment`, default 32). */
export function modelAlignment(model: GgufModel): number {
  const a = model.metadata['general.alignment'];
  if (a === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (a.type !== 'uint32' || a.value <= 0 || a.value % 8 !== 0) {
    throw new Error('general.alignment must be a uint32 multiple of 8');
  }
  return a.value;
}

/**
 * Serializes everything before the tensor data: header, metadata, tensor infos and padding.
 * Also returns each tensor's offset (relative to the start of the data section) and size.
 */
export function encodeGgufHeader(model: GgufModel): {
  header: Buffer;
  alignment: number;
  layout: Array<{ offset: number; size: number }>;
} {
  const alignment = modelAlignment(model);
  const sink = new ByteSink();
  sink.bytes(Buffer.from(GGUF_MAGIC, 'latin1'));
  sink.u32(GGUF_VERSION);
  sink.u64(model.tensors.length);
  const entries = Object.entries(model.metadata);
  sink.u64(entries.length);
  for (const [key, value] of entries) {
    sink.string(key);
    writeValue(sink, key, value);
  }

  const names = new Set<string>();
  const layout: Array<{ offset: number; size: number }> = [];
  let offset = 0;
  for (const tensor of model.tensors) {
    if (names.has(tensor.name)) throw new Error(`duplicate tensor name ${tensor.name}`);
    names.add(tensor.name);
    if (tensor.dims.length < 1 || tensor.dims.length > 4) throw new Error(`${tensor.name}: 1 to 4 dims`);
    for (const d of tensor.dims) checkInt(d, 1, Number.MAX_SAFE_INTEGER, `${tensor.name} dim`);
    const size = tensorDataSize(tensor.type, tensor.dims);
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const d of tensor.dims) sink.u64(d);
    sink.u32(GGML_TYPE_IDS[tensor.type]);
    sink.u64(offset);
    layout.push({ offset, size });
    offset = alignUp(offset + size, alignment);
  }
  sink.padTo(alignment);
  return { header: sink.toBuffer(), alignment, layout };
}

/**
 * Writes a GGUF v3 file. Tensor data is generated, encoded and written one tensor at a time.
 * The file is written to a temporary name next to `filePath` and renamed into place when complete.
 */
export async function writeGguf(filePath: string, model: GgufModel): Promise<WriteGgufResult> {
  const { header, alignment, layout } = encodeGgufHeader(model);
  const tmpPath = `${filePath}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(tmpPath, 'w');
  let ok = false;
  try {
    const write = async (bytes: Uint8Array): Promise<void> => {
      hash.update(bytes);
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
      size += bytes.length;
    };
    await write(header);
    const dataStart = size;
    for (const [i, tensor] of model.tensors.entries()) {
      const slot = layout[i];
      if (slot === undefined) throw new Error('internal: tensor layout mismatch');
      const expected = tensor.dims.reduce((a, b) => a * b, 1);
      const values = tensor.data();
      if (values.length !== expected) {
        throw new Error(`${tensor.name}: expected ${expected} values, got ${values.length}`);
      }
      const bytes = encodeTensorData(tensor.type, values);
      if (bytes.length !== slot.size || size - dataStart !== slot.offset) {
        throw new Error(`internal: ${tensor.name} layout mismatch`);
      }
      await write(bytes);
      const pad = (alignment - (bytes.length % alignment)) % alignment;
      if (pad > 0) await write(new Uint8Array(pad));
    }
    await handle.sync();
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await rm(tmpPath, { force: true });
  }
  await rename(tmpPath, filePath);
  return { size, sha256: hash.digest('hex') };
}
