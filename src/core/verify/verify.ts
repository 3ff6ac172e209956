/**
 * Proof of equivalence: run the original and the fused model with onnxruntime-web on the same
 * inputs and compare every graph output. An element fails only if its error exceeds both `atol`
 * and `rtol`·max|reference| (relative error is normalized by the output's largest magnitude).
 */
import { readModel } from '../onnx/modelIO';
import { halfToFloat, floatToHalf } from '../onnx/float16';
import { dtypeName, toNumber } from '../onnx/tensor';
import { DataType, type ModelProto, type ValueInfoProto } from '../onnx/types';
import { seededRandom } from '../onnx/builder';
import type { ExternalDataEntry } from '../onnx/externalData';
import { formatShape, typeFromProto } from '../graph/dims';
import { createSession, makeOrtTensor, startRuntime, type OrtSession, type OrtTensor, type OrtTensorType } from './ortSession';

export interface UserInput {
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint>;
}

export interface VerifyOptions {
  seed?: number;
  rtol?: number;
  atol?: number;
  /** Values for symbolic or unknown dims, by name (`batch`) or `input:axis` (`x:0`). */
  dims?: Record<string, number>;
  /** Inputs to use instead of random ones. */
  inputs?: Record<string, UserInput>;
  /** Timed runs per model (median reported). */
  runs?: number;
  onProgress?: (stage: string, fraction: number) => void;
  /** External data files both models read (the fused model keeps the original's references). */
  externalData?: readonly ExternalDataEntry[];
}

export interface ModelTiming {
  createMs: number;
  /** Median over the timed runs. */
  runMs: number;
}

export interface OutputComparison {
  name: string;
  dtype: string;
  dims: number[];
  maxAbsError: number;
  maxRelError: number;
  meanAbsError: number;
  /** Largest |reference| value, the denominator of the relative error. */
  maxAbsReference: number;
  /** Elements that are NaN/Inf in one output but not the other. */
  nonFiniteMismatches: number;
  rtol: number;
  atol: number;
  pass: boolean;
}

export interface VerifyReport {
  pass: boolean;
  seed: number;
  inputs: { name: string; dtype: string; dims: number[]; source: 'random' | 'user' }[];
  /** How each dynamic dimension was set. */
  dims: { name: string; value: number; defaulted: boolean }[];
  outputs: OutputComparison[];
  /** The one-time start of onnxruntime (its wasm) before the first session; 0 when it was already running. */
  runtimeStartMs: number;
  original: ModelTiming;
  fused: ModelTiming;
  /** Things that made the comparison impossible (missing outputs, inputs we cannot invent). */
  problems: string[];
}

export const DEFAULT_DIM_VALUE = 2;

/** Tolerances suited to each dtype. */
export function defaultTolerance(dtype: number | undefined): { rtol: number; atol: number } {
  switch (dtype) {
    case DataType.FLOAT16:
      return { rtol: 1e-2, atol: 1e-3 };
    case DataType.BFLOAT16:
      return { rtol: 5e-2, atol: 1e-2 };
    case DataType.DOUBLE:
      return { rtol: 1e-10, atol: 1e-12 };
    case DataType.FLOAT:
      return { rtol: 1e-5, atol: 1e-6 };
    default:
      return { rtol: 0, atol: 0 };
  }
}

const ORT_TYPES: Partial<Record<number, OrtTensorType>> = {
  [DataType.FLOAT]: 'float32',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.INT64]: 'int64',
  [DataType.INT32]: 'int32',
  [DataType.BOOL]: 'bool',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
};

export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

interface InputSpec {
  name: string;
  dtype: number;
  dims: number[];
}

function inputSpecs(model: ModelProto, opts: VerifyOptions, dimsUsed: Map<string, { value: number; defaulted: boolean }>): InputSpec[] {
  const g = model.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  return g.input
    .filter((vi) => vi.name && !inits.has(vi.name))
    .map((vi) => {
      const name = vi.name!;
      const tt = vi.type?.tensorType;
      if (!tt || tt.elemType === undefined) throw new VerifyError(`Input "${name}" is not a tensor with a known element type; supply it with its dims.`);
      const user = opts.inputs?.[name];
      if (user) return { name, dtype: tt.elemType, dims: user.dims };
      if (!tt.shape) throw new VerifyError(`Input "${name}" has no declared shape; supply its values or dims.`);
      const dims = tt.shape.dim.map((d, axis) => {
        if (d.dimValue !== undefined) return toNumber(d.dimValue);
        const key = d.dimParam ? d.dimParam : `${name}:${axis}`;
        const given = opts.dims?.[key];
        const value = given ?? DEFAULT_DIM_VALUE;
        dimsUsed.set(key, { value, defaulted: given === undefined });
        return value;
      });
      return { name, dtype: tt.elemType, dims };
    });
}

