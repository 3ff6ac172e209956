/**
 * Seeded generators of FoldCases, one per fold pattern (and `chain`, several pairs sharing nodes).
 * Each block appends stages to the value it is given and says whether it fits that value's shape;
 * a new pattern is one more entry in BLOCKS. Sizes are often made equal on purpose (BN's channels =
 * the features on another axis) so that refused pairs are ones whose naive fold can be formed.
 */
import { seededRandom } from '../onnx/builder';
import { caseShapes, InvalidCase, stageOutput, stageProblem } from './foldBuild';
import type { FoldCase, FuzzDtype, GemmBias, ParamSource, SecondReader, Stage } from './foldCase';

interface Gen {
  rand: () => number;
  opset: number;
  dtype: FuzzDtype;
  shape: number[];
  stages: Stage[];
}

const int = (g: Gen, lo: number, hi: number): number => lo + Math.floor(g.rand() * (hi - lo + 1));
const pick = <T>(g: Gen, xs: readonly T[]): T => xs[Math.floor(g.rand() * xs.length)];
const chance = (g: Gen, p: number): boolean => g.rand() < p;

/** Appends a stage if it fits the current shape. */
function push(g: Gen, s: Stage): boolean {
  if (stageProblem(s, g.shape, g.opset, g.dtype) !== null) return false;
  g.stages.push(s);
  g.shape = stageOutput(s, g.shape);
  return true;
}

/** A feature count: often one of the shape's other sizes, so the naive fold can be formed. */
function features(g: Gen, equalTo: number | undefined): number {
  return equalTo !== undefined && chance(g, 0.5) ? equalTo : int(g, 1, 6);
}

