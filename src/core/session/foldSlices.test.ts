/**
 * The fold preview names, for each s value it shows, the entries of W that value scales: the
 * indices it prints are the ones the written model changed, by exactly that s, on every layout
 * (Gemm transB=0/1, MatMul [in, out], Conv filters, ConvTranspose [in, out/group, …], BN→Linear).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { EXAMPLES } from '../../examples/catalog';
import { fuse } from '../rewrite/fuse';
import { tensorDims, tensorToFloat64 } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import { foldPreview } from './pairView';
import { patternOf } from '../patterns/registry';

/** The flat row-major indices a label such as `W[0, :4]`, `W[:, 2]` or `W[1, 0, …] (first 4 of its 27 values)` names. */
function indicesNamed(at: string, dims: number[]): number[] {
  const m = /^W\[([^\]]*)\](?: \(first (\d+) of its (\d+) values\))?$/.exec(at);
  if (!m) throw new Error(`unreadable label ${at}`);
  const parts = m[1].split(', ');
  const stride = (axis: number) => dims.slice(axis + 1).reduce((a, d) => a * d, 1);
  const range = (p: string, size: number) => (p === ':' ? size : Number(p.slice(1)));
  if (parts[parts.length - 1] === '…') {
    const fixed = parts.slice(0, -1).map(Number);
    const start = fixed.reduce((a, i, axis) => a + i * stride(axis), 0);
    expect(Number(m[3])).toBe(stride(fixed.length - 1));
    return Array.from({ length: Number(m[2]) }, (_, k) => start + k);
  }
  expect(parts.length).toBe(2);
  const [a, b] = parts;
  if (a.startsWith(':')) return Array.from({ length: range(a, dims[0]) }, (_, i) => i * dims[1] + Number(b));
  return Array.from({ length: range(b, dims[1]) }, (_, j) => Number(a) * dims[1] + j);
}

function initializer(m: ModelProto, name: string): { dims: number[]; values: Float64Array } {
  const t = m.graph!.initializer.find((x) => x.name === name)!;
  return { dims: tensorDims(t), values: tensorToFloat64(t) };
}

describe('fold preview: which entries each s value scales', () => {
  const cases = EXAMPLES.flatMap((e) => {
    const a = analyzeModel(e.build());
    return a.pairs.filter((p) => p.fusable).map((p) => ({ name: `${e.id} ${p.id} (${p.pattern}, ${p.linear.kind}${p.linear.kind === 'Gemm' ? ` transB=${p.linear.transB}` : ''})`, a, p }));
  });

  it('covers every weight layout the folds use', () => {
    const layouts = new Set(cases.map((c) => patternOf(c.p).explain(c.p).weight.op));
    expect([...layouts].sort()).toEqual(['diag-left', 'diag-right', 'filters', 'grouped-axis1', 'input-channels']);
  });

  for (const { name, a, p } of cases) {
    it(name, () => {
      const numbers = foldPreview(a, p.id)!.numbers!;
      const res = fuse(a, { only: [p.id] });
      const before = initializer(a.model, p.linear.weight);
      const after = initializer(res.model, res.folded[0].weight);
      expect(numbers.weightShape).toEqual(before.dims);
      expect(numbers.slices.length).toBeGreaterThan(0);
      const half = p.linear.outputDtype === 10;
      for (const sl of numbers.slices) {
        // The label names exactly the entries shown …
        expect(indicesNamed(sl.at, before.dims), sl.at).toEqual(sl.flat);
        // … they are the model's entries before and the written model's after …
        sl.flat.forEach((i, k) => {
          expect(sl.before[k]).toBe(before.values[i]);
          // (the preview computes in float64; the model stores float32, or float16 in the float16 example)
          if (half) expect(Math.abs(sl.after[k] - after.values[i])).toBeLessThanOrEqual(1e-3 * Math.abs(after.values[i]) + 1e-7);
          else expect(Math.fround(sl.after[k])).toBe(after.values[i]);
          // … and the s value shown is the one that scaled every one of them (to float32 rounding).
          const stored = after.values[i];
          expect(Math.abs(stored - sl.s * before.values[i]), `${sl.at} entry ${k}`).toBeLessThanOrEqual((half ? 1e-3 : 1e-6) * Math.abs(stored) + 1e-7);
        });
      }
      // Slices of different features name different entries.
      expect(new Set(numbers.slices.map((s) => s.at)).size).toBe(numbers.slices.length);
    });
  }
});
