/** `.npy` files for tests, written byte by byte as the NumPy format spec lays them out (not by our reader's code), and the refusal tests look for. */
import { TensorFileError } from '../tensorFiles/tensorValue';

/** magic, version, header length (2 bytes in v1, 4 in v2/v3), the dict padded with spaces to 64 bytes and ending in '\n', then the data. */
export function npy(version: 1 | 2 | 3, header: string, data: Uint8Array): Uint8Array {
  const lenSize = version === 1 ? 2 : 4;
  const text = new TextEncoder().encode(header);
  const unpadded = 8 + lenSize + text.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const headerLen = text.length + pad + 1;
  const out = new Uint8Array(8 + lenSize + headerLen + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, headerLen, true);
  else v.setUint32(8, headerLen, true);
  out.set(text, 8 + lenSize);
  out.fill(0x20, 8 + lenSize + text.length, 8 + lenSize + headerLen - 1);
  out[8 + lenSize + headerLen - 1] = 0x0a;
  out.set(data, 8 + lenSize + headerLen);
  return out;
}

export function bytesOf(n: number, size: number, put: (v: DataView, offset: number, i: number) => void): Uint8Array {
  const b = new Uint8Array(n * size);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) put(v, i * size, i);
  return b;
}

/** The TensorFileError `f` throws (a test fails if it throws nothing or something else). */
export function refusal(f: () => unknown): TensorFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof TensorFileError) return e;
    throw e;
  }
  throw new Error('expected a TensorFileError');
}
