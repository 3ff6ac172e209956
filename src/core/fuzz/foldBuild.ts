/**
 * Builds a FoldCase (foldCase.ts) into a valid ONNX model with the project's builder. `stageOutput`
 * is the one shape rule for every stage: the generator uses it to pick stages that fit, the builder
 * to reject a description (a shrunk one, say) that would not be a valid model.
 */
import { float, makeNode, makeValueInfo, ModelBuilder, randomValues, seededRandom, emptyGraph } from '../onnx/builder';
import { makeFloatTensor, makeTensor, encodeInts } from '../onnx/tensor';
import { DataType, type ModelProto } from '../onnx/types';
import type { FoldCase, FuzzDtype, Stage } from './foldCase';

/** A description that is not a valid model (a shrink step that went too far, or a generator slip). */
export class InvalidCase extends Error {}

export const DTYPES: Record<FuzzDtype, number> = { float32: DataType.FLOAT, float16: DataType.FLOAT16, float64: DataType.DOUBLE };

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Where each op exists in the form the builder writes it (and onnxruntime-web runs it). */
export function stageProblem(s: Stage, shape: readonly number[], opset: number, dtype: FuzzDtype): string | null {
  const r = shape.length;
  switch (s.op) {
    case 'gemm':
      if (r !== 2) return 'Gemm takes a 2-D input';
      if (s.bias === 'none' && opset < 11) return 'Gemm’s C is optional from opset 11';
      return null;
    case 'matmul':
      return r < 2 ? 'MatMul here takes rank ≥ 2' : null;
    case 'conv': {
      if (r < 3 || r > 5) return 'Conv takes rank 3..5';
      if (dtype === 'float64') return 'onnxruntime-web has no float64 Conv';
      const c = shape[1];
      if (c % s.group !== 0 || s.out % s.group !== 0) return 'groups must divide both channel counts';
      return shape.slice(2).some((l) => convLength(s, l) < 1) ? 'the output would be empty' : null;
    }
    case 'bn':
      if (r < 2) return 'BatchNormalization takes rank ≥ 2';
      return null;
    case 'transpose':
      return s.perm.length !== r || [...s.perm].sort((a, b) => a - b).some((p, i) => p !== i) ? 'perm is not a permutation of the axes' : null;
    case 'reshape':
      return prod(s.shape) !== prod(shape) || s.shape.some((d) => d < 1) ? 'Reshape must keep the element count' : null;
    case 'flatten':
      return s.axis < 0 || s.axis > r ? 'Flatten axis out of range' : null;
    case 'squeeze':
      return s.axes.length === 0 || s.axes.some((a) => a < 0 || a >= r || shape[a] !== 1) || new Set(s.axes).size !== s.axes.length ? 'Squeeze removes size-1 axes only' : null;
    case 'unsqueeze':
      return s.axes.length === 0 || s.axes.some((a) => a < 0 || a >= r + s.axes.length) || new Set(s.axes).size !== s.axes.length ? 'Unsqueeze axes out of range' : null;
    case 'add-const':
    case 'mul-const': {
      if (s.dims.length > r) return 'the constant must not raise the rank';
      const tail = shape.slice(r - s.dims.length);
      return s.dims.some((d, i) => d !== 1 && d !== tail[i]) ? 'the constant must broadcast without changing the shape' : null;
    }
  }
}

function convLength(s: Extract<Stage, { op: 'conv' }>, l: number): number {
  const k = s.dilation * (s.kernel - 1) + 1;
  return s.transpose ? (l - 1) * s.stride - 2 * s.pad + k : Math.floor((l + 2 * s.pad - k) / s.stride) + 1;
}

