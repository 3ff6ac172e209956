/**
 * Proof of equivalence: run the original and the fused model with onnxruntime (onnxruntime-web
 * unless the caller hands another engine, ortSession.ts) on the same inputs and compare every graph output. An element fails only if its error exceeds both `atol`
 * and `rtol`·max|reference| (relative error is normalized by the output's largest magnitude).
 */
import { readModel } from '../onnx/modelIO';
import { halfToFloat } from '../onnx/float16';
import { dtypeName } from '../onnx/tensor';
import { DataType, type ModelProto, type ValueInfoProto } from '../onnx/types';
import type { ExternalDataEntry } from '../onnx/externalData';
import { formatShape, typeFromProto } from '../graph/dims';
import { DTYPE_ONNX, isTensorDtype, shapeText, type TensorValue } from '../tensorFiles/tensorValue';
import { feedsFor, startRuntime, webEngine, type EngineInfo, type OrtEngine, type OrtOptimization, type OrtSession, type OrtTensor } from './ortSession';
import { timedSession, type KeptOriginal, type KeptSession, type TimedRun } from './keptOriginal';
import { failedAt, failureOfError, ownWords, type VerifyFailure } from './verifyFailure';
import { DEFAULT_SEED, resolveInputs, VerifyError, VerifyInputError, type DimUsed, type FileInput, type InputOrigin, type InputUsed } from './verifyInputs';
import type { ComparisonOptions } from './comparisonOptions';

export { DEFAULT_DIM_VALUE, VerifyError, VerifyInputError, type UserInput, type InputValue } from './verifyInputs';

export interface VerifyOptions extends ComparisonOptions {
  /**
   * Outputs the model should give for these inputs (a test data set's `output_N.pb`), by output name:
   * both models' outputs are also compared with them.
   */
  expected?: Record<string, TensorValue | FileInput>;
  /**
   * Timed runs per model (median reported); at least two, the fewest that also show whether the
   * original is deterministic (its first and last outputs are compared). Two by default.
   */
  runs?: number;
  /** onnxruntime's optimizations for the fused (second) model; `disabled` unless ort-check compares a model with its optimized self. */
  fusedOptimization?: OrtOptimization;
  /**
   * The original's session kept by the caller (keptOriginal.ts), made from the same bytes, data
   * files and engine: verify neither creates nor releases it, and reuses its outputs for the same inputs.
   */
  kept?: KeptOriginal;
  /** The fused model's session, kept the same way (made ahead from the same bytes after a fold), with `disabled` optimizations. */
  keptFused?: KeptOriginal;
}

/** Where a model's figures in a report come from. */
export type TimingSource =
  /** Its session was created, and it ran, in this verify. */
  | 'this-verify'
  /** Its session was made before this verify (ahead of the click, or by an earlier verify of the same model state) and kept; it ran now. */
  | 'kept-session'
  /** Its session and these inputs' outputs were kept from an earlier verify: it did not run now (same inputs, same outputs). */
  | 'kept-outputs';

export interface ModelTiming {
  /** Creating its session took this long — in this verify only when `source` is `this-verify`. */
  createMs: number;
  /** Median over the timed runs (this verify's unless `source` is `kept-outputs`). */
  runMs: number;
  runs: number;
  source: TimingSource;
}

/** How far one model's output is from another tensor (the reference), under the output's tolerance. */
export interface Deviation {
  maxAbsError: number;
  maxRelError: number;
  meanAbsError: number;
  nonFiniteMismatches: number;
  pass: boolean;
}

/** Both models' output against the stored expected output, when one was given. */
export type ExpectedCheck =
  | { kind: 'not-given' }
  | { kind: 'compared'; origin: Exclude<InputOrigin, { kind: 'random' }>; dtype: string; dims: number[]; original: Deviation; fused: Deviation };

export interface OutputComparison extends Deviation {
  name: string;
  dtype: string;
  dims: number[];
  /** Largest |reference| value, the denominator of the relative error. */
  maxAbsReference: number;
  rtol: number;
  atol: number;
  /** The original against the fused model only; `expected` holds the comparison with stored outputs. */
  pass: boolean;
  expected: ExpectedCheck;
}

