/** `.npy` files written here byte by byte as the NumPy format spec lays them out, read back by readNpy. */
import { describe, expect, it } from 'vitest';
import { readNpy } from './npy';
import { bytesOf, npy, refusal } from '../testing/npyBytes';


describe('readNpy', () => {
  const values = [1.5, -2.25, 3e-5, 0.1, 1e6, -0];

  it('reads a v1 little-endian float32 file in C order', () => {
    const data = bytesOf(6, 4, (v, o, i) => v.setFloat32(o, values[i], true));
    const t = readNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data));
    expect(t.dtype).toBe('float32');
    expect(t.dims).toEqual([2, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data as Float32Array)).toEqual(values.map(Math.fround));
  });

  it('reads big-endian float32 and int64 files (v3 header with a UTF-8 string in it) into this machine’s order', () => {
    const be = readNpy(npy(3, "{'descr': '>f4', 'fortran_order': False, 'shape': (6,), 'note': 'été'}", bytesOf(6, 4, (v, o, i) => v.setFloat32(o, values[i], false))));
    expect(be.dims).toEqual([6]);
    expect(Array.from(be.data as Float32Array)).toEqual(values.map(Math.fround));
    const ints = [0n, -1n, 16000n, 2n ** 62n, -(2n ** 63n)];
    for (const [descr, little] of [['<i8', true], ['>i8', false]] as const) {
      const t = readNpy(npy(3, `{'descr': '${descr}', 'fortran_order': False, 'shape': (5,), }`, bytesOf(5, 8, (v, o, i) => v.setBigInt64(o, ints[i], little))));
      expect(t.dtype).toBe('int64');
      expect(t.data).toBeInstanceOf(BigInt64Array);
      expect(Array.from(t.data as BigInt64Array)).toEqual(ints);
    }
  });

  it('reads a scalar (shape ()) and bool (|b1) arrays; a v2 header too', () => {
    const s = readNpy(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", bytesOf(1, 8, (v, o) => v.setBigInt64(o, 16000n, true))));
    expect(s.dims).toEqual([]);
    expect(s.data).toEqual(BigInt64Array.of(16000n));
    const b = readNpy(npy(2, "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 2), }", Uint8Array.of(1, 0, 0, 1)));
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 0, 1]);
  });

  it('refuses, in words, a Fortran-order file, a truncated one, an unsupported dtype and a file that is not .npy', () => {
    const f = refusal(() => readNpy(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", bytesOf(6, 4, (v, o, i) => v.setFloat32(o, i, true)))));
    expect(f.code).toBe('FORTRAN_ORDER');
    expect(f.message).toContain('Fortran');
    const whole = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", bytesOf(6, 4, (v, o, i) => v.setFloat32(o, i, true)));
    const cut = refusal(() => readNpy(whole.subarray(0, whole.length - 3)));
    expect(cut.code).toBe('SIZE_MISMATCH');
    expect(cut.message).toContain('needs 24 data bytes, but it holds 21 (cut short)');
    expect(refusal(() => readNpy(whole.subarray(0, 20))).code).toBe('SIZE_MISMATCH');
    const c = refusal(() => readNpy(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))));
    expect(c.code).toBe('UNSUPPORTED_DTYPE');
    expect(c.message).toContain('<c8');
    expect(refusal(() => readNpy(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)))).code).toBe('UNSUPPORTED_DTYPE');
    expect(refusal(() => readNpy(new TextEncoder().encode('not a numpy file at all'))).code).toBe('NOT_TENSOR_FILE');
    const v9 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    v9[6] = 9;
    expect(refusal(() => readNpy(v9)).code).toBe('UNSUPPORTED_VERSION');
  });
});