/** The shape a stage writes (call stageProblem first). */
export function stageOutput(s: Stage, shape: readonly number[]): number[] {
  switch (s.op) {
    case 'gemm':
      return [s.transA ? shape[1] : shape[0], s.out];
    case 'matmul':
      return [...shape.slice(0, -1), s.out];
    case 'conv':
      return [shape[0], s.out, ...shape.slice(2).map((l) => convLength(s, l))];
    case 'bn':
    case 'add-const':
    case 'mul-const':
      return [...shape];
    case 'transpose':
      return s.perm.map((p) => shape[p]);
    case 'reshape':
      return [...s.shape];
    case 'flatten':
      return [prod(shape.slice(0, s.axis)), prod(shape.slice(s.axis))];
    case 'squeeze':
      return shape.filter((_, i) => !s.axes.includes(i));
    case 'unsqueeze': {
      const out: number[] = [];
      const rest = [...shape];
      for (let i = 0; i < shape.length + s.axes.length; i++) out.push(s.axes.includes(i) ? 1 : rest.shift()!);
      return out;
    }
  }
}

/** Every value's shape, the input's first; throws InvalidCase when a stage does not fit. */
export function caseShapes(c: FoldCase): number[][] {
  if (c.input.length < 1 || c.input.some((d) => !Number.isInteger(d) || d < 1)) throw new InvalidCase('input dims must be positive');
  if (c.opset < 7 || c.opset > 24) throw new InvalidCase('opset out of 7..24');
  const shapes = [c.input];
  for (const s of c.stages) {
    const why = stageProblem(s, shapes.at(-1)!, c.opset, c.dtype);
    if (why) throw new InvalidCase(why);
    shapes.push(stageOutput(s, shapes.at(-1)!));
  }
  if (c.reader.kind !== 'none' && (c.reader.at < 0 || c.reader.at >= c.stages.length - 1)) throw new InvalidCase('the second reader must read an intermediate value');
  if (c.params === 'computed' && c.opset < 9) throw new InvalidCase('ConstantOfShape exists from opset 9');
  if (c.params === 'ir3-listed' && c.opset > 8) throw new InvalidCase('IR version 3 goes with opsets up to 8');
  if (c.reader.kind === 'loop-body' && c.opset < 11) throw new InvalidCase('a Loop without a condition input is written from opset 11');
  return shapes;
}

/** The symbolic name of dim 0, which verify binds to `input[0]`. */
export const BATCH_DIM = 'N';

class CaseBuilder {
  readonly b: ModelBuilder;
  private paramCount = 0;
  readonly dt: number;
  constructor(readonly c: FoldCase) {
    this.dt = DTYPES[c.dtype];
    this.b = new ModelBuilder('fuzz').opset(c.opset).producerName('fusion-inspector fold fuzz');
  }

  ints(name: string, values: number[]): string {
    this.b.initInts(name, [values.length], values);
    return name;
  }

  /** A float parameter from the case's source; `positive` for a variance. */
  param(name: string, dims: number[], values: Float64Array, positive = false): string {
    const index = this.paramCount++;
    const b = this.b;
    switch (this.c.params) {
      case 'initializer':
      case 'ir3-listed':
        b.init(name, dims, values, this.dt);
        return name;
      case 'constant-node':
        b.constant(name, dims, values, this.dt);
        return name;
      case 'graph-input':
        // One parameter (the first BN's shift, or the first parameter) fed at run time; the rest are constants.
        if (index === this.graphInputIndex()) {
          b.input(name, dims, this.dt);
          return name;
        }
        b.init(name, dims, values, this.dt);
        return name;
      case 'computed': {
        if (positive) {
          // ConstantOfShape: every channel the same variance.
          b.node('ConstantOfShape', [this.ints(`${name}_shape`, dims)], [name], { value: makeFloatTensor('value', [1], [values[0]], this.dt) });
          return name;
        }
        const n = values.length;
        const half = dims.length === 1 && n >= 2 ? n >> 1 : n;
        const parts = half < n ? [values.subarray(0, half), values.subarray(half)] : [values];
        const cast = parts.map((v, i) => {
          b.constant(`${name}_d${i}`, [v.length], v, DataType.DOUBLE);
          b.node('Cast', [`${name}_d${i}`], [`${name}_c${i}`], { to: this.dt });
          return `${name}_c${i}`;
        });
        const flat = cast.length > 1 ? `${name}_flat` : cast[0];
        if (cast.length > 1) b.node('Concat', cast, [flat], { axis: 0 });
        b.node('Reshape', [flat, this.ints(`${name}_dims`, dims)], [name]);
        return name;
      }
    }
  }