function randomTensor(spec: InputSpec, rand: () => number): OrtTensor {
  const n = spec.dims.reduce((a, b) => a * b, 1);
  const type = ORT_TYPES[spec.dtype];
  switch (spec.dtype) {
    case DataType.FLOAT:
      return makeOrtTensor('float32', Float32Array.from({ length: n }, () => rand() * 2 - 1), spec.dims);
    case DataType.DOUBLE:
      return makeOrtTensor('float64', Float64Array.from({ length: n }, () => rand() * 2 - 1), spec.dims);
    case DataType.FLOAT16:
      return makeOrtTensor('float16', Uint16Array.from({ length: n }, () => floatToHalf(rand() * 2 - 1)), spec.dims);
    case DataType.BOOL:
      return makeOrtTensor('bool', Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)), spec.dims);
    default:
      throw new VerifyError(
        `Input "${spec.name}" is ${dtypeName(spec.dtype)}${type ? '' : ' (not supported by onnxruntime-web)'}: random values would be meaningless (it may be a shape or an index); supply its values.`,
      );
  }
}

function userTensor(spec: InputSpec, u: UserInput): OrtTensor {
  const type = ORT_TYPES[spec.dtype];
  if (!type) throw new VerifyError(`Input "${spec.name}" has type ${dtypeName(spec.dtype)}, which onnxruntime-web cannot take.`);
  const n = u.dims.reduce((a, b) => a * b, 1);
  if (u.data.length !== n) throw new VerifyError(`Input "${spec.name}": dims ${JSON.stringify(u.dims)} need ${n} values, got ${u.data.length}.`);
  const vals = Array.from(u.data as ArrayLike<number | bigint>);
  switch (type) {
    case 'float32':
      return makeOrtTensor(type, Float32Array.from(vals, Number), u.dims);
    case 'float64':
      return makeOrtTensor(type, Float64Array.from(vals, Number), u.dims);
    case 'float16':
      return makeOrtTensor(type, Uint16Array.from(vals, (v) => floatToHalf(Number(v))), u.dims);
    case 'int64':
      return makeOrtTensor(type, BigInt64Array.from(vals, (v) => BigInt(v)), u.dims);
    case 'int32':
      return makeOrtTensor(type, Int32Array.from(vals, Number), u.dims);
    case 'int8':
      return makeOrtTensor(type, Int8Array.from(vals, Number), u.dims);
    default:
      return makeOrtTensor(type, Uint8Array.from(vals, Number), u.dims);
  }
}

function toFloat64(t: OrtTensor): Float64Array {
  const d = t.data;
  if (t.type === 'float16' && d instanceof Uint16Array) return Float64Array.from(d, halfToFloat);
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Float64Array.from(d, Number);
  if (Array.isArray(d)) throw new VerifyError(`Output of type ${t.type} cannot be compared numerically.`);
  return Float64Array.from(d as ArrayLike<number>);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Outputs = Record<string, OrtTensor>;

/** At least two runs: the first and last results also show whether the model is deterministic. */
async function timedRuns(session: OrtSession, feeds: Outputs, runs: number): Promise<{ first: Outputs; result: Outputs; runMs: number }> {
  let first: Outputs | undefined;
  let result: Outputs = {};
  const times: number[] = [];
  for (let i = 0; i < Math.max(2, runs); i++) {
    const t0 = performance.now();
    result = (await session.run(feeds)) as Outputs;
    times.push(performance.now() - t0);
    first ??= result;
  }
  return { first: first!, result, runMs: median(times) };
}

export function compareOutput(name: string, dtype: number | undefined, a: OrtTensor, b: OrtTensor, rtolIn?: number, atolIn?: number): OutputComparison {
  const tol = defaultTolerance(dtype);
  const rtol = rtolIn ?? tol.rtol;
  const atol = atolIn ?? tol.atol;
  const x = toFloat64(a);
  const y = toFloat64(b);
  const dimsA = [...a.dims];
  const sameShape = dimsA.length === b.dims.length && dimsA.every((d, i) => d === b.dims[i]);
  let maxRef = 0;
  for (const v of x) if (Number.isFinite(v)) maxRef = Math.max(maxRef, Math.abs(v));
  let maxAbs = 0;
  let sumAbs = 0;
  let nonFinite = 0;
  let failing = 0;
  const n = sameShape ? x.length : 0;
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (!Number.isFinite(p) || !Number.isFinite(q)) {
      if (!Object.is(p, q) && !(Number.isNaN(p) && Number.isNaN(q))) nonFinite++;
      continue;
    }
    const e = Math.abs(p - q);
    maxAbs = Math.max(maxAbs, e);
    sumAbs += e;
    if (e > atol && e > rtol * maxRef) failing++;
  }
  const maxRel = maxRef > 0 ? maxAbs / maxRef : maxAbs > 0 ? Infinity : 0;
  return {
    name,
    dtype: dtypeName(dtype),
    dims: dimsA,
    maxAbsError: sameShape ? maxAbs : Infinity,
    maxRelError: sameShape ? maxRel : Infinity,
    meanAbsError: n > 0 ? sumAbs / n : sameShape ? 0 : Infinity,
    maxAbsReference: maxRef,
    nonFiniteMismatches: nonFinite,
    rtol,
    atol,
    pass: sameShape && failing === 0 && nonFinite === 0,
  };
}

