/**
 * The playground: a student describes a Linear → (Transpose | Reshape) → BatchNorm case in a form,
 * and the page builds that ONNX model with the project's builder. As exporters write it, the bias
 * may be its own Add of a constant of any broadcast shape, and BatchNorm may be a Mul + Add of
 * constants of any broadcast shape: a shape onnxruntime would refuse is refused in words, a shape
 * that broadcasts along another axis is built (the rules then say BIAS_AXIS). The form is plain strings (what
 * the inputs hold, and what the URL carries); `parsePlayground` turns it into a spec or says, in
 * words, what is wrong with it.
 */
import { ModelBuilder, randomValues, seededRandom, type DimSpec } from '../core/onnx/builder';
import type { ModelProto } from '../core/onnx/types';
import { batchNorm, linear, type LinearOpts } from './parts';

export type LinearKind = LinearOpts['kind'];
export type BetweenKind = 'none' | 'transpose' | 'reshape';
/** BatchNorm as a BatchNormalization node, or as exporters decompose it: Mul(s) then Add(t). */
export type NormKind = 'batchnorm' | 'mul-add';

/** The form as typed: every field a string, as the inputs and the URL hold it. */
export interface PlaygroundForm {
  input: string;
  linear: LinearKind;
  out: string;
  between: BetweenKind;
  perm: string;
  reshape: string;
  channels: string;
  /** MatMul + Add: the bias constant's shape ('' = [out], one value per feature). */
  bias: string;
  norm: NormKind;
  /** Mul + Add: the shape of both constants ('' = [out]). */
  affine: string;
}

export type Between = { op: 'none' } | { op: 'transpose'; perm: number[] } | { op: 'reshape'; shape: number[] };

export interface PlaygroundSpec {
  input: DimSpec[];
  inFeatures: number;
  linear: LinearKind;
  out: number;
  between: Between;
  channels: number;
  /** MatMul + Add: the bias constant's dims. */
  biasDims: number[];
  norm: { op: 'batchnorm' } | { op: 'mul-add'; dims: number[] };
}

export const DEFAULT_FORM: PlaygroundForm = { input: 'batch, 3', linear: 'Gemm', out: '5', between: 'none', perm: '0, 2, 1', reshape: '-1, 5, 1', channels: '', bias: '', norm: 'batchnorm', affine: '' };

/** The largest size a field may ask for: the model stays small enough to verify at once. */
const MAX_SIZE = 512;
const MAX_ELEMENTS = 1 << 20;
const LINEARS: readonly LinearKind[] = ['Gemm', 'MatMul', 'MatMul+Add'];
const BETWEENS: readonly BetweenKind[] = ['none', 'transpose', 'reshape'];
const NORMS: readonly NormKind[] = ['batchnorm', 'mul-add'];