  private graphInputIndex(): number {
    // Parameters are made in stage order: a BN makes 4 (scale, shift, mean, var) in that order.
    let index = 0;
    for (const s of this.c.stages) {
      if (s.op === 'bn') return index + 1;
      index += paramsOf(s);
    }
    return 0;
  }
}

function paramsOf(s: Stage): number {
  switch (s.op) {
    case 'gemm':
      return s.bias === 'none' ? 1 : 2;
    case 'matmul':
      return s.add === 'none' ? 1 : 2;
    case 'conv':
      return s.bias ? 2 : 1;
    case 'bn':
      return 4;
    case 'add-const':
    case 'mul-const':
      return 1;
    case 'transpose':
    case 'reshape':
    case 'flatten':
    case 'squeeze':
    case 'unsqueeze':
      return 0;
  }
}

function writeStage(cb: CaseBuilder, s: Stage, i: number, x: string, shape: number[], y: string): void {
  const b = cb.b;
  const rand = seededRandom(cb.c.seed * 7919 + i * 104_729 + 1);
  const vals = (dims: number[], lo = -1, hi = 1) => randomValues(rand, prod(dims), lo, hi);
  const p = (name: string, dims: number[], lo = -1, hi = 1, positive = false) => cb.param(`s${i}_${name}`, dims, vals(dims, lo, hi), positive);
  const opset = cb.c.opset;
  switch (s.op) {
    case 'gemm': {
      const k = s.transA ? shape[0] : shape[1];
      const w = p('W', s.transB ? [s.out, k] : [k, s.out]);
      const inputs = [x, w];
      if (s.bias !== 'none') inputs.push(p('C', s.bias === 'N' ? [s.out] : s.bias === '1N' ? [1, s.out] : []));
      const attrs: Record<string, number | { float: number }> = {};
      if (s.transA) attrs.transA = 1;
      if (s.transB) attrs.transB = 1;
      if (s.alpha !== 1) attrs.alpha = float(s.alpha);
      if (s.beta !== 1) attrs.beta = float(s.beta);
      b.node('Gemm', inputs, [y], attrs);
      return;
    }
    case 'matmul': {
      const w = p('W', [shape.at(-1)!, s.out]);
      if (s.add === 'none') {
        b.node('MatMul', [x, w], [y]);
        return;
      }
      b.node('MatMul', [x, w], [`${y}_mm`]);
      const bias = p('b', [s.out]);
      b.node('Add', s.add === 'x+b' ? [`${y}_mm`, bias] : [bias, `${y}_mm`], [y]);
      return;
    }
    case 'conv': {
      const d = shape.length - 2;
      const c = shape[1];
      const w = p('W', s.transpose ? [c, s.out / s.group, ...Array<number>(d).fill(s.kernel)] : [s.out, c / s.group, ...Array<number>(d).fill(s.kernel)]);
      const inputs = [x, w];
      if (s.bias) inputs.push(p('B', [s.out]));
      const attrs: Record<string, number | number[]> = { kernel_shape: Array<number>(d).fill(s.kernel) };
      if (s.group > 1) attrs.group = s.group;
      if (s.stride > 1) attrs.strides = Array<number>(d).fill(s.stride);
      if (s.pad > 0) attrs.pads = Array<number>(2 * d).fill(s.pad);
      if (s.dilation > 1) attrs.dilations = Array<number>(d).fill(s.dilation);
      b.node(s.transpose ? 'ConvTranspose' : 'Conv', inputs, [y], attrs);
      return;
    }
    case 'bn': {
      const ch = [shape[1]];
      const params = [p('scale', ch, -1.5, 1.5), p('shift', ch), p('mean', ch), p('var', ch, 0.5, 1.5, true)];
      const attrs: Record<string, number | { float: number }> = { epsilon: float(s.epsilon) };
      // Training mode: BN writes its running statistics — from opset 14 with training_mode=1 and three outputs, before it with all five.
      if (s.training && opset >= 14) attrs.training_mode = 1;
      const stats = opset >= 14 ? [`${y}_mean`, `${y}_var`] : [`${y}_mean`, `${y}_var`, `${y}_smean`, `${y}_svar`];
      b.node('BatchNormalization', [x, ...params], s.training ? [y, ...stats] : [y], attrs);
      return;
    }
    case 'transpose':
      b.node('Transpose', [x], [y], { perm: s.perm });
      return;
    case 'reshape':
      b.node('Reshape', [x, cb.ints(`s${i}_shape`, s.shape)], [y]);
      return;
    case 'flatten':
      b.node('Flatten', [x], [y], { axis: s.axis });
      return;
    case 'squeeze':
    case 'unsqueeze': {
      const op = s.op === 'squeeze' ? 'Squeeze' : 'Unsqueeze';
      if (opset >= 13) b.node(op, [x, cb.ints(`s${i}_axes`, s.axes)], [y]);
      else b.node(op, [x], [y], { axes: s.axes });
      return;
    }
    case 'add-const':
      b.node('Add', [x, p('k', s.dims)], [y]);
      return;
    case 'mul-const':
      b.node('Mul', [x, p('k', s.dims, -1.5, 1.5)], [y]);
      return;
  }
}

