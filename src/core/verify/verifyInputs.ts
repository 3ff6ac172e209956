/**
 * The inputs of a verify run, resolved once for every caller (verify, per-value checks, ort-check):
 * the values the caller gave (typed values, tensors read from files) fitted to the model's declared
 * inputs, symbolic dims bound by them or by `dims`, and seeded random floats for the rest; with a
 * description of each (where it came from, its shape, dtype and a summary of its values).
 */
import { seededRandom } from '../onnx/builder';
import { floatToHalf } from '../onnx/float16';
import { dtypeName, toNumber } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import {
  dtypeOfOnnx,
  shapeText,
  summarizeValues,
  type TensorDataOf,
  type TensorDtype,
  type TensorValue,
  type ValueSummary,
} from '../tensorFiles/tensorValue';
import { makeOrtTensor, type OrtTensor } from './ortSession';

/** Numbers for an input in a shape the caller states; converted to the model's dtype. */
export interface UserInput {
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint>;
}

/** Numbers for an input in its declared shape (a scalar for `[]` or `[1]`); converted to the model's dtype. */
export interface ValuesInput {
  values: readonly number[];
}

/** A tensor read from a file: the report names the file. */
export interface FileInput {
  file: string;
  tensor: TensorValue;
}

/** A given input: typed values, a tensor (as `readNpy`/`readTensorProto` return it) or a tensor from a file. */
export type InputValue = TensorValue | UserInput | ValuesInput | FileInput;

export interface InputOptions {
  seed?: number;
  /** Values for symbolic or unknown dims, by name (`batch`) or `input:axis` (`x:0`). */
  dims?: Record<string, number>;
  inputs?: Record<string, InputValue>;
}

/** Where an input's values came from. */
export type InputOrigin = { kind: 'random'; seed: number } | { kind: 'values' } | { kind: 'file'; file: string };

export interface InputUsed {
  name: string;
  dtype: string;
  dims: number[];
  /** `user` for every given input (kept for earlier readers; `origin` says which kind). */
  source: 'random' | 'user';
  origin: InputOrigin;
  summary: ValueSummary;
}

export interface DimUsed {
  name: string;
  value: number;
  defaulted: boolean;
  /** `input`: bound by the shape of a given input; `option`: `dims`; `default`: DEFAULT_DIM_VALUE. */
  setBy: 'default' | 'option' | 'input';
}

export interface ResolvedInputs {
  feeds: Record<string, OrtTensor>;
  tensors: Record<string, TensorValue>;
  inputs: InputUsed[];
  dims: DimUsed[];
}

export const DEFAULT_DIM_VALUE = 2;
export const DEFAULT_SEED = 42;

export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

/** What is wrong with the inputs asked for, so that callers can tell usage from data. */
export type InputProblem = 'unknown-input' | 'unknown-output' | 'unknown-dim' | 'shape' | 'dtype' | 'values' | 'needs-values';