export interface VerifyReport {
  /** Both models agree, and (when expected outputs were given) both match them. */
  pass: boolean;
  /** The onnxruntime that ran both models. */
  engine: EngineInfo;
  seed: number;
  /** Every input fed to both models: its shape, dtype, where its values came from and what they hold. */
  inputs: InputUsed[];
  /** How each dynamic dimension was set. */
  dims: DimUsed[];
  outputs: OutputComparison[];
  /** The one-time start of the engine (its wasm or native library) before the first session; 0 when it was already running. */
  runtimeStartMs: number;
  original: ModelTiming;
  fused: ModelTiming;
  /** Things that made the comparison impossible (missing outputs, inputs we cannot invent). */
  problems: string[];
}

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

/** Timed runs per model unless asked: the fewest that also show whether the original is deterministic. */
const DEFAULT_RUNS = 2;

/** At least two runs: the first and last results also show whether the model is deterministic. */
async function timedRuns(session: OrtSession, feeds: Outputs, runs: number): Promise<TimedRun> {
  let first: Outputs | undefined;
  let result: Outputs = {};
  const times: number[] = [];
  const n = Math.max(2, runs);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    result = (await session.run(feeds)) as Outputs;
    times.push(performance.now() - t0);
    first ??= result;
  }
  return { first: first!, result, runMs: median(times), runs: n };
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
    expected: { kind: 'not-given' },
  };
}

function deviation(c: OutputComparison): Deviation {
  return { maxAbsError: c.maxAbsError, maxRelError: c.maxRelError, meanAbsError: c.meanAbsError, nonFiniteMismatches: c.nonFiniteMismatches, pass: c.pass };
}

/** Expected outputs by the model's output names; a name the model does not give is an error before anything runs. */
function expectedOutputs(model: ModelProto, given: VerifyOptions['expected']): Map<string, { tensor: TensorValue; origin: Exclude<InputOrigin, { kind: 'random' }> }> {
  const names = model.graph!.output.map((o) => o.name ?? '');
  const out = new Map<string, { tensor: TensorValue; origin: Exclude<InputOrigin, { kind: 'random' }> }>();
  for (const [name, v] of Object.entries(given ?? {})) {
    if (!names.includes(name)) {
      throw new VerifyInputError('unknown-output', name, `The model has no output "${name}" to compare an expected value with; its outputs are ${names.map((n) => `"${n}"`).join(', ')}.`);
    }
    out.set(name, 'file' in v ? { tensor: v.tensor, origin: { kind: 'file', file: v.file } } : { tensor: v, origin: { kind: 'values' } });
  }
  return out;
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

/** Runs both models on the same inputs and compares every graph output of the original (and both with `expected`). */
export async function verify(originalBytes: Uint8Array, fusedBytes: Uint8Array, opts: VerifyOptions = {}): Promise<VerifyReport> {
  return verifyParsed({ bytes: originalBytes, model: readModel(originalBytes) }, { bytes: fusedBytes, model: readModel(fusedBytes) }, opts);
}

/** A model as onnxruntime takes it (its bytes) and as verify reads its inputs and outputs (parsed). */
export interface ParsedModel {
  bytes: Uint8Array;
  model: ModelProto;
}

/** `verify` for models the caller has parsed already (the CLI has): a big model is not parsed twice. */
export async function verifyParsed(a: ParsedModel, b: ParsedModel, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const originalBytes = a.bytes;
  const fusedBytes = b.bytes;
  const progress = opts.onProgress ?? (() => {});
  const runs = opts.runs ?? DEFAULT_RUNS;
  const original = a.model;
  const mismatch = inputMismatch(original, b.model);
  if (mismatch) throw new VerifyError(`The models cannot be compared: ${mismatch}.`);
  const resolved = resolveInputs(original, opts);
  const expected = expectedOutputs(original, opts.expected);
  const seed = opts.seed ?? DEFAULT_SEED;
  const engine = opts.engine ?? webEngine;
  const externalData = opts.externalData ?? [];
  const feeds = feedsFor(engine, resolved.tensors);

  const kept = opts.kept;
  const keptFused = opts.keptFused;
  progress('Starting onnxruntime', 0.02);
  const runtimeStartMs = await (opts.runtimeStart ?? startRuntime(engine));
  // One after the other: created together (measured), neither engine finished both sooner on two
  // cores, and each model's own create time would be lost.
  progress(kept ? 'The original model’s session' : 'Creating the original model’s session', 0.05);
  const a0 = await sessionFor(kept, engine, originalBytes, externalData, 'disabled').catch(failedAt('load-original'));
  const sa = a0.session;
  // A kept session is its keeper's to release.
  const releaseA = () => (kept ? Promise.resolve() : sa.release());
  progress(keptFused ? 'The fused model’s session' : 'Creating the fused model’s session', 0.3);
  const b0 = await sessionFor(keptFused, engine, fusedBytes, externalData, opts.fusedOptimization ?? 'disabled').catch(async (e: unknown) => {
    await releaseA();
    return failedAt('load-fused')(e);
  });
  const sb = b0.session;
  try {
    const keptRun = kept?.runOf(resolved.tensors) ?? null;
    progress(keptRun ? 'The original model’s outputs for these inputs, kept' : 'Running the original model', 0.55);
    const ra = keptRun ?? (await timedRuns(sa, feeds, runs).catch(failedAt('run-original')));
    if (kept && !keptRun) kept.remember(resolved.tensors, ra);
    const keptRunB = keptFused?.runOf(resolved.tensors) ?? null;
    progress(keptRunB ? 'The fused model’s outputs for these inputs, kept' : 'Running the fused model', 0.75);
    const rb = keptRunB ?? (await timedRuns(sb, feeds, runs).catch(failedAt('run-fused')));
    if (keptFused && !keptRunB) keptFused.remember(resolved.tensors, rb);
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
      const c = compareOutput(name, dt, a, b, opts.rtol, opts.atol);
      const want = expected.get(name);
      if (want) {
        const ref = engine.tensor(want.tensor.dtype, want.tensor.data, want.tensor.dims);
        const where = want.origin.kind === 'file' ? ` (${want.origin.file})` : '';
        if (shapeText(want.tensor.dims) !== shapeText(a.dims)) problems.push(`The expected output "${name}"${where} is ${shapeText(want.tensor.dims)}, but the model gives ${shapeText(a.dims)}.`);
        c.expected = {
          kind: 'compared',
          origin: want.origin,
          dtype: want.tensor.dtype,
          dims: want.tensor.dims,
          original: deviation(compareOutput(name, dt, ref, a, opts.rtol, opts.atol)),
          fused: deviation(compareOutput(name, dt, ref, b, opts.rtol, opts.atol)),
        };
      }
      outputs.push(c);
    }
    progress('Done', 1);
    return {
      pass: problems.length === 0 && outputs.every((o) => o.pass && (o.expected.kind === 'not-given' || (o.expected.original.pass && o.expected.fused.pass))),
      engine: engine.info,
      seed,
      inputs: resolved.inputs,
      dims: resolved.dims,
      outputs,
      runtimeStartMs,
      original: { createMs: a0.createMs, runMs: ra.runMs, runs: ra.runs, source: sourceOf(a0, keptRun) },
      fused: { createMs: b0.createMs, runMs: rb.runMs, runs: rb.runs, source: sourceOf(b0, keptRunB) },
      problems,
    };
  } finally {
    await releaseA();
    if (!keptFused) await sb.release();
  }
}

