/**
 * An image as a model's input: RGB pixels (already decoded and resized by the page) into a float
 * tensor laid out NCHW or NHWC, scaled to [0, 1], then `(v - mean[c]) / std[c]` when a normalization
 * is given. Pure arithmetic: decoding needs the DOM and stays in the page's code.
 */
import { floatToHalf } from '../onnx/float16';
import type { Dim } from '../graph/dims';
import type { TensorValue } from './tensorValue';

export type ImageLayout = 'NCHW' | 'NHWC';

/** Where an image goes in an input: its layout and the declared batch, height and width. */
export interface ImageSlot {
  layout: ImageLayout;
  batch: Dim;
  height: Dim;
  width: Dim;
}

/** Decoded pixels, 4 bytes (RGBA) each, row by row. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

export interface Normalization {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** torchvision's ImageNet statistics (for RGB in [0, 1]). */
export const IMAGENET: Normalization = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

export type ImageDtype = 'float32' | 'float64' | 'float16';

export function isImageDtype(dtype: string): dtype is ImageDtype {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

/** The slot of a float `[N, 3, H, W]` (NCHW) or `[N, H, W, 3]` (NHWC) input; null for any other input. */
export function imageSlot(dtype: string, shape: readonly Dim[] | null): ImageSlot | null {
  if (!isImageDtype(dtype) || !shape || shape.length !== 4) return null;
  if (shape[1] === 3) return { layout: 'NCHW', batch: shape[0], height: shape[2], width: shape[3] };
  if (shape[3] === 3) return { layout: 'NHWC', batch: shape[0], height: shape[1], width: shape[2] };
  return null;
}

/**
 * The tensor of one image, repeated `batch` times: `[batch, 3, H, W]` or `[batch, H, W, 3]`. Alpha
 * is dropped. Throws RangeError when the pixel buffer does not hold width × height RGBA pixels.
 */
export function pixelsToTensor(p: Pixels, opts: { layout: ImageLayout; batch: number; dtype: ImageDtype; normalize: Normalization | null }): TensorValue {
  const { width: w, height: h, rgba } = p;
  if (rgba.length !== w * h * 4) throw new RangeError(`${w}×${h} pixels need ${w * h * 4} bytes, got ${rgba.length}.`);
  const plane = w * h;
  const one = new Float64Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      let v = rgba[i * 4 + c] / 255;
      if (opts.normalize) v = (v - opts.normalize.mean[c]) / opts.normalize.std[c];
      // NCHW: channel planes; NHWC: the three channels of each pixel together.
      one[opts.layout === 'NCHW' ? c * plane + i : i * 3 + c] = v;
    }
  }
  const n = one.length * opts.batch;
  const dims = opts.layout === 'NCHW' ? [opts.batch, 3, h, w] : [opts.batch, h, w, 3];
  const at = (i: number): number => one[i % one.length];
  switch (opts.dtype) {
    case 'float32':
      return { dtype: 'float32', dims, data: Float32Array.from({ length: n }, (_, i) => at(i)) };
    case 'float64':
      return { dtype: 'float64', dims, data: Float64Array.from({ length: n }, (_, i) => at(i)) };
    case 'float16':
      return { dtype: 'float16', dims, data: Uint16Array.from({ length: n }, (_, i) => floatToHalf(at(i))) };
    default:
      return opts.dtype satisfies never;
  }
}
