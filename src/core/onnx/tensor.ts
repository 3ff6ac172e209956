/** Reading and creating TensorProto values. */
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16';
import { listOf, type Int64 } from './protobuf';
import { DataType, type TensorProto } from './types';

export function toNumber(v: Int64): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

export const FLOAT_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.DOUBLE]);

const DTYPE_NAMES: Record<number, string> = {
  0: 'undefined',
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

const DTYPE_SHORT: Record<number, string> = {
  1: 'f32',
  2: 'u8',
  3: 'i8',
  4: 'u16',
  5: 'i16',
  6: 'i32',
  7: 'i64',
  8: 'str',
  9: 'bool',
  10: 'f16',
  11: 'f64',
  12: 'u32',
  13: 'u64',
  16: 'bf16',
};

export function dtypeName(dt: number | undefined): string {
  return dt === undefined ? 'unknown' : (DTYPE_NAMES[dt] ?? `dtype ${dt}`);
}

export function dtypeShort(dt: number | undefined): string {
  return dt === undefined ? '?' : (DTYPE_SHORT[dt] ?? `t${dt}`);
}

/** Bytes per element of a fixed-size type, or 0. */
export function dtypeSize(dt: number): number {
  switch (dt) {
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 4;
    case DataType.DOUBLE:
    case DataType.INT64:
    case DataType.UINT64:
    case DataType.COMPLEX64:
      return 8;
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
    case DataType.INT16:
    case DataType.UINT16:
      return 2;
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
      return 1;
    case DataType.COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

export function tensorDims(t: TensorProto): number[] {
  return t.dims.map(toNumber);
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function isExternal(t: TensorProto): boolean {
  return t.dataLocation === 1 || listOf(t.externalData).length > 0;
}

/**
 * Bytes of externally stored tensors that have been loaded, kept beside the proto (not in it) so
 * that writing the model keeps the external reference instead of inlining the data.
 */
const loadedExternal = new WeakMap<TensorProto, Uint8Array>();

export function attachExternalBytes(t: TensorProto, bytes: Uint8Array): void {
  loadedExternal.set(t, bytes);
}

/** The tensor's raw bytes: inline raw_data, or loaded external data. */
function storedRaw(t: TensorProto): Uint8Array | undefined {
  return t.rawData ?? loadedExternal.get(t);
}

function dimsText(t: TensorProto): string {
  return JSON.stringify(tensorDims(t));
}

/** Why a tensor's stored data disagrees with its dims, or null when it is consistent. */
export function tensorDataProblem(t: TensorProto): string | null {
  return dataProblem(t, storedRaw(t));
}

/** `tensorDataProblem` with the raw bytes already read (raw_data is found in the file on each read: FieldSpec.lazy). */
function dataProblem(t: TensorProto, raw: Uint8Array | undefined): string | null {
  if (isExternal(t) && !loadedExternal.has(t)) return `its data is stored in an external file (${externalLocation(t) ?? 'unknown location'}) that is not loaded`;
  // Counted without building a dims array: this runs for every parameter of every pair.
  let n = 1;
  let negative = false;
  for (const d of t.dims) {
    const k = toNumber(d);
    if (k < 0) negative = true;
    n *= k;
  }
  if (negative) return `it has a negative dimension ${dimsText(t)}`;
  const dt = t.dataType ?? 0;
  const size = dtypeSize(dt);
  let have: number;
  if (raw !== undefined) {
    // Strings and unknown types have no fixed width: raw_data for them cannot be interpreted.
    if (size === 0) return `raw_data cannot hold ${dtypeName(dt)} values`;
    if (raw.length !== n * size) {
      return `dims ${dimsText(t)} need ${n * size} bytes of ${dtypeName(dt)} but ${t.rawData ? 'raw_data' : 'the external data'} holds ${raw.length}`;
    }
    return null;
  }
  switch (dt) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      have = listOf(t.floatData).length / (dt === DataType.COMPLEX64 ? 2 : 1);
      break;
    case DataType.DOUBLE:
      have = listOf(t.doubleData).length;
      break;
    case DataType.INT64:
      have = listOf(t.int64Data).length;
      break;
    case DataType.UINT64:
    case DataType.UINT32:
      have = listOf(t.uint64Data).length;
      break;
    case DataType.STRING:
      have = listOf(t.stringData).length;
      break;
    default:
      have = listOf(t.int32Data).length;
  }
  if (have !== n) return `dims ${dimsText(t)} need ${n} values but the tensor stores ${have}`;
  return null;
}

export function externalLocation(t: TensorProto): string | undefined {
  return listOf(t.externalData).find((e) => e.key === 'location')?.value;
}

/**
 * The values of a numeric tensor as float64 (a computed copy; the stored bytes are untouched).
 * Throws when the data is missing or inconsistent with the dims.
 */
export function tensorToFloat64(t: TensorProto): Float64Array {
  const raw = storedRaw(t);
  const problem = dataProblem(t, raw);
  if (problem) throw new Error(`Tensor "${t.name ?? ''}" cannot be read: ${problem}.`);
  const n = elementCount(tensorDims(t));
  const dt = t.dataType ?? 0;
  const out = new Float64Array(n);
  if (raw !== undefined) {
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) out[i] = readRaw(v, dt, i);
    return out;
  }
  switch (dt) {
    case DataType.FLOAT:
      out.set(listOf(t.floatData));
      break;
    case DataType.DOUBLE:
      out.set(listOf(t.doubleData));
      break;
    case DataType.INT64:
      for (let i = 0, d = listOf(t.int64Data); i < n; i++) out[i] = toNumber(d[i]);
      break;
    case DataType.UINT64:
    case DataType.UINT32:
      for (let i = 0, d = listOf(t.uint64Data); i < n; i++) out[i] = toNumber(d[i]);
      break;
    case DataType.FLOAT16:
      for (let i = 0, d = listOf(t.int32Data); i < n; i++) out[i] = halfToFloat(d[i] & 0xffff);
      break;
    case DataType.BFLOAT16:
      for (let i = 0, d = listOf(t.int32Data); i < n; i++) out[i] = bfloat16ToFloat(d[i] & 0xffff);
      break;
    case DataType.STRING:
      throw new Error(`Tensor "${t.name ?? ''}" holds strings, not numbers.`);
    default:
      for (let i = 0, d = listOf(t.int32Data); i < n; i++) out[i] = d[i];
  }
  return out;
}

function readRaw(v: DataView, dt: number, i: number): number {
  switch (dt) {
    case DataType.FLOAT:
      return v.getFloat32(i * 4, true);
    case DataType.DOUBLE:
      return v.getFloat64(i * 8, true);
    case DataType.FLOAT16:
      return halfToFloat(v.getUint16(i * 2, true));
    case DataType.BFLOAT16:
      return bfloat16ToFloat(v.getUint16(i * 2, true));
    case DataType.INT64:
      return Number(v.getBigInt64(i * 8, true));
    case DataType.UINT64:
      return Number(v.getBigUint64(i * 8, true));
    case DataType.INT32:
      return v.getInt32(i * 4, true);
    case DataType.UINT32:
      return v.getUint32(i * 4, true);
    case DataType.INT16:
      return v.getInt16(i * 2, true);
    case DataType.UINT16:
      return v.getUint16(i * 2, true);
    case DataType.INT8:
      return v.getInt8(i);
    case DataType.UINT8:
    case DataType.BOOL:
      return v.getUint8(i);
    default:
      throw new Error(`unsupported tensor data type ${dtypeName(dt)}`);
  }
}

/** Encodes float64 values into raw bytes of a floating dtype (float32, float16, bfloat16, float64). */
export function encodeFloats(values: ArrayLike<number>, dt: number): Uint8Array {
  const size = dtypeSize(dt);
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    switch (dt) {
      case DataType.FLOAT:
        v.setFloat32(i * 4, x, true);
        break;
      case DataType.DOUBLE:
        v.setFloat64(i * 8, x, true);
        break;
      case DataType.FLOAT16:
        v.setUint16(i * 2, floatToHalf(x), true);
        break;
      case DataType.BFLOAT16:
        v.setUint16(i * 2, floatToBfloat16(x), true);
        break;
      default:
        throw new Error(`cannot store floats as ${dtypeName(dt)}`);
    }
  }
  return out;
}

export function encodeInts(values: ArrayLike<number>, dt: number): Uint8Array {
  const size = dtypeSize(dt);
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    switch (dt) {
      case DataType.INT64:
        v.setBigInt64(i * 8, BigInt(x), true);
        break;
      case DataType.INT32:
        v.setInt32(i * 4, x, true);
        break;
      case DataType.UINT8:
      case DataType.BOOL:
        v.setUint8(i, x);
        break;
      case DataType.INT8:
        v.setInt8(i, x);
        break;
      default:
        throw new Error(`cannot store integers as ${dtypeName(dt)}`);
    }
  }
  return out;
}

/** A new raw_data tensor. */
export function makeTensor(name: string, dataType: number, dims: readonly number[], rawData: Uint8Array): TensorProto {
  return {
    name,
    dataType,
    dims: [...dims],
    rawData,
    floatData: [],
    int32Data: [],
    stringData: [],
    int64Data: [],
    externalData: [],
    doubleData: [],
    uint64Data: [],
    metadataProps: [],
  };
}

export function makeFloatTensor(name: string, dims: readonly number[], values: ArrayLike<number>, dataType: number = DataType.FLOAT): TensorProto {
  return makeTensor(name, dataType, dims, encodeFloats(values, dataType));
}
