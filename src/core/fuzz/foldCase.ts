/**
 * A generated fold case as a small plain description: the input, a chain of stages (ops) applied to
 * it, where parameters come from, and who else reads an intermediate value. Plain data so it can be
 * printed, shrunk and stored as a regression case; `buildFoldCase` (foldBuild.ts) turns it into a model.
 */

export type FuzzDtype = 'float32' | 'float16' | 'float64';

/**
 * Where every float parameter comes from: an initializer, a `Constant` node, an IR-3 initializer
 * also listed as a graph input (a constant there), values computed by ConstantOfShape/Cast/Concat/
 * Reshape from constants, or (`graph-input`) one parameter fed at run time.
 */
export type ParamSource = 'initializer' | 'constant-node' | 'ir3-listed' | 'computed' | 'graph-input';

export type GemmBias = 'N' | '1N' | 'scalar' | 'none';

export type Stage =
  | { op: 'gemm'; out: number; transA: 0 | 1; transB: 0 | 1; alpha: number; beta: number; bias: GemmBias }
  /** MatMul with a [K, N] weight; `add`: a bias Add after it, the bias as its second (`x+b`) or first (`b+x`) operand. */
  | { op: 'matmul'; out: number; add: 'none' | 'x+b' | 'b+x' }
  | { op: 'conv'; transpose: boolean; out: number; group: number; kernel: number; stride: number; pad: number; dilation: number; bias: boolean }
  | { op: 'bn'; training: boolean; epsilon: number }
  | { op: 'transpose'; perm: number[] }
  | { op: 'reshape'; shape: number[] }
  | { op: 'flatten'; axis: number }
  | { op: 'squeeze'; axes: number[] }
  | { op: 'unsqueeze'; axes: number[] }
  /** An Add of a constant shaped `dims` (broadcasting to the value's shape, which it keeps). */
  | { op: 'add-const'; dims: number[] }
  /** A Mul by a constant shaped `dims`, likewise. */
  | { op: 'mul-const'; dims: number[] };

export type StageOp = Stage['op'];

/** Another reader of the value stage `at` writes (so its fold must keep that value, or refuse). */
export type SecondReader = { kind: 'none' } | { kind: 'node' | 'graph-output' | 'if-body' | 'loop-body'; at: number };

export interface FoldCase {
  /** The generator that made it (a pattern id or `chain`), for the tallies. */
  generator: string;
  opset: number;
  dtype: FuzzDtype;
  /** Input dims; dim 0 is declared symbolic (`N`) when `symbolic`, and bound to its value when run. */
  input: number[];
  symbolic: boolean;
  params: ParamSource;
  stages: Stage[];
  reader: SecondReader;
  /** Seeds the parameter values (and verify's inputs). */
  seed: number;
}

/** One line, for failure lists and regression tests. */
export function caseText(c: FoldCase): string {
  return JSON.stringify(c);
}

/** The generator features a case exercises, for the tally that shows each one occurs. */
export function caseFeatures(c: FoldCase): string[] {
  const f = new Set<string>([`gen:${c.generator}`, `opset:${c.opset}`, `dtype:${c.dtype}`, `params:${c.params}`, c.symbolic ? 'dims:symbolic' : 'dims:fixed', `reader:${c.reader.kind}`]);
  if (c.stages.filter((s) => s.op === 'bn').length > 1) f.add('bn:several');
  let rank = c.input.length;
  for (const s of c.stages) {
    f.add(`op:${s.op}`);
    switch (s.op) {
      case 'gemm':
        if (s.transA) f.add('gemm:transA');
        if (s.transB) f.add('gemm:transB');
        if (s.alpha !== 1) f.add('gemm:alpha');
        if (s.beta !== 1) f.add('gemm:beta');
        f.add(`gemm:bias-${s.bias}`);
        rank = 2;
        break;
      case 'matmul':
        f.add(`matmul:rank-${rank}`);
        f.add(`matmul:add-${s.add}`);
        break;
      case 'conv':
        f.add(`${s.transpose ? 'convtranspose' : 'conv'}:${rank - 2}d`);
        if (s.group > 1) f.add('conv:groups');
        if (s.dilation > 1) f.add('conv:dilation');
        if (s.pad > 0) f.add('conv:pads');
        if (s.stride > 1) f.add('conv:strides');
        break;
      case 'bn':
        if (s.training) f.add('bn:training');
        break;
      case 'flatten':
        rank = 2;
        break;
      case 'reshape':
        rank = s.shape.length;
        break;
      case 'squeeze':
        rank -= s.axes.length;
        break;
      case 'unsqueeze':
        rank += s.axes.length;
        break;
      case 'transpose':
      case 'add-const':
      case 'mul-const':
        break;
    }
  }
  return [...f];
}