/** A model's session: its keeper's (made now if not yet), or a new one of this verify's. */
async function sessionFor(kept: KeptOriginal | undefined, engine: OrtEngine, bytes: Uint8Array, externalData: readonly ExternalDataEntry[], optimization: OrtOptimization): Promise<KeptSession> {
  return kept ? kept.session() : { ...(await timedSession(engine, bytes, externalData, optimization)), madeBefore: false };
}

const sourceOf = (s: KeptSession, keptRun: TimedRun | null): TimingSource => (keptRun ? 'kept-outputs' : s.madeBefore ? 'kept-session' : 'this-verify');

/**
 * Runs a kept session (the original's or the fused model's, made from `model`) on the inputs a verify
 * with these options feeds it, ahead of that verify, which then finds their outputs kept. Inputs it
 * cannot invent are an error here too.
 */
export async function runAhead(kept: KeptOriginal, model: ModelProto, opts: VerifyOptions = {}): Promise<void> {
  const resolved = resolveInputs(model, opts);
  if (kept.runOf(resolved.tensors)) return;
  const { session } = await kept.session();
  kept.remember(resolved.tensors, await timedRuns(session, feedsFor(opts.engine ?? webEngine, resolved.tensors), opts.runs ?? DEFAULT_RUNS));
}

function onnxTypeOf(t: OrtTensor): number | undefined {
  return isTensorDtype(t.type) ? DTYPE_ONNX[t.type] : undefined;
}

/** Any error `verify` throws, in words (verifyFailure.ts): its own checks as they are, onnxruntime's mapped to a sentence. */
export function verifyFailureOf(e: unknown): VerifyFailure {
  return e instanceof VerifyError ? ownWords(e.message) : failureOfError(e);
}
