/**
 * Pixels into a tensor: the NCHW and NHWC layouts hold the same values (checked by onnxruntime's
 * Transpose), bytes 0/51/255 read as 0/0.2/1, and mean/std normalization is what onnxruntime's
 * Sub and Div compute on the unnormalized tensor.
 */
import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import { createSession, makeOrtTensor } from '../verify/ortSession';
import { IMAGENET, imageSlot, pixelsToTensor, type Pixels } from './imageTensor';
import { halfToFloat } from '../onnx/float16';

/** 3 × 2 pixels whose channels all differ. */
const pixels: Pixels = { width: 3, height: 2, rgba: Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + 11) % 256) };

async function run(model: ModelBuilder, feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Float32Array> {
  const s = await createSession(writeModel(model.build()));
  try {
    const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, makeOrtTensor('float32', v.data, v.dims)])));
    return out[s.outputNames[0]].data as Float32Array;
  } finally {
    await s.release();
  }
}

describe('pixelsToTensor', () => {
  it('NHWC transposed by onnxruntime is NCHW, for a batch of 2 copies', async () => {
    const nchw = pixelsToTensor(pixels, { layout: 'NCHW', batch: 2, dtype: 'float32', normalize: null });
    const nhwc = pixelsToTensor(pixels, { layout: 'NHWC', batch: 2, dtype: 'float32', normalize: null });
    expect(nchw.dims).toEqual([2, 3, 2, 3]);
    expect(nhwc.dims).toEqual([2, 2, 3, 3]);
    const b = new ModelBuilder('t').opset(17).input('x', [2, 2, 3, 3]).output('y');
    b.node('Transpose', ['x'], ['y'], { perm: [0, 3, 1, 2] });
    const y = await run(b, { x: { data: nhwc.data as Float32Array, dims: nhwc.dims } });
    expect(Array.from(y)).toEqual(Array.from(nchw.data as Float32Array));
  });

  it('reads bytes as RGB in [0, 1] and drops alpha', () => {
    const p: Pixels = { width: 1, height: 1, rgba: Uint8Array.of(0, 51, 255, 7) };
    const t = pixelsToTensor(p, { layout: 'NCHW', batch: 1, dtype: 'float32', normalize: null });
    expect(Array.from(t.data as Float32Array)).toEqual([0, Math.fround(0.2), 1]);
    const h = pixelsToTensor(p, { layout: 'NHWC', batch: 1, dtype: 'float16', normalize: null });
    const half = Array.from(h.data as Uint16Array, halfToFloat);
    expect([half[0], half[2]]).toEqual([0, 1]);
    expect(Math.abs(half[1] - 0.2)).toBeLessThan(1e-3);
  });

  it('normalizes per channel as onnxruntime computes (x - mean) / std', async () => {
    const raw = pixelsToTensor(pixels, { layout: 'NCHW', batch: 1, dtype: 'float32', normalize: null });
    const norm = pixelsToTensor(pixels, { layout: 'NCHW', batch: 1, dtype: 'float32', normalize: IMAGENET });
    const b = new ModelBuilder('n').opset(17).input('x', [1, 3, 2, 3]).output('y');
    b.init('mean', [1, 3, 1, 1], [...IMAGENET.mean]).init('std', [1, 3, 1, 1], [...IMAGENET.std]);
    b.node('Sub', ['x', 'mean'], ['c']).node('Div', ['c', 'std'], ['y']);
    const y = await run(b, { x: { data: raw.data as Float32Array, dims: raw.dims } });
    const got = norm.data as Float32Array;
    y.forEach((v, i) => expect(Math.abs(v - got[i])).toBeLessThan(1e-6));
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => pixelsToTensor({ width: 2, height: 2, rgba: new Uint8Array(12) }, { layout: 'NCHW', batch: 1, dtype: 'float32', normalize: null })).toThrow('2×2 pixels need 16 bytes, got 12.');
  });
});

describe('imageSlot', () => {
  it('finds NCHW and NHWC float inputs with 3 channels, nothing else', () => {
    expect(imageSlot('float32', [1, 3, 'H', 'W'])).toEqual({ layout: 'NCHW', batch: 1, height: 'H', width: 'W' });
    expect(imageSlot('float16', ['N', 224, 224, 3])).toEqual({ layout: 'NHWC', batch: 'N', height: 224, width: 224 });
    expect(imageSlot('int64', [1, 3, 8, 8])).toBeNull();
    expect(imageSlot('float32', [1, 4, 8, 8])).toBeNull();
    expect(imageSlot('float32', [3, 8, 8])).toBeNull();
  });
});