export class VerifyInputError extends VerifyError {
  constructor(
    readonly problem: InputProblem,
    /** The input concerned (for `unknown-dim` the dim's name, for `unknown-output` the output's). */
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/** A model input as declared: each dim a size, a symbolic name, or null (unknown). */
export interface DeclaredInput {
  name: string;
  elemType: number;
  shape: (number | string | null)[] | null;
}

export function declaredInputs(model: ModelProto): DeclaredInput[] {
  const g = model.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  return g.input
    .filter((vi) => vi.name && !inits.has(vi.name))
    .map((vi) => {
      const name = vi.name!;
      const tt = vi.type?.tensorType;
      if (!tt || tt.elemType === undefined) throw new VerifyInputError('dtype', name, `Input "${name}" is not a tensor with a known element type.`);
      const shape = tt.shape ? tt.shape.dim.map((d) => (d.dimValue !== undefined ? toNumber(d.dimValue) : d.dimParam ? d.dimParam : null)) : null;
      return { name, elemType: tt.elemType, shape };
    });
}

/** The name `dims` uses for an input's axis: its symbolic name, or `input:axis` for an unnamed one. */
function dimKey(input: string, axis: number, d: string | null): string {
  return d ?? `${input}:${axis}`;
}

/** The error for the first `dims` entry no input of the model has, naming those it has; or null. */
export function unknownDimError(model: ModelProto, dims: Record<string, number>): VerifyInputError | null {
  const dynamic = dynamicDims(model);
  const key = Object.keys(dims).find((k) => !dynamic.includes(k));
  if (key === undefined) return null;
  return new VerifyInputError('unknown-dim', key, `No input of the model has a dimension "${key}"; ${dynamic.length > 0 ? `its dynamic dims are ${dynamic.join(', ')}` : 'every dimension of its inputs is fixed'}.`);
}

/** Every dimension `dims` can set: the symbolic names, then `input:axis` of the unnamed ones. */
export function dynamicDims(model: ModelProto): string[] {
  const keys = new Set<string>();
  for (const i of declaredInputs(model)) i.shape?.forEach((d, axis) => typeof d !== 'number' && keys.add(dimKey(i.name, axis, d)));
  return [...keys];
}

function declaredText(i: DeclaredInput): string {
  return `${dtypeName(i.elemType)} ${i.shape ? `[${i.shape.map((d) => d ?? '?').join(', ')}]` : '(no declared shape)'}`;
}

function isFileInput(v: InputValue): v is FileInput {
  return 'file' in v && 'tensor' in v;
}
function isTensorValue(v: InputValue): v is TensorValue {
  return 'dtype' in v;
}
function isValuesInput(v: InputValue): v is ValuesInput {
  return 'values' in v;
}

const INT_RANGE: Partial<Record<TensorDtype, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  bool: [0, 1],
};

/** Numbers into the model's dtype: integers must be whole and in range, bools 0 or 1. */
function typedFrom(name: string, dtype: TensorDtype, vals: ArrayLike<number | bigint>): TensorDataOf[TensorDtype] {
  const n = vals.length;
  const num = (i: number): number => Number(vals[i]);
  const whole = (i: number): number => {
    const v = num(i);
    const range = INT_RANGE[dtype];
    if (!Number.isInteger(v) || (range && (v < range[0] || v > range[1]))) {
      throw new VerifyInputError('values', name, `Input "${name}" is ${dtype}: ${String(vals[i])} is not ${dtype === 'bool' ? '0 or 1' : `a whole number${range ? ` in ${range[0]}…${range[1]}` : ''}`}.`);
    }
    return v;
  };
  const big = (i: number): bigint => (typeof vals[i] === 'bigint' ? (vals[i] as bigint) : BigInt(whole(i)));
  switch (dtype) {
    case 'float32':
      return Float32Array.from({ length: n }, (_, i) => num(i));
    case 'float64':
      return Float64Array.from({ length: n }, (_, i) => num(i));
    case 'float16':
      return Uint16Array.from({ length: n }, (_, i) => floatToHalf(num(i)));
    case 'int64':
      return BigInt64Array.from({ length: n }, (_, i) => big(i));
    case 'uint64':
      return BigUint64Array.from({ length: n }, (_, i) => big(i));
    case 'int32':
      return Int32Array.from({ length: n }, (_, i) => whole(i));
    case 'uint32':
      return Uint32Array.from({ length: n }, (_, i) => whole(i));
    case 'int16':
      return Int16Array.from({ length: n }, (_, i) => whole(i));
    case 'uint16':
      return Uint16Array.from({ length: n }, (_, i) => whole(i));
    case 'int8':
      return Int8Array.from({ length: n }, (_, i) => whole(i));
    case 'uint8':
    case 'bool':
      return Uint8Array.from({ length: n }, (_, i) => whole(i));
    default:
      return dtype satisfies never;
  }
}

function tensorOf(dtype: TensorDtype, dims: number[], data: TensorDataOf[TensorDtype]): TensorValue {
  return { dtype, dims, data } as TensorValue;
}

function count(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Dims for values given in the declared shape: the fixed sizes, `dims`, and at most one size left to infer. */
function valuesDims(decl: DeclaredInput, n: number, optDims: Record<string, number>): number[] {
  const shape = decl.shape;
  if (!shape) {
    if (n === 1) return [];
    throw new VerifyInputError('shape', decl.name, `Input "${decl.name}" has no declared shape, so ${n} values cannot be placed; give it as a .npy or .pb file.`);
  }
  const dims = shape.map((d, axis) => (typeof d === 'number' ? d : optDims[dimKey(decl.name, axis, d)]));
  const open = dims.flatMap((d, axis) => (d === undefined ? [axis] : []));
  const known = count(dims.filter((d): d is number => d !== undefined));
  if (open.length === 0 && known === n) return dims as number[];
  if (open.length === 1 && known > 0 && n % known === 0) {
    dims[open[0]] = n / known;
    return dims as number[];
  }
  const need =
    open.length === 0
      ? `${known} value${known === 1 ? '' : 's'}`
      : open.length === 1
        ? `a multiple of ${known} values (its ${dimKey(decl.name, open[0], shape[open[0]] as string | null)} times ${known})`
        : `its dynamic dims set (--dim) first, or a file`;
  throw new VerifyInputError('shape', decl.name, `Input "${decl.name}" is ${declaredText(decl)}: it needs ${need}, got ${n} value${n === 1 ? '' : 's'}.`);
}

/** A given value as a tensor of the model's dtype, with where it came from. */
function givenTensor(decl: DeclaredInput, dtype: TensorDtype, v: InputValue, optDims: Record<string, number>): { tensor: TensorValue; origin: InputOrigin } {
  if (isFileInput(v) || isTensorValue(v)) {
    const t = isFileInput(v) ? v.tensor : v;
    const origin: InputOrigin = isFileInput(v) ? { kind: 'file', file: v.file } : { kind: 'values' };
    const from = isFileInput(v) ? v.file : 'the given tensor';
    if (t.dtype !== dtype) {
      throw new VerifyInputError('dtype', decl.name, `Input "${decl.name}" is ${declaredText(decl)}, but ${from} holds ${t.dtype} ${shapeText(t.dims)}; store it as ${dtype}.`);
    }
    if (t.data.length !== count(t.dims)) throw new VerifyInputError('values', decl.name, `Input "${decl.name}": dims ${shapeText(t.dims)} need ${count(t.dims)} values, ${from} holds ${t.data.length}.`);
    return { tensor: t, origin };
  }
  if (isValuesInput(v)) return { tensor: tensorOf(dtype, valuesDims(decl, v.values.length, optDims), typedFrom(decl.name, dtype, v.values)), origin: { kind: 'values' } };
  if (v.data.length !== count(v.dims)) throw new VerifyInputError('values', decl.name, `Input "${decl.name}": dims ${shapeText(v.dims)} need ${count(v.dims)} values, got ${v.data.length}.`);
  return { tensor: tensorOf(dtype, [...v.dims], typedFrom(decl.name, dtype, v.data)), origin: { kind: 'values' } };
}

function randomTensor(decl: DeclaredInput, dtype: TensorDtype, dims: number[], rand: () => number): TensorValue {
  const n = count(dims);
  const r = (): number => rand() * 2 - 1;
  switch (dtype) {
    case 'float32':
      return { dtype, dims, data: Float32Array.from({ length: n }, r) };
    case 'float64':
      return { dtype, dims, data: Float64Array.from({ length: n }, r) };
    case 'float16':
      return { dtype, dims, data: Uint16Array.from({ length: n }, () => floatToHalf(r())) };
    default: {
      const example = dims.length === 0 || count(dims) === 1 ? `${decl.name}=VALUE` : `${decl.name}=@FILE.npy`;
      throw new VerifyInputError(
        'needs-values',
        decl.name,
        `Input "${decl.name}" is ${declaredText(decl)}: random values would be meaningless (it may be a shape, an index, a mask or a sample rate); give its values (fusion-inspector verify --input ${example}).`,
      );
    }
  }
}

/**
 * Fits the given inputs to the model and makes up the rest. Throws VerifyInputError naming the
 * input, the declared and the given shape for an input the model does not have, a shape or dtype
 * that does not fit, or an integer/bool input with no values; and for a `dims` entry the model has no
 * such dimension for.
 */
export function resolveInputs(model: ModelProto, opts: InputOptions = {}): ResolvedInputs {
  const seed = opts.seed ?? DEFAULT_SEED;
  const optDims = opts.dims ?? {};
  const decls = declaredInputs(model);
  const given = opts.inputs ?? {};
  for (const name of Object.keys(given)) {
    if (!decls.some((d) => d.name === name)) {
      throw new VerifyInputError('unknown-input', name, `The model has no input "${name}"; its inputs are ${decls.map((d) => `"${d.name}" (${declaredText(d)})`).join(', ') || 'none'}.`);
    }
  }
  const dimsUsed = new Map<string, DimUsed>();
  const tensors: Record<string, TensorValue> = {};
  const origins = new Map<string, InputOrigin>();
  // Given inputs first: their shapes bind the symbolic dims that the random ones then take.
  for (const decl of decls) {
    const v = given[decl.name];
    if (v === undefined) continue;
    const dtype = dtypeOfOnnx(decl.elemType);
    if (!dtype) throw new VerifyInputError('dtype', decl.name, `Input "${decl.name}" is ${dtypeName(decl.elemType)}, which onnxruntime-web cannot take.`);
    const { tensor, origin } = givenTensor(decl, dtype, v, optDims);
    bindShape(decl, tensor.dims, optDims, dimsUsed, origin);
    tensors[decl.name] = tensor;
    origins.set(decl.name, origin);
  }
  const rand = seededRandom(seed);
  for (const decl of decls) {
    if (tensors[decl.name]) continue;
    const dtype = dtypeOfOnnx(decl.elemType);
    if (!dtype) throw new VerifyInputError('dtype', decl.name, `Input "${decl.name}" is ${dtypeName(decl.elemType)}, which onnxruntime-web cannot take.`);
    if (!decl.shape) throw new VerifyInputError('shape', decl.name, `Input "${decl.name}" has no declared shape; give its values (--input ${decl.name}=@FILE.npy).`);
    const dims = decl.shape.map((d, axis) => {
      if (typeof d === 'number') return d;
      const key = dimKey(decl.name, axis, d);
      const bound = dimsUsed.get(key);
      if (bound) return bound.value;
      const set = optDims[key];
      const use: DimUsed = set === undefined ? { name: key, value: DEFAULT_DIM_VALUE, defaulted: true, setBy: 'default' } : { name: key, value: set, defaulted: false, setBy: 'option' };
      dimsUsed.set(key, use);
      return use.value;
    });
    tensors[decl.name] = randomTensor(decl, dtype, dims, rand);
    origins.set(decl.name, { kind: 'random', seed });
  }
  const feeds: Record<string, OrtTensor> = {};
  const inputs: InputUsed[] = decls.map((decl) => {
    const t = tensors[decl.name];
    feeds[decl.name] = makeOrtTensor(t.dtype, t.data, t.dims);
    const origin = origins.get(decl.name)!;
    return { name: decl.name, dtype: t.dtype, dims: t.dims, source: origin.kind === 'random' ? 'random' : 'user', origin, summary: summarizeValues(t) };
  });
  return { feeds, tensors, inputs, dims: [...dimsUsed.values()] };
}

/** A given input's shape against the declared one: same rank, fixed sizes equal, each symbolic dim one value. */
function bindShape(decl: DeclaredInput, dims: readonly number[], optDims: Record<string, number>, used: Map<string, DimUsed>, origin: InputOrigin): void {
  const from = origin.kind === 'file' ? ` (${origin.file})` : '';
  const fail = (why: string): never => {
    throw new VerifyInputError('shape', decl.name, `Input "${decl.name}" is ${declaredText(decl)}, but the given value${from} is ${shapeText(dims)}: ${why}.`);
  };
  if (!decl.shape) return;
  if (decl.shape.length !== dims.length) fail(`rank ${dims.length}, not ${decl.shape.length}`);
  decl.shape.forEach((d, axis) => {
    const size = dims[axis];
    if (typeof d === 'number') {
      if (d !== size) fail(`axis ${axis} is ${size}, not ${d}`);
      return;
    }
    const key = dimKey(decl.name, axis, d);
    const set = optDims[key];
    if (set !== undefined && set !== size) fail(`axis ${axis} (${key}) is ${size}, but --dim ${key}=${set}`);
    const bound = used.get(key);
    if (bound && bound.value !== size) fail(`axis ${axis} (${key}) is ${size}, but another given input has ${key}=${bound.value}`);
    used.set(key, { name: key, value: size, defaulted: false, setBy: 'input' });
  });
}
