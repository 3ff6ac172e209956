/**
 * A serialized ONNX TensorProto (`input_0.pb` of an ONNX test data set), decoded by the project's own
 * reader, as a TensorValue: from raw_data (little-endian) or from the typed lists.
 */
import { decodeMessage, type DecodeContext } from '../onnx/protobufDecode';
import { listOf } from '../onnx/protobuf';
import { TensorSpec } from '../onnx/schema';
import { dtypeName, isExternal, tensorDataProblem, tensorDims } from '../onnx/tensor';
import { DataType, type TensorProto } from '../onnx/types';
import { dtypeOfOnnx, TensorFileError, type TensorValue } from './tensorValue';

export interface NamedTensorValue {
  /** The TensorProto's name; undefined when it has none. */
  name: string | undefined;
  value: TensorValue;
}

/** A `.pb` TensorProto's name and values. Throws TensorFileError, in words, for anything else. */
export function readTensorProtoNamed(bytes: Uint8Array): NamedTensorValue {
  let wrongWire = '';
  const ctx: DecodeContext = {
    onWireMismatch: (spec, field, _wire, offset) => {
      wrongWire ||= `${spec.name}.${field.name} at byte ${offset} has a wire type TensorProto never writes`;
    },
  };
  let t: TensorProto;
  try {
    t = decodeMessage<TensorProto>(bytes, TensorSpec, ctx);
  } catch (e) {
    throw new TensorFileError('NOT_TENSOR_FILE', `This is not a serialized TensorProto: ${(e as Error).message}.`);
  }
  if (wrongWire) throw new TensorFileError('NOT_TENSOR_FILE', `This is not a serialized TensorProto: ${wrongWire}.`);
  if (t.dataType === undefined) throw new TensorFileError('NOT_TENSOR_FILE', 'This is not a serialized TensorProto: it has no data_type.');
  return { name: t.name || undefined, value: tensorValueOf(t) };
}

/** A `.pb` TensorProto's values. */
export function readTensorProto(bytes: Uint8Array): TensorValue {
  return readTensorProtoNamed(bytes).value;
}

/** A TensorProto's values in a typed array of its dtype (copied). */
export function tensorValueOf(t: TensorProto): TensorValue {
  const dt = t.dataType ?? DataType.UNDEFINED;
  const dtype = dtypeOfOnnx(dt);
  if (!dtype) throw new TensorFileError('UNSUPPORTED_DTYPE', `This tensor is ${dtypeName(dt)}, which onnxruntime-web takes as no model input here.`);
  if (isExternal(t)) throw new TensorFileError('EXTERNAL_DATA', 'This tensor keeps its data in an external file; save it with the data inside (raw_data).');
  const problem = tensorDataProblem(t);
  if (problem) throw new TensorFileError('SIZE_MISMATCH', `This tensor cannot be read: ${problem}.`);
  const dims = tensorDims(t);
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  if (raw !== undefined) {
    // A copy: raw_data may sit at any offset of the file, and typed arrays need their own alignment.
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const get = <T>(size: number, read: (o: number) => T): T[] => Array.from({ length: n }, (_, i) => read(i * size));
    switch (dtype) {
      case 'float32':
        return { dtype, dims, data: Float32Array.from(get(4, (o) => v.getFloat32(o, true))) };
      case 'float64':
        return { dtype, dims, data: Float64Array.from(get(8, (o) => v.getFloat64(o, true))) };
      case 'float16':
      case 'uint16':
        return { dtype, dims, data: Uint16Array.from(get(2, (o) => v.getUint16(o, true))) };
      case 'int16':
        return { dtype, dims, data: Int16Array.from(get(2, (o) => v.getInt16(o, true))) };
      case 'int32':
        return { dtype, dims, data: Int32Array.from(get(4, (o) => v.getInt32(o, true))) };
      case 'uint32':
        return { dtype, dims, data: Uint32Array.from(get(4, (o) => v.getUint32(o, true))) };
      case 'int64':
        return { dtype, dims, data: BigInt64Array.from(get(8, (o) => v.getBigInt64(o, true))) };
      case 'uint64':
        return { dtype, dims, data: BigUint64Array.from(get(8, (o) => v.getBigUint64(o, true))) };
      case 'int8':
        return { dtype, dims, data: Int8Array.from(get(1, (o) => v.getInt8(o))) };
      case 'uint8':
        return { dtype, dims, data: Uint8Array.from(get(1, (o) => v.getUint8(o))) };
      case 'bool':
        return { dtype, dims, data: Uint8Array.from(get(1, (o) => (v.getUint8(o) !== 0 ? 1 : 0))) };
      default:
        return dtype satisfies never;
    }
  }
  // The typed lists, as onnx.proto assigns them: int32_data also holds the small ints, bools and float16 bits.
  const i32 = listOf(t.int32Data);
  switch (dtype) {
    case 'float32':
      return { dtype, dims, data: Float32Array.from(listOf(t.floatData)) };
    case 'float64':
      return { dtype, dims, data: Float64Array.from(listOf(t.doubleData)) };
    case 'int64':
      return { dtype, dims, data: BigInt64Array.from(listOf(t.int64Data), (x) => BigInt(x)) };
    case 'uint64':
      return { dtype, dims, data: BigUint64Array.from(listOf(t.uint64Data), (x) => BigInt.asUintN(64, BigInt(x))) };
    case 'uint32':
      return { dtype, dims, data: Uint32Array.from(listOf(t.uint64Data), Number) };
    case 'float16':
    case 'uint16':
      return { dtype, dims, data: Uint16Array.from(i32, (x) => x & 0xffff) };
    case 'int32':
      return { dtype, dims, data: Int32Array.from(i32) };
    case 'int16':
      return { dtype, dims, data: Int16Array.from(i32) };
    case 'int8':
      return { dtype, dims, data: Int8Array.from(i32) };
    case 'uint8':
      return { dtype, dims, data: Uint8Array.from(i32) };
    case 'bool':
      return { dtype, dims, data: Uint8Array.from(i32, (x) => (x !== 0 ? 1 : 0)) };
    default:
      return dtype satisfies never;
  }
}
