/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, a version, a
 * little-endian header length (2 bytes in v1, 4 in v2/v3), a Python dict literal
 * (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`; latin-1, UTF-8 from v3), then the
 * elements. C order only; both byte orders, converted to this machine's on read.
 */
import { TensorFileError, type TensorDtype, type TensorValue } from './tensorValue';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** `descr` type codes (kind + item size) onnxruntime-web can take. */
const DESCR: Record<string, TensorDtype> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

interface NpyHeader {
  dtype: TensorDtype;
  littleEndian: boolean;
  dims: number[];
}

function fail(code: TensorFileError['code'], message: string): never {
  throw new TensorFileError(code, message);
}

/** The header dict's three keys, read without evaluating anything. */
function parseHeader(text: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) fail('UNSUPPORTED_DTYPE', 'This .npy file holds a structured array (its descr is a list of fields); only plain numeric arrays can be model inputs.');
    fail('BAD_HEADER', `This .npy header has no readable 'descr': ${JSON.stringify(text.trim().slice(0, 120))}.`);
  }
  if (!fortran || !shape) fail('BAD_HEADER', `This .npy header lacks 'fortran_order' or 'shape': ${JSON.stringify(text.trim().slice(0, 120))}.`);
  const parts = shape[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!parts.every((p) => /^\d+L?$/.test(p))) fail('BAD_HEADER', `This .npy header's shape (${shape[1]}) is not a tuple of sizes.`);
  const dims = parts.map((p) => Number.parseInt(p, 10));
  const m = /^([<>|=])([a-zA-Z]\d+)$/.exec(descr[1]) ?? /^()([?])$/.exec(descr[1]);
  const code = m ? (m[2] === '?' ? 'b1' : m[2]) : undefined;
  const dtype = code ? DESCR[code] : undefined;
  if (!m || !dtype) {
    fail('UNSUPPORTED_DTYPE', `This .npy file holds ${descr[1]}, which is not a dtype onnxruntime takes (float16/32/64, int8/16/32/64, uint8/16/32/64, bool).`);
  }
  if (fortran[1] === 'True' && dims.filter((d) => d > 1).length > 1) {
    fail('FORTRAN_ORDER', `This .npy file is in Fortran (column-major) order, shape (${dims.join(', ')}); save it in C order (np.ascontiguousarray) to use it.`);
  }
  // '>' big-endian; '<', '|' (one byte, no order) and '=' (native, which NumPy writes out as '<' on the machines it runs on) little.
  return { dtype, littleEndian: m[1] !== '>', dims };
}

const SIZE: Record<TensorDtype, number> = { float16: 2, float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, uint16: 2, uint32: 4, uint64: 8, bool: 1 };

/** The elements into a fresh typed array in this machine's order (copied: the data may be unaligned or big-endian). */
function readData(h: NpyHeader, v: DataView): TensorValue {
  const n = h.dims.reduce((a, b) => a * b, 1);
  const le = h.littleEndian;
  const at = (i: number): number => i * SIZE[h.dtype];
  const { dims } = h;
  switch (h.dtype) {
    case 'float16':
      return { dtype: h.dtype, dims, data: Uint16Array.from({ length: n }, (_, i) => v.getUint16(at(i), le)) };
    case 'float32':
      return { dtype: h.dtype, dims, data: Float32Array.from({ length: n }, (_, i) => v.getFloat32(at(i), le)) };
    case 'float64':
      return { dtype: h.dtype, dims, data: Float64Array.from({ length: n }, (_, i) => v.getFloat64(at(i), le)) };
    case 'int8':
      return { dtype: h.dtype, dims, data: Int8Array.from({ length: n }, (_, i) => v.getInt8(i)) };
    case 'int16':
      return { dtype: h.dtype, dims, data: Int16Array.from({ length: n }, (_, i) => v.getInt16(at(i), le)) };
    case 'int32':
      return { dtype: h.dtype, dims, data: Int32Array.from({ length: n }, (_, i) => v.getInt32(at(i), le)) };
    case 'int64':
      return { dtype: h.dtype, dims, data: BigInt64Array.from({ length: n }, (_, i) => v.getBigInt64(at(i), le)) };
    case 'uint8':
      return { dtype: h.dtype, dims, data: Uint8Array.from({ length: n }, (_, i) => v.getUint8(i)) };
    case 'uint16':
      return { dtype: h.dtype, dims, data: Uint16Array.from({ length: n }, (_, i) => v.getUint16(at(i), le)) };
    case 'uint32':
      return { dtype: h.dtype, dims, data: Uint32Array.from({ length: n }, (_, i) => v.getUint32(at(i), le)) };
    case 'uint64':
      return { dtype: h.dtype, dims, data: BigUint64Array.from({ length: n }, (_, i) => v.getBigUint64(at(i), le)) };
    case 'bool':
      return { dtype: h.dtype, dims, data: Uint8Array.from({ length: n }, (_, i) => (v.getUint8(i) !== 0 ? 1 : 0)) };
    default:
      return h.dtype satisfies never;
  }
}

/** A `.npy` file's array. Throws TensorFileError, in words, for anything else. */
export function readNpy(bytes: Uint8Array): TensorValue {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) fail('NOT_TENSOR_FILE', 'This is not a .npy file: it does not start with the NumPy magic "\\x93NUMPY".');
  const major = bytes[6];
  if (major < 1 || major > 3) fail('UNSUPPORTED_VERSION', `This .npy file is format version ${major}.${bytes[7]}; versions 1.0, 2.0 and 3.0 can be read.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) fail('SIZE_MISMATCH', 'This .npy file is cut short inside its header.');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize;
  if (start + headerLen > bytes.length) fail('SIZE_MISMATCH', `This .npy file is cut short: its header needs ${headerLen} bytes, the file holds ${bytes.length - start} after the length.`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const h = parseHeader(text);
  const dataStart = start + headerLen;
  const need = h.dims.reduce((a, b) => a * b, 1) * SIZE[h.dtype];
  const have = bytes.length - dataStart;
  if (have !== need) {
    fail('SIZE_MISMATCH', `This .npy file's shape (${h.dims.join(', ')}) of ${h.dtype} needs ${need} data bytes, but it holds ${have}${have < need ? ' (cut short)' : ''}.`);
  }
  return readData(h, new DataView(bytes.buffer, bytes.byteOffset + dataStart, need));
}