/** The second reader of `v`: a plain node, a graph output, or a read inside an If branch or a Loop body. */
function writeReader(cb: CaseBuilder, kind: Exclude<FoldCase['reader']['kind'], 'none'>, v: string): void {
  const b = cb.b;
  const dt = cb.dt;
  switch (kind) {
    case 'node':
      b.node('Neg', [v], ['reader_out']);
      b.output('reader_out', null, dt);
      return;
    case 'graph-output':
      b.output(v, null, dt);
      return;
    case 'if-body': {
      const branch = (name: string, op: string) => {
        const g = emptyGraph(name);
        g.node.push(makeNode(op, [v], [`${name}_out`], {}, `${name}_node`));
        g.output.push(makeValueInfo(`${name}_out`, dt, null));
        return g;
      };
      b.node('Constant', [], ['cond'], { value: makeTensor('cond', DataType.BOOL, [], new Uint8Array([1])) });
      b.node('If', ['cond'], ['reader_out'], { then_branch: branch('then', 'Identity'), else_branch: branch('else', 'Neg') });
      b.output('reader_out', null, dt);
      return;
    }
    case 'loop-body': {
      const body = emptyGraph('body');
      body.input.push(makeValueInfo('iter', DataType.INT64, []), makeValueInfo('cond_in', DataType.BOOL, []));
      body.node.push(makeNode('Identity', ['cond_in'], ['cond_out'], {}, 'body_cond'), makeNode('Identity', [v], ['scan_out'], {}, 'body_read'));
      body.output.push(makeValueInfo('cond_out', DataType.BOOL, []), makeValueInfo('scan_out', dt, null));
      b.graph.initializer.push(makeTensor('trips', DataType.INT64, [], encodeInts([1], DataType.INT64)));
      b.node('Loop', ['trips', ''], ['reader_out'], { body });
      b.output('reader_out', null, dt);
      return;
    }
  }
}

export function buildFoldCase(c: FoldCase): ModelProto {
  const shapes = caseShapes(c);
  const cb = new CaseBuilder(c);
  const b = cb.b;
  b.input('x', c.symbolic ? [BATCH_DIM, ...c.input.slice(1)] : c.input, cb.dt);
  let x = 'x';
  const values: string[] = [];
  c.stages.forEach((s, i) => {
    const y = `v${i}`;
    writeStage(cb, s, i, x, shapes[i], y);
    values.push(y);
    x = y;
  });
  b.output(x, null, cb.dt);
  if (c.reader.kind !== 'none') writeReader(cb, c.reader.kind, values[c.reader.at]);
  const model = b.build();
  if (c.params === 'ir3-listed') {
    model.irVersion = 3;
    // IR 3: every initializer is also a graph input (and a constant all the same).
    for (const t of model.graph!.initializer) model.graph!.input.push(makeValueInfo(t.name!, t.dataType, t.dims.map(Number)));
  }
  return model;
}

/** verify's options for the case: dim 0 bound to its value, and the case's seed. */
export function caseVerifyDims(c: FoldCase): { dims?: Record<string, number>; seed: number } {
  return c.symbolic ? { dims: { [BATCH_DIM]: c.input[0] }, seed: c.seed } : { seed: c.seed };
}