function shuffle(g: Gen, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = int(g, 0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function linear(g: Gen, equalTo?: number): boolean {
  const out = features(g, equalTo);
  if (g.shape.length === 2 && chance(g, 0.45)) {
    const bias: GemmBias = pick(g, g.opset >= 11 ? (['N', '1N', 'scalar', 'none'] as const) : (['N', '1N', 'scalar'] as const));
    const transA = chance(g, 0.25) ? 1 : 0;
    // Gemm's transA reads the input as [K, M]: keep M (the rows) the BN's channel axis of the output.
    return push(g, { op: 'gemm', out, transA, transB: chance(g, 0.5) ? 1 : 0, alpha: chance(g, 0.3) ? pick(g, [0.5, 2, -1.5]) : 1, beta: chance(g, 0.3) ? pick(g, [0, 0.5, 3]) : 1, bias });
  }
  return push(g, { op: 'matmul', out, add: pick(g, ['none', 'none', 'x+b', 'b+x'] as const) });
}

function bn(g: Gen): boolean {
  return push(g, { op: 'bn', training: chance(g, 0.06), epsilon: pick(g, [1e-5, 1e-5, 1e-3, 0.1]) });
}

function conv(g: Gen, equalTo?: number): boolean {
  const c = g.shape[1];
  const group = pick(g, [1, 1, 1, 2, 3].filter((k) => c % k === 0));
  const out = group * Math.max(1, Math.round(features(g, equalTo) / group));
  return push(g, {
    op: 'conv',
    transpose: chance(g, 0.25),
    out,
    group,
    kernel: pick(g, [1, 1, 2, 3]),
    stride: pick(g, [1, 1, 2]),
    pad: pick(g, [0, 0, 1]),
    dilation: pick(g, [1, 1, 2]),
    bias: chance(g, 0.6),
  });
}

/** A layout op between two folds: Transpose, Reshape, Flatten, Squeeze or Unsqueeze. */
function between(g: Gen): boolean {
  const r = g.shape.length;
  switch (pick(g, ['transpose', 'reshape', 'flatten', 'squeeze', 'unsqueeze'] as const)) {
    case 'transpose':
      return push(g, { op: 'transpose', perm: shuffle(g, r) });
    case 'reshape':
      return push(g, { op: 'reshape', shape: reshapeOf(g, g.shape) });
    case 'flatten':
      return push(g, { op: 'flatten', axis: int(g, 1, r - 1) });
    case 'squeeze': {
      const ones = g.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
      return ones.length > 0 && push(g, { op: 'squeeze', axes: [pick(g, ones)] });
    }
    case 'unsqueeze':
      return push(g, { op: 'unsqueeze', axes: [int(g, 1, r)] });
  }
}

/** A shape for `[d0, C, R…]` of the same size: d0 kept or halved, C a divisor of the rest. */
function reshapeOf(g: Gen, shape: readonly number[]): number[] {
  const total = shape.reduce((a, b) => a * b, 1);
  const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const d0 = pick(g, divisors(total).filter((d) => d === shape[0] || d * 2 === shape[0] || d === 1));
  const rest = total / d0;
  const c = pick(g, divisors(rest));
  const r = rest / c;
  if (r === 1 && chance(g, 0.5)) return [d0, c];
  const r1 = pick(g, divisors(r));
  return r1 === r || chance(g, 0.5) ? [d0, c, r] : [d0, c, r1, r / r1];
}

interface Block {
  /** An input shape this block starts well from. */
  input(g: Gen): number[];
  /** Appends the block's stages; false when the current shape does not fit. */
  add(g: Gen): boolean;
}

const dim = (g: Gen) => int(g, 1, 5);
const linearInput = (g: Gen): number[] => (chance(g, 0.55) ? [dim(g), dim(g)] : Array.from({ length: int(g, 3, 4) }, () => dim(g)));
const convInput = (g: Gen): number[] => [int(g, 1, 2), int(g, 1, 6), ...Array.from({ length: int(g, 1, 3) }, () => int(g, 1, 6))];

/** Every block, by the pattern it aims at (`chain` aside): adding a pattern is one entry here. */
export const BLOCKS: Record<string, Block> = {
  'linear-bn': { input: linearInput, add: (g) => linear(g, g.shape.length > 2 ? g.shape[1] : undefined) && bn(g) },
  'linear-transpose-bn': {
    input: linearInput,
    add(g) {
      const perm = shuffle(g, g.shape.length);
      // Half the time the perm puts the features on axis 1 (the correct fold); else BN's channels are another axis, often of the features' size.
      const right = chance(g, 0.4);
      if (right) [perm[1], perm[perm.indexOf(g.shape.length - 1)]] = [g.shape.length - 1, perm[1]];
      const onAxis1 = perm[1] === g.shape.length - 1 ? undefined : stageOutput({ op: 'matmul', out: 1, add: 'none' }, g.shape)[perm[1]];
      return linear(g, onAxis1) && push(g, { op: 'transpose', perm }) && bn(g);
    },
  },
  'linear-reshape-bn': {
    input: (g) => (chance(g, 0.7) ? [dim(g), dim(g)] : [dim(g), dim(g), dim(g)]),
    add(g) {
      if (!linear(g, undefined)) return false;
      // Mostly a Reshape; sometimes a layout op the patterns do not look through (Flatten, Squeeze, Unsqueeze).
      if (chance(g, 0.75)) {
        if (!push(g, { op: 'reshape', shape: reshapeOf(g, g.shape) })) return false;
      } else if (!between(g)) return false;
      return g.shape.length >= 2 && bn(g);
    },
  },
  /**
   * onnxruntime's MatMul+BatchNormalization fusion's own trap: a bias-free MatMul on a 2-D input, then
   * a Transpose or Reshape that leaves BN's channels elsewhere but of the weight's column count.
   */
  'ort-matmul-trap': {
    input: (g) => [int(g, 2, 5), dim(g)],
    add(g) {
      const m = g.shape[0];
      // [M, N] → [N, M]: BN's channels are the rows, M of them, the weight's column count.
      if (chance(g, 0.5)) return push(g, { op: 'matmul', out: m, add: 'none' }) && push(g, { op: 'transpose', perm: [1, 0] }) && bn(g);
      const n = int(g, 1, 4);
      const r = pick(g, [1, 2, 3].filter((k) => m % k === 0));
      return push(g, { op: 'matmul', out: n, add: 'none' }) && push(g, { op: 'reshape', shape: r === 1 ? [m, n] : [m / r, n, r] }) && bn(g);
    },
  },
  'conv-bn': { input: convInput, add: (g) => conv(g) && bn(g) },
  'bn-linear': {
    input(g) {
      const s = linearInput(g);
      // In features = channels half the time, so a rank > 2 refusal can be formed naively.
      if (s.length > 2 && chance(g, 0.5)) s[s.length - 1] = s[1];
      return s;
    },
    add: (g) => bn(g) && linear(g, undefined),
  },
  'conv-add-bn': {
    input: convInput,
    add(g) {
      if (!conv(g)) return false;
      return push(g, { op: 'add-const', dims: constantDims(g) }) && bn(g);
    },
  },
  /** Linear/Conv → Mul(constant) [→ Add(constant)]: an affine BN written as two ops. */
  'linear-affine': {
    input: (g) => (chance(g, 0.5) || g.dtype === 'float64' ? linearInput(g) : convInput(g)),
    add: (g) => (g.shape.length >= 3 && g.dtype !== 'float64' && chance(g, 0.5) ? conv(g) : linear(g)) && push(g, { op: 'mul-const', dims: constantDims(g) }) && (chance(g, 0.4) || push(g, { op: 'add-const', dims: constantDims(g) })),
  },
  'bn-conv': { input: convInput, add: (g) => bn(g) && conv(g) },
};

/** A constant that broadcasts to the current value: per channel on axis 1 ([C,1,…], [1,C,1,…]), one value, or along the last axis. */
function constantDims(g: Gen): number[] {
  const r = g.shape.length;
  const c = g.shape[1];
  const last = g.shape[r - 1];
  return pick(g, [[c, ...Array<number>(r - 2).fill(1)], [1, c, ...Array<number>(r - 2).fill(1)], [1], [], [last], [...Array<number>(r - 1).fill(1), last]]);
}

/** One more op after a block, so pairs share nodes (Linear → BN → Linear, BN → Conv → BN, …). */
function atom(g: Gen): boolean {
  const r = g.shape.length;
  switch (pick(g, ['linear', 'bn', 'conv', 'between'] as const)) {
    case 'linear':
      return linear(g, r > 2 ? g.shape[1] : undefined);
    case 'bn':
      return bn(g);
    case 'conv':
      return conv(g);
    case 'between':
      return between(g);
  }
}

export const GENERATORS: readonly string[] = [...Object.keys(BLOCKS), 'chain'];

function attempt(seed: number, index: number, tries: number): FoldCase {
  const rand = seededRandom((seed * 1_000_003 + index * 7_919 + tries * 104_729) >>> 0);
  const generator = GENERATORS[Math.floor(rand() * GENERATORS.length)];
  const opset = 7 + Math.floor(rand() * 18);
  const dtype: FuzzDtype = (['float32', 'float32', 'float32', 'float16', 'float64'] as const)[Math.floor(rand() * 5)];
  const g: Gen = { rand, opset, dtype, shape: [], stages: [] };
  const first = generator === 'chain' ? BLOCKS[pick(g, Object.keys(BLOCKS))] : BLOCKS[generator];
  const input = first.input(g);
  g.shape = [...input];
  if (!first.add(g)) throw new InvalidCase('the block does not fit its own input');
  if (generator === 'chain') {
    const more = int(g, 1, 3);
    for (let k = 0; k < more; k++) atom(g);
  }
  const n = g.stages.length;
  const reader: SecondReader = n >= 2 && chance(g, 0.3) ? { kind: pick(g, ['node', 'graph-output', 'if-body', 'loop-body'] as const), at: int(g, 0, n - 2) } : { kind: 'none' };
  const sources: ParamSource[] = ['initializer', 'initializer', 'constant-node', 'graph-input', ...(opset <= 8 ? (['ir3-listed'] as const) : (['computed'] as const))];
  const c: FoldCase = { generator, opset, dtype, input, symbolic: chance(g, 0.5), params: pick(g, sources), stages: g.stages, reader, seed: int(g, 1, 1_000_000) };
  caseShapes(c);
  return c;
}

/**
 * Case `index` of the run seeded `seed`. A draw that is not a valid description (a block that does
 * not fit, a reader no opset allows) is drawn again; `retries` counts them.
 */
export function generateCase(seed: number, index: number): { case: FoldCase; retries: number } {
  for (let tries = 0; ; tries++) {
    try {
      return { case: attempt(seed, index, tries), retries: tries };
    } catch (e) {
      if (!(e instanceof InvalidCase) || tries > 50) throw e;
    }
  }
}
