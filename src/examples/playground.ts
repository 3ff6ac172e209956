/**
 * The playground: a student describes a Linear → (Transpose | Reshape) → BatchNorm case in a form,
 * and the page builds that ONNX model with the project's builder. The form is plain strings (what
 * the inputs hold, and what the URL carries); `parsePlayground` turns it into a spec or says, in
 * words, what is wrong with it.
 */
import { ModelBuilder, seededRandom, type DimSpec } from '../core/onnx/builder';
import type { ModelProto } from '../core/onnx/types';
import { batchNorm, linear, type LinearOpts } from './parts';

export type LinearKind = LinearOpts['kind'];
export type BetweenKind = 'none' | 'transpose' | 'reshape';

/** The form as typed: every field a string, as the inputs and the URL hold it. */
export interface PlaygroundForm {
  input: string;
  linear: LinearKind;
  out: string;
  between: BetweenKind;
  perm: string;
  reshape: string;
  channels: string;
}

export type Between = { op: 'none' } | { op: 'transpose'; perm: number[] } | { op: 'reshape'; shape: number[] };

export interface PlaygroundSpec {
  input: DimSpec[];
  inFeatures: number;
  linear: LinearKind;
  out: number;
  between: Between;
  channels: number;
}

export const DEFAULT_FORM: PlaygroundForm = { input: 'batch, 3', linear: 'Gemm', out: '5', between: 'none', perm: '0, 2, 1', reshape: '-1, 5, 1', channels: '5' };

/** The largest size a field may ask for: the model stays small enough to verify at once. */
const MAX_SIZE = 512;
const MAX_ELEMENTS = 1 << 20;
const LINEARS: readonly LinearKind[] = ['Gemm', 'MatMul', 'MatMul+Add'];
const BETWEENS: readonly BetweenKind[] = ['none', 'transpose', 'reshape'];

function list(s: string): string[] {
  return s
    .split(/[\s,×x*]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

function int(s: string): number | null {
  return /^-?\d+$/.test(s.trim()) ? Number(s.trim()) : null;
}

export type Parsed = { ok: true; spec: PlaygroundSpec } | { ok: false; problems: string[] };

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
  const channels = int(f.channels);
  if (channels === null || channels < 1 || channels > MAX_SIZE) problems.push(`BatchNorm channels must be a number from 1 to ${MAX_SIZE}.`);
  const known = input.filter((d): d is number => typeof d === 'number');
  if (known.reduce((a, b) => a * b, 1) * Math.max(out ?? 1, 1) > MAX_ELEMENTS) problems.push('That model is too large for the playground; use smaller sizes.');

  let between: Between = { op: 'none' };
  if (!BETWEENS.includes(f.between)) problems.push(`Unknown op between Linear and BatchNorm: “${f.between}”.`);
  else if (f.between === 'transpose') {
    const perm = list(f.perm).map(int);
    const r = input.length;
    const ok = perm.length === r && perm.every((p) => p !== null && p >= 0 && p < r) && new Set(perm).size === r;
    if (!ok) problems.push(`The Transpose perm must order the ${r} axes 0…${r - 1}, each once (for example ${[0, ...Array.from({ length: r - 1 }, (_, i) => r - 1 - i)].join(', ')}).`);
    else between = { op: 'transpose', perm: perm as number[] };
  } else if (f.between === 'reshape') {
    const shape = list(f.reshape).map(int);
    if (shape.length < 2 || shape.length > 5 || shape.some((d) => d === null || d < -1)) problems.push('The Reshape target needs 2 to 5 whole numbers (-1 once for “the rest”, 0 to copy a dim).');
    else if (shape.filter((d) => d === -1).length > 1) problems.push('Only one Reshape dim may be -1.');
    else {
      const target = shape as number[];
      // With every input size known, the element counts must agree (ONNX Runtime would refuse to run it).
      const outShape = [...input.slice(0, -1), out ?? 0];
      if (outShape.every((d): d is number => typeof d === 'number')) {
        const total = outShape.reduce((a, b) => a * b, 1);
        const fixed = target.map((d, i) => (d === 0 ? (outShape[i] ?? 0) : d));
        const known2 = fixed.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        if (fixed.includes(-1) ? known2 === 0 || total % known2 !== 0 : known2 !== total) problems.push(`Reshape cannot turn the Linear’s ${total} values (${outShape.join('×')}) into [${target.join(', ')}].`);
      }
      between = { op: 'reshape', shape: target };
    }
  }
  if (problems.length > 0 || out === null || channels === null) return { ok: false, problems };
  return { ok: true, spec: { input, inFeatures, linear: f.linear, out, between, channels } };
}

/** The model the form describes: x → Linear → [Transpose | Reshape] → BatchNormalization → y. */
export function buildPlayground(s: PlaygroundSpec): ModelProto {
  const b = new ModelBuilder('playground').opset(17).producerName('fusion-inspector playground');
  const r = seededRandom(7);
  b.input('x', s.input).output('y');
  const h = s.linear === 'Gemm' ? '/fc/Gemm_output_0' : s.linear === 'MatMul' ? '/fc/MatMul_output_0' : '/fc/Add_output_0';
  linear(b, r, 'fc', 'x', h, { kind: s.linear, inF: s.inFeatures, outF: s.out });
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

const KEYS: Record<keyof PlaygroundForm, string> = { input: 'in', linear: 'lin', out: 'out', between: 'mid', perm: 'perm', reshape: 'shape', channels: 'c' };

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
  return {
    input: get(KEYS.input) ?? f.input,
    linear: lin && (LINEARS as readonly string[]).includes(lin) ? (lin as LinearKind) : f.linear,
    out: get(KEYS.out) ?? f.out,
    between: mid && (BETWEENS as readonly string[]).includes(mid) ? (mid as BetweenKind) : f.between,
    perm: get(KEYS.perm) ?? f.perm,
    reshape: get(KEYS.reshape) ?? f.reshape,
    channels: get(KEYS.channels) ?? f.channels,
  };
}

export const PLAYGROUND_KEYS: readonly string[] = Object.values(KEYS);
