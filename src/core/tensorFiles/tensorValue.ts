/**
 * A tensor's values as onnxruntime-web takes them: dtype, dims (C order) and a typed array of the
 * dtype's own kind. What `.npy` and `.pb` files are read into, and what `verify` accepts as an input.
 */
import { DataType } from '../onnx/types';
import { halfToFloat } from '../onnx/float16';

/** The typed array each dtype is held in (float16 as its IEEE half bits, as onnxruntime-web takes it). */
export interface TensorDataOf {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  /** One byte per element, 0 or 1. */
  bool: Uint8Array;
}

export type TensorDtype = keyof TensorDataOf;

/** Discriminated by `dtype`: `data` is the matching typed array. */
export type TensorValue = { [K in TensorDtype]: { dtype: K; dims: number[]; data: TensorDataOf[K] } }[TensorDtype];

/** The ONNX element type of each dtype (the names are those `dtypeName` prints). */
export const DTYPE_ONNX: Readonly<Record<TensorDtype, number>> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  float16: DataType.FLOAT16,
  int64: DataType.INT64,
  uint64: DataType.UINT64,
  int32: DataType.INT32,
  uint32: DataType.UINT32,
  int16: DataType.INT16,
  uint16: DataType.UINT16,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  bool: DataType.BOOL,
};

/** The dtype of an ONNX element type, or undefined when onnxruntime-web has no tensor for it (strings, bfloat16, complex). */
export function dtypeOfOnnx(elemType: number | undefined): TensorDtype | undefined {
  return (Object.keys(DTYPE_ONNX) as TensorDtype[]).find((k) => DTYPE_ONNX[k] === elemType);
}

export function isTensorDtype(s: string): s is TensorDtype {
  return Object.hasOwn(DTYPE_ONNX, s);
}

/** A typed result, read or refused in words. */
export class TensorFileError extends Error {
  constructor(
    readonly code: TensorFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TensorFileError';
  }
}

export type TensorFileErrorCode =
  /** Not the format at all (no `\x93NUMPY` magic, not a TensorProto). */
  | 'NOT_TENSOR_FILE'
  /** A `.npy` format version other than 1, 2 or 3. */
  | 'UNSUPPORTED_VERSION'
  /** The `.npy` header dict cannot be read. */
  | 'BAD_HEADER'
  | 'FORTRAN_ORDER'
  | 'UNSUPPORTED_DTYPE'
  /** Fewer (or more) data bytes than the shape needs. */
  | 'SIZE_MISMATCH'
  | 'EXTERNAL_DATA'
  /** A test data folder's files are not `input_N.pb` / `output_N.pb`, or none is there. */
  | 'BAD_TEST_DATA';

/** An element as a JavaScript number (int64 beyond 2^53 rounds; only used for summaries and comparison). */
export function elementAt(t: TensorValue, i: number): number {
  switch (t.dtype) {
    case 'float16':
      return halfToFloat(t.data[i]);
    case 'int64':
    case 'uint64':
      return Number(t.data[i]);
    default:
      return t.data[i];
  }
}

/** The values as float64 (for comparison and summaries). */
export function tensorFloat64(t: TensorValue): Float64Array {
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = elementAt(t, i);
  return out;
}

/** What a tensor holds, in a few numbers: over its finite elements; NaN when there is none. */
export interface ValueSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** NaN or ±Infinity elements (left out of min, max and mean). */
  nonFinite: number;
}

export function summarizeValues(t: TensorValue): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  for (let i = 0; i < t.data.length; i++) {
    const v = elementAt(t, i);
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return finite === 0
    ? { count: t.data.length, min: NaN, max: NaN, mean: NaN, nonFinite: t.data.length }
    : { count: t.data.length, min, max, mean: sum / finite, nonFinite: t.data.length - finite };
}

export function shapeText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}