function list(s: string): string[] {
  return s
    .split(/[\s,×x*]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function int(s: string): number | null {
  return /^-?\d+$/.test(s.trim()) ? Number(s.trim()) : null;
}

/** A dim of a tensor the form makes: a size, or a name (`batch`, or `batch×4` for a product) known only at run time. */
export type Dim = number | string;

/**
 * BatchNorm's channel axis (axis 1 of its input) and where its channel count came from:
 * `follows` when the field is empty (the count is the axis's size), `typed` when the student set it.
 */
export interface ChannelAxis {
  /** BatchNorm's input shape, after the Linear and what stands between. */
  bnInput: Dim[];
  source: 'follows' | 'typed';
}

export type Parsed = { ok: true; spec: PlaygroundSpec; axis: ChannelAxis } | { ok: false; problems: string[]; axis: ChannelAxis | null };

const shapeText = (dims: readonly Dim[]): string => `[${dims.join(', ')}]`;

/** What the Reshape makes of the Linear's output, for every value of its named dims, or why it cannot. */
function reshaped(from: readonly Dim[], target: readonly number[]): { ok: true; shape: Dim[] } | { ok: false; problem: string } {
  const fixed: (Dim | -1)[] = [];
  for (const [i, d] of target.entries()) {
    if (d !== 0) fixed.push(d);
    else if (i < from.length) fixed.push(from[i]);
    else return { ok: false, problem: `Reshape dim ${i} is 0 (copy a dim), but the Linear’s output ${shapeText(from)} has no axis ${i}.` };
  }
  const numbers = (ds: readonly (Dim | -1)[]) => ds.filter((d): d is number => typeof d === 'number' && d > 0).reduce((a, b) => a * b, 1);
  const names = (ds: readonly (Dim | -1)[]) => ds.filter((d): d is string => typeof d === 'string');
  const total = numbers(from);
  const kept = numbers(fixed);
  // Names copied with 0 come from distinct axes of `from`, so they are a part of its names; the rest must go into the -1.
  const rest = [...names(from)];
  for (const n of names(fixed)) rest.splice(rest.indexOf(n), 1);
  const desc = `the Linear’s output ${shapeText(from)}`;
  if (!fixed.includes(-1)) {
    if (rest.length > 0) return { ok: false, problem: `Reshape to [${target.join(', ')}] fits ${desc} for one value of ${rest.join(', ')} only: keep ${rest.length > 1 ? 'them' : 'it'} with 0 (copy) or -1 (the rest).` };
    if (kept !== total) return { ok: false, problem: `Reshape cannot turn ${desc} (${total} values per ${names(from).length > 0 ? names(from).join('×') : 'model'}) into [${target.join(', ')}] (${kept}).` };
    return { ok: true, shape: fixed as Dim[] };
  }
  if (total % kept !== 0) return { ok: false, problem: `Reshape cannot turn ${desc} into [${target.join(', ')}]: ${total} is not a multiple of ${kept}, so no size fits the -1.` };
  const restSize = total / kept;
  const inferred: Dim = rest.length === 0 ? restSize : [...rest, ...(restSize === 1 ? [] : [restSize])].join('×');
  return { ok: true, shape: fixed.map((d) => (d === -1 ? inferred : d)) };
}

/** A constant's shape field: '' is [out]; else 1 to 5 sizes. */
function constantDims(field: string, out: number, what: string, problems: string[]): number[] | null {
  if (field.trim() === '') return [out];
  const dims = list(field).map(int);
  if (dims.length < 1 || dims.length > 5 || dims.some((d) => d === null || d < 1 || d > MAX_SIZE)) {
    problems.push(`${what} shape must be 1 to 5 sizes from 1 to ${MAX_SIZE} (or empty for [${out}]).`);
    return null;
  }
  return dims as number[];
}

/** Why onnxruntime would refuse `dims` broadcast onto `target` (lined up from the last axis), or null when it broadcasts. */
export function broadcastProblem(dims: readonly number[], target: readonly Dim[], what: string): string | null {
  if (dims.length > target.length) return `${what} ${shapeText(dims)} has more axes than the value it meets, ${shapeText(target)}: it would make that value bigger, so it is refused here.`;
  for (const [i, d] of dims.entries()) {
    const axis = target.length - dims.length + i;
    const t = target[axis];
    if (d === 1 || d === t) continue;
    const size = typeof t === 'number' ? `${t}` : `“${t}”, a size known only when the model runs`;
    return `${what} ${shapeText(dims)} does not broadcast against ${shapeText(target)}: lined up from the last axis, its ${d} meets axis ${axis}, which has ${size}. Each dim must be 1 or the size it meets.`;
  }
  return null;
}

export function parsePlayground(f: PlaygroundForm): Parsed {
  const problems: string[] = [];
  const input: DimSpec[] = [];
  for (const t of list(f.input)) {
    const n = int(t);
    if (n !== null) {
      if (n < 1 || n > MAX_SIZE) problems.push(`Input size ${n} must be between 1 and ${MAX_SIZE}.`);
      input.push(n);
    } else if (/^[A-Za-z_]\w*$/.test(t)) input.push(t);
    else problems.push(`Input dim “${t}” is neither a size nor a name (such as batch).`);
  }
  if (input.length < 2 || input.length > 5) problems.push(`The input needs 2 to 5 dims (BatchNorm needs a channel axis); it has ${input.length}.`);
  const last = input[input.length - 1];
  const inFeatures = typeof last === 'number' ? last : 0;
  if (input.length > 0 && typeof last !== 'number') problems.push('The input’s last dim is the Linear’s in-features: it must be a number.');
  if (!LINEARS.includes(f.linear)) problems.push(`Unknown Linear “${f.linear}”.`);
  if (f.linear === 'Gemm' && input.length !== 2) problems.push(`Gemm takes a 2-D input; for rank ${input.length} choose MatMul or MatMul + Add (a PyTorch Linear exports so).`);
  const out = int(f.out);
  if (out === null || out < 1 || out > MAX_SIZE) problems.push(`Out-features must be a number from 1 to ${MAX_SIZE}.`);
  // An empty field follows BatchNorm's axis 1; a typed count is the student's and is checked against it.
  const follows = f.channels.trim() === '';
  const typed = follows ? null : int(f.channels);
  // A Mul + Add has no BatchNormalization: a leftover channels field (from the URL) is not its problem.
  if (f.norm !== 'mul-add' && !follows && (typed === null || typed < 1 || typed > MAX_SIZE)) problems.push(`BatchNorm channels must be a number from 1 to ${MAX_SIZE} (or empty, to follow BatchNorm’s axis 1).`);
  const known = input.filter((d): d is number => typeof d === 'number');
  if (known.reduce((a, b) => a * b, 1) * Math.max(out ?? 1, 1) > MAX_ELEMENTS) problems.push('That model is too large for the playground; use smaller sizes.');

  // The shape BatchNorm reads: the Linear's output, then the Transpose or Reshape; null once something before it is wrong.
  const sane = problems.length === 0 && out !== null;
  const linearOut: Dim[] = sane ? [...(input.slice(0, -1) as Dim[]), out] : [];
  let bnInput: Dim[] | null = sane ? linearOut : null;
  let between: Between = { op: 'none' };
  if (!BETWEENS.includes(f.between)) problems.push(`Unknown op between Linear and BatchNorm: “${f.between}”.`);
  else if (f.between === 'transpose') {
    const perm = list(f.perm).map(int);
    const r = input.length;
    const ok = perm.length === r && perm.every((p) => p !== null && p >= 0 && p < r) && new Set(perm).size === r;
    if (!ok) {
      problems.push(`The Transpose perm must order the ${r} axes 0…${r - 1}, each once (for example ${[0, ...Array.from({ length: r - 1 }, (_, i) => r - 1 - i)].join(', ')}).`);
      bnInput = null;
    } else {
      between = { op: 'transpose', perm: perm as number[] };
      bnInput = bnInput && (perm as number[]).map((p) => linearOut[p]);
    }
  } else if (f.between === 'reshape') {
    const shape = list(f.reshape).map(int);
    bnInput = null;
    if (shape.length < 2 || shape.length > 5 || shape.some((d) => d === null || d < -1)) problems.push('The Reshape target needs 2 to 5 whole numbers (-1 once for “the rest”, 0 to copy a dim).');
    else if (shape.filter((d) => d === -1).length > 1) problems.push('Only one Reshape dim may be -1.');
    else {
      const target = shape as number[];
      between = { op: 'reshape', shape: target };
      if (sane) {
        // ONNX Runtime refuses a Reshape whose element counts disagree: for a named dim, they must agree for every value of it.
        const r = reshaped(linearOut, target);
        if (r.ok) bnInput = r.shape;
        else problems.push(r.problem);
      }
    }
  }
  let biasDims: number[] = out !== null ? [out] : [];
  if (f.linear === 'MatMul+Add' && sane) {
    const d = constantDims(f.bias, out, 'The bias Add’s', problems);
    const why = d && broadcastProblem(d, linearOut, 'The bias Add’s constant');
    if (why) problems.push(why);
    if (d) biasDims = d;
  }
  if (!NORMS.includes(f.norm)) problems.push(`Unknown normalization “${f.norm}”.`);
  const mulAdd = f.norm === 'mul-add';
  let norm: PlaygroundSpec['norm'] = { op: 'batchnorm' };
  if (mulAdd && f.between !== 'none') problems.push('A Mul + Add is folded only straight after the Linear: choose nothing between them, or BatchNormalization.');
  else if (mulAdd && sane) {
    const d = constantDims(f.affine, out, 'The Mul’s and Add’s', problems);
    const why = d && broadcastProblem(d, linearOut, 'The Mul’s and Add’s constant');
    if (why) problems.push(why);
    if (d) norm = { op: 'mul-add', dims: d };
  }
  if (mulAdd) {
    // No BatchNormalization: its channel axis and count do not apply.
    if (problems.length > 0 || out === null) return { ok: false, problems, axis: null };
    return { ok: true, spec: { input, inFeatures, linear: f.linear, out, between, channels: 0, biasDims, norm }, axis: { bnInput: linearOut, source: 'follows' } };
  }
  const axis: ChannelAxis | null = bnInput && { bnInput, source: follows ? 'follows' : 'typed' };
  const after = f.between === 'none' ? 'the Linear’s output' : `after the ${f.between === 'transpose' ? 'Transpose' : 'Reshape'}, BatchNorm’s input`;
  const axis1 = bnInput?.[1];
  let channels: number | null = typed;
  if (bnInput && typeof axis1 === 'string')
    problems.push(
      `BatchNorm would normalize axis 1 of ${shapeText(bnInput)} (${after}), and that axis is “${axis1}”, a size known only when the model runs: BatchNorm needs a fixed number of channels. Bring a numbered dim to axis 1.`,
    );
  else if (bnInput && typeof axis1 === 'number') {
    if (follows) channels = axis1;
    else if (typed !== null && typed !== axis1)
      problems.push(`BatchNorm has ${typed} channels, but it normalizes axis 1 of ${shapeText(bnInput)} (${after}), which has ${axis1}: set channels to ${axis1}, or clear the field to follow axis 1.`);
  }
  if (problems.length > 0 || out === null || channels === null || !axis) return { ok: false, problems, axis };
  return { ok: true, spec: { input, inFeatures, linear: f.linear, out, between, channels, biasDims, norm }, axis };
}

/** The words beside the channels field: what BatchNorm normalizes, and whether the count follows it. */
export function channelsHint(axis: ChannelAxis | null): string {
  if (!axis) return 'Empty: follows the size of axis 1 of BatchNorm’s input.';
  const size = axis.bnInput[1];
  const where = `BatchNorm normalizes axis 1 of ${shapeText(axis.bnInput)}`;
  switch (axis.source) {
    case 'follows':
      return typeof size === 'number' ? `${where}: ${size} channels, following that axis (type a number to set it yourself).` : `${where}.`;
    case 'typed':
      return `${where}; clear the field to follow that axis.`;
  }
}

/** The model the form describes: x → Linear → [Transpose | Reshape] → BatchNormalization (or Mul → Add) → y. */
export function buildPlayground(s: PlaygroundSpec): ModelProto {
  const b = new ModelBuilder('playground').opset(17).producerName('fusion-inspector playground');
  const r = seededRandom(7);
  b.input('x', s.input).output('y');
  const h = s.linear === 'Gemm' ? '/fc/Gemm_output_0' : s.linear === 'MatMul' ? '/fc/MatMul_output_0' : '/fc/Add_output_0';
  if (s.linear === 'MatMul+Add') {
    // The bias as its own Add of a constant of the shape the student typed.
    linear(b, r, 'fc', 'x', '/fc/MatMul_output_0', { kind: 'MatMul', inF: s.inFeatures, outF: s.out });
    b.init('fc.bias', s.biasDims, randomValues(r, count(s.biasDims), -0.5, 0.5));
    b.node('Add', ['/fc/MatMul_output_0', 'fc.bias'], [h], {}, '/fc/Add');
  } else linear(b, r, 'fc', 'x', h, { kind: s.linear, inF: s.inFeatures, outF: s.out });
  if (s.norm.op === 'mul-add') {
    b.init('bn.s', s.norm.dims, randomValues(r, count(s.norm.dims), 0.5, 1.5));
    b.node('Mul', [h, 'bn.s'], ['/bn/Mul_output_0'], {}, '/bn/Mul');
    b.init('bn.t', s.norm.dims, randomValues(r, count(s.norm.dims), -0.5, 0.5));
    b.node('Add', ['/bn/Mul_output_0', 'bn.t'], ['y'], {}, '/bn/Add');
    return b.build();
  }
  let x = h;
  switch (s.between.op) {
    case 'none':
      break;
    case 'transpose':
      b.node('Transpose', [h], ['/Transpose_output_0'], { perm: s.between.perm }, '/Transpose');
      x = '/Transpose_output_0';
      break;
    case 'reshape':
      b.initInts('/Constant_output_0', [s.between.shape.length], s.between.shape);
      b.node('Reshape', [h, '/Constant_output_0'], ['/Reshape_output_0'], {}, '/Reshape');
      x = '/Reshape_output_0';
      break;
  }
  batchNorm(b, r, 'bn', x, 'y', { channels: s.channels });
  return b.build();
}

const KEYS: Record<keyof PlaygroundForm, string> = { input: 'in', linear: 'lin', out: 'out', between: 'mid', perm: 'perm', reshape: 'shape', channels: 'c', bias: 'bias', norm: 'norm', affine: 'aff' };

/** The form as URL parameters (a teacher's exercise link). */
export function playgroundParams(f: PlaygroundForm): Record<string, string> {
  const p: Record<string, string> = {};
  for (const k of Object.keys(KEYS) as (keyof PlaygroundForm)[]) p[KEYS[k]] = f[k];
  return p;
}

/** The form from URL parameters; what is missing takes the default. */
export function playgroundFromParams(get: (key: string) => string | null): PlaygroundForm {
  const f: PlaygroundForm = { ...DEFAULT_FORM };
  const lin = get(KEYS.linear);
  const mid = get(KEYS.between);
  const norm = get(KEYS.norm);
  return {
    input: get(KEYS.input) ?? f.input,
    linear: lin && (LINEARS as readonly string[]).includes(lin) ? (lin as LinearKind) : f.linear,
    out: get(KEYS.out) ?? f.out,
    between: mid && (BETWEENS as readonly string[]).includes(mid) ? (mid as BetweenKind) : f.between,
    perm: get(KEYS.perm) ?? f.perm,
    reshape: get(KEYS.reshape) ?? f.reshape,
    channels: get(KEYS.channels) ?? f.channels,
    bias: get(KEYS.bias) ?? f.bias,
    norm: norm && (NORMS as readonly string[]).includes(norm) ? (norm as NormKind) : f.norm,
    affine: get(KEYS.affine) ?? f.affine,
  };
}

export const PLAYGROUND_KEYS: readonly string[] = Object.values(KEYS);