/** A declared input as text: `float32 [batch, 3]`. */
function inputText(vi: ValueInfoProto): string {
  const t = typeFromProto(vi.type);
  return `${dtypeName(t.dtype)} ${formatShape(t.shape)}`;
}

/** Why two models cannot be fed the same inputs (named, with both types), or null. */
export function inputMismatch(a: ModelProto, b: ModelProto): string | null {
  const inputs = (m: ModelProto) => {
    const inits = new Set(m.graph!.initializer.map((t) => t.name));
    return new Map(m.graph!.input.filter((vi) => vi.name && !inits.has(vi.name)).map((vi) => [vi.name!, inputText(vi)]));
  };
  const ia = inputs(a);
  const ib = inputs(b);
  for (const [name, t] of ia) {
    const u = ib.get(name);
    if (u === undefined) return `input "${name}" (${t}) of the first model is not an input of the second`;
    if (u !== t) return `input "${name}" is ${t} in the first model but ${u} in the second`;
  }
  for (const [name, t] of ib) if (!ia.has(name)) return `input "${name}" (${t}) of the second model is not an input of the first`;
  return null;
}

/** Runs both models on the same inputs and compares every graph output of the original. */
export async function verify(originalBytes: Uint8Array, fusedBytes: Uint8Array, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const progress = opts.onProgress ?? (() => {});
  const seed = opts.seed ?? 42;
  const runs = opts.runs ?? 5;
  const original = readModel(originalBytes);
  const mismatch = inputMismatch(original, readModel(fusedBytes));
  if (mismatch) throw new VerifyError(`The models cannot be compared: ${mismatch}.`);
  const dimsUsed = new Map<string, { value: number; defaulted: boolean }>();
  const specs = inputSpecs(original, opts, dimsUsed);
  const rand = seededRandom(seed);
  const feeds: Record<string, OrtTensor> = {};
  for (const s of specs) {
    const u = opts.inputs?.[s.name];
    feeds[s.name] = u ? userTensor(s, u) : randomTensor(s, rand);
  }

  progress('Starting onnxruntime', 0.02);
  const runtimeStartMs = await startRuntime();
  progress('Creating the original model’s session', 0.05);
  let t0 = performance.now();
  const sa = await createSession(originalBytes, opts.externalData);
  const createA = performance.now() - t0;
  progress('Creating the fused model’s session', 0.3);
  t0 = performance.now();
  const sb = await createSession(fusedBytes, opts.externalData);
  const createB = performance.now() - t0;
  try {
    progress('Running the original model', 0.55);
    const ra = await timedRuns(sa, feeds, runs);
    progress('Running the fused model', 0.75);
    const rb = await timedRuns(sb, feeds, runs);
    progress('Comparing outputs', 0.95);
    const problems: string[] = [];
    const outTypes = new Map(original.graph!.output.map((o) => [o.name, o.type?.tensorType?.elemType]));
    const outputs: OutputComparison[] = [];
    const unstable = sa.outputNames.filter((name) => !compareOutput(name, undefined, ra.first[name], ra.result[name], 0, 0).pass);
    if (unstable.length > 0) {
      const random = original.graph!.node.filter((n) => /^(Dropout|RandomNormal|RandomUniform|RandomNormalLike|RandomUniformLike|Bernoulli|Multinomial)$/.test(n.opType ?? ''));
      problems.push(
        `The original model gives different outputs for the same inputs (${unstable.map((n) => `"${n}"`).join(', ')})` +
          (random.length > 0 ? `: it contains random ops (${[...new Set(random.map((n) => n.opType))].join(', ')}), e.g. Dropout in training mode.` : '.') +
          ' No comparison can prove equivalence.',
      );
    }
    for (const name of sa.outputNames) {
      const a = ra.result[name];
      const b = rb.result[name];
      if (!b) {
        problems.push(`The fused model has no output "${name}".`);
        continue;
      }
      const dt = outTypes.get(name) ?? onnxTypeOf(a);
      outputs.push(compareOutput(name, dt, a, b, opts.rtol, opts.atol));
    }
    progress('Done', 1);
    return {
      pass: problems.length === 0 && outputs.every((o) => o.pass),
      seed,
      inputs: specs.map((s) => ({ name: s.name, dtype: dtypeName(s.dtype), dims: s.dims, source: opts.inputs?.[s.name] ? 'user' : 'random' })),
      dims: [...dimsUsed].map(([name, v]) => ({ name, ...v })),
      outputs,
      runtimeStartMs,
      original: { createMs: createA, runMs: ra.runMs },
      fused: { createMs: createB, runMs: rb.runMs },
      problems,
    };
  } finally {
    await sa.release();
    await sb.release();
  }
}

function onnxTypeOf(t: OrtTensor): number | undefined {
  const entry = Object.entries(ORT_TYPES).find(([, v]) => v === t.type);
  return entry ? Number(entry[0]) : undefined;
}
