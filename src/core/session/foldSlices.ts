/**
 * Which weight entries each s value scales, for the fold preview: read from the pattern's stated
 * formula (`explain`), so the page shows the pairing the fold uses — a row of a Gemm transB=1
 * weight, a column of a MatMul [in, out] weight, a Conv filter, a ConvTranspose [in, out/group, …]
 * slice, an input row or column for BN→Linear.
 */
import type { FoldFormula, ScaleMap } from '../patterns/formula';
import type { Dense } from '../patterns/types';
import type { ScaledSlice } from './types';

/** The channel of s that weight feature `n` takes. */
function channelOf(scale: ScaleMap, n: number): number {
  switch (scale.op) {
    case 'per-channel':
      return n;
    case 'uniform':
      return 0;
    case 'reshape':
      return Math.floor(n / scale.r) % scale.c;
  }
}

/** One slice: the flat indices of its first `count` entries, and its name. */
interface Slice {
  feature: number;
  what: string;
  at: string;
  flat: number[];
}

const upTo = (n: number, count: number) => Array.from({ length: Math.min(n, count) }, (_, i) => i);
/** `:4` for the first 4 of 8 entries, `:` for all of them. */
const span = (shown: number, total: number) => (shown === total ? ':' : `:${shown}`);

/** The first `slices` slices the scale acts on, each with its first `count` entries. */
function slicesOf(f: FoldFormula, dims: number[], unit: string, slices: number, count: number): Slice[] {
  const block = (from: number) => dims.slice(from).reduce((a, d) => a * d, 1);
  switch (f.weight.op) {
    case 'diag-left': {
      const [rows, cols] = dims;
      return upTo(rows, slices).map((i) => {
        const js = upTo(cols, count);
        return { feature: i, what: `row ${i} (${unit} ${i})`, at: `W[${i}, ${span(js.length, cols)}]`, flat: js.map((j) => i * cols + j) };
      });
    }
    case 'diag-right': {
      const [rows, cols] = dims;
      return upTo(cols, slices).map((j) => {
        const is = upTo(rows, count);
        return { feature: j, what: `column ${j} (${unit} ${j})`, at: `W[${span(is.length, rows)}, ${j}]`, flat: is.map((i) => i * cols + j) };
      });
    }
    case 'filters': {
      const inner = block(1);
      return upTo(dims[0], slices).map((m) => {
        const ks = upTo(inner, count);
        return { feature: m, what: `filter ${m} (${unit} ${m})`, at: `W[${m}, …] (first ${ks.length} of its ${inner} values)`, flat: ks.map((k) => m * inner + k) };
      });
    }
    case 'grouped-axis1': {
      // ConvTranspose [C, M/G, k…]: slice (c, j) belongs to output channel g(c)·(M/G) + j.
      const [cin, mg] = dims;
      const perGroup = cin / f.weight.groups;
      const inner = block(2);
      const out: Slice[] = [];
      for (let c = 0; c < cin && out.length < slices; c++) {
        for (let j = 0; j < mg && out.length < slices; j++) {
          const m = Math.floor(c / perGroup) * mg + j;
          const ks = upTo(inner, count);
          out.push({ feature: m, what: `input channel ${c}, slot ${j} (${unit} ${m})`, at: `W[${c}, ${j}, …] (first ${ks.length} of its ${inner} values)`, flat: ks.map((k) => (c * mg + j) * inner + k) });
        }
      }
      return out;
    }
    case 'input-channels': {
      // BN → Conv [M, C/G, k…]: slice (m, j) is scaled by the input channel k(m)·(C/G) + j it reads.
      const [m, cg] = dims;
      const perGroup = m / f.weight.groups;
      const inner = block(2);
      const out: Slice[] = [];
      for (let mm = 0; mm < m && out.length < slices; mm++) {
        for (let j = 0; j < cg && out.length < slices; j++) {
          const c = Math.floor(mm / perGroup) * cg + j;
          const ks = upTo(inner, count);
          out.push({ feature: c, what: `filter ${mm}, input slot ${j} (${unit} ${c})`, at: `W[${mm}, ${j}, …] (first ${ks.length} of its ${inner} values)`, flat: ks.map((k) => (mm * cg + j) * inner + k) });
        }
      }
      return out;
    }
  }
}

/** The first few scaled slices of W with their s value, before and after the fold. */
export function scaledSlices(f: FoldFormula, unit: string, before: Dense, after: Dense, s: Float64Array, slices = 3, count = 4): ScaledSlice[] {
  return slicesOf(f, before.dims, unit, slices, count).map((sl) => {
    const sIndex = channelOf(f.scale, sl.feature);
    return { what: sl.what, at: sl.at, sIndex, s: s[sIndex], flat: sl.flat, before: sl.flat.map((i) => before.values[i]), after: sl.flat.map((i) => after.values[i]) };
  });
}
