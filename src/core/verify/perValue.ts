/**
 * Where two models part: both run on the same inputs with every value they share (same name, same
 * dtype and shape — see valueMatch.ts) added as a graph output, compared one by one under verify's
 * tolerances. The first value beyond tolerance in topological order, with its producer in each
 * model, is where they part. Matching is by name only, so it works for any two models (a model and
 * its own optimized copy), not just our folds.
 *
 * Bounded: values are added in chunks whose outputs — both models' runs of a chunk together — stay
 * within a byte budget; each chunk is a copy of each model with that chunk's values as its outputs.
 */
import { makeValueInfo } from '../onnx/builder';
import { readModel, writeModel } from '../onnx/modelIO';
import { dtypeName } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import { shapeText } from '../tensorFiles/tensorValue';
import { feedsFor, startRuntime, webEngine, type EngineInfo, type OrtEngine, type OrtTensor } from './ortSession';
import { matchValues, type MatchedValue, type Producer, type UnmatchedValue } from './valueMatch';
import { compareOutput, inputMismatch, type OutputComparison } from './verify';
import { DEFAULT_SEED, resolveInputs, VerifyError, type DimUsed, type InputUsed } from './verifyInputs';
import type { ComparisonOptions } from './comparisonOptions';

export const DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;

export interface PerValueOptions extends ComparisonOptions {
  /** Bytes of outputs one chunk may hold, both models' runs together (default 256 MB). */
  budgetBytes?: number;
  /** Checked between sessions and runs: a run already inside onnxruntime finishes first. */
  signal?: AbortSignal;
}

export type ValueResult =
  | { kind: 'compared'; name: string; a: Producer; b: Producer; type: string; comparison: OutputComparison }
  /** Alone it would take more than the budget (both runs together): not compared. */
  | { kind: 'too-big'; name: string; a: Producer; b: Producer; type: string; bytes: number }
  | UnmatchedValue;

export type ComparedValue = Extract<ValueResult, { kind: 'compared' }>;

export interface PerValueReport {
  /** Every compared value is within tolerance. */
  pass: boolean;
  /** The onnxruntime that ran both models. */
  engine: EngineInfo;
  seed: number;
  inputs: InputUsed[];
  dims: DimUsed[];
  /** The first model's values in topological order, then those only the second model has. */
  values: ValueResult[];
  /** The first compared value beyond tolerance, in topological order; null when none is. */
  firstDivergent: ComparedValue | null;
  counts: { values: number; shared: number; compared: number; diverged: number; tooBig: number; unmatched: number };
  chunks: number;
  budgetBytes: number;
  /** The most output bytes one chunk held (both runs), as onnxruntime returned them. */
  peakBytes: number;
  runtimeStartMs: number;
}

/**
 * Chunks of values (indices into `sizes`) whose doubled sizes (one output per model) sum to at
 * most `budget`. A size shape inference could not tell counts as the largest it could — or as a
 * whole chunk when it could tell none.
 */
export function planChunks(sizes: readonly (number | null)[], budget: number): { chunks: number[][]; tooBig: number[] } {
  const known = sizes.filter((s): s is number => s !== null);
  const guess = known.length > 0 ? Math.max(...known) : budget / 2;
  const chunks: number[][] = [];
  const tooBig: number[] = [];
  let current: number[] = [];
  let used = 0;
  sizes.forEach((s, i) => {
    const cost = 2 * (s ?? guess);
    if (s !== null && cost > budget) {
      tooBig.push(i);
      return;
    }
    if (current.length > 0 && used + cost > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(i);
    used += cost;
  });
  if (current.length > 0) chunks.push(current);
  return { chunks, tooBig };
}

/** A copy of the model whose outputs are exactly these values (dtype declared, shape left to onnxruntime). */
function withOutputs(model: ModelProto, values: readonly MatchedValue[]): Uint8Array {
  const graph = model.graph!;
  return writeModel({ ...model, graph: { ...graph, output: values.map((v) => makeValueInfo(v.name, v.dtype, undefined)) } });
}

type Outputs = Record<string, OrtTensor>;

async function runWithOutputs(model: ModelProto, values: readonly MatchedValue[], feeds: Outputs, engine: OrtEngine, opts: PerValueOptions): Promise<Outputs> {
  const session = await engine.createSession(withOutputs(model, values), opts.externalData ?? [], 'disabled');
  try {
    opts.signal?.throwIfAborted();
    return (await session.run(feeds)) as Outputs;
  } finally {
    await session.release();
  }
}

function bytesHeld(outs: Outputs): number {
  let n = 0;
  for (const t of Object.values(outs)) {
    const d = t.data;
    n += ArrayBuffer.isView(d) ? d.byteLength : 0;
  }
  return n;
}

/** Compares every value the two models share; `a` is the reference. */
export async function verifyPerValue(aBytes: Uint8Array, bBytes: Uint8Array, opts: PerValueOptions = {}): Promise<PerValueReport> {
  const progress = opts.onProgress ?? (() => {});
  const budget = opts.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  if (!(budget > 0)) throw new VerifyError(`The budget must be a positive number of bytes, got ${budget}.`);
  const a = readModel(aBytes);
  const b = readModel(bBytes);
  const mismatch = inputMismatch(a, b);
  if (mismatch) throw new VerifyError(`The models cannot be compared: ${mismatch}.`);
  const resolved = resolveInputs(a, opts);
  const pairs = matchValues(a, b, new Map(resolved.dims.map((d) => [d.name, d.value])));
  const matched = pairs.filter((p): p is MatchedValue => p.kind === 'matched');
  const plan = planChunks(
    matched.map((m) => m.bytes),
    budget,
  );
  const tooBig = new Set(plan.tooBig.map((i) => matched[i].name));

  progress('Starting onnxruntime', 0.02);
  const engine = opts.engine ?? webEngine;
  const feeds = feedsFor(engine, resolved.tensors);
  const runtimeStartMs = await (opts.runtimeStart ?? startRuntime(engine));
  const results = new Map<string, ValueResult>();
  let peakBytes = 0;
  for (const [k, chunk] of plan.chunks.entries()) {
    const values = chunk.map((i) => matched[i]);
    const of = plan.chunks.length > 1 ? ` (chunk ${k + 1} of ${plan.chunks.length}, ${values.length} values)` : ` (${values.length} values)`;
    const at = (step: number) => 0.05 + (0.93 * (k + step / 3)) / plan.chunks.length;
    opts.signal?.throwIfAborted();
    progress(`Running the first model${of}`, at(0));
    const ra = await runWithOutputs(a, values, feeds, engine, opts);
    opts.signal?.throwIfAborted();
    progress(`Running the second model${of}`, at(1));
    const rb = await runWithOutputs(b, values, feeds, engine, opts);
    opts.signal?.throwIfAborted();
    progress(`Comparing values${of}`, at(2));
    peakBytes = Math.max(peakBytes, bytesHeld(ra) + bytesHeld(rb));
    for (const v of values) {
      const ta = ra[v.name];
      const tb = rb[v.name];
      if (shapeText(ta.dims) !== shapeText(tb.dims)) {
        // Shape inference could not tell them apart; the run can.
        const dt = dtypeName(v.dtype);
        results.set(v.name, { kind: 'unmatched', name: v.name, a: v.a, b: v.b, why: { kind: 'type-differs', a: `${dt} ${shapeText(ta.dims)}`, b: `${dt} ${shapeText(tb.dims)}` } });
        continue;
      }
      results.set(v.name, { kind: 'compared', name: v.name, a: v.a, b: v.b, type: v.type, comparison: compareOutput(v.name, v.dtype, ta, tb, opts.rtol, opts.atol) });
    }
  }

  const ordered: ValueResult[] = pairs.map((p) => {
    if (p.kind === 'unmatched') return p;
    if (tooBig.has(p.name)) return { kind: 'too-big', name: p.name, a: p.a, b: p.b, type: p.type, bytes: p.bytes ?? 0 };
    return results.get(p.name)!;
  });
  const compared = ordered.filter((r): r is ComparedValue => r.kind === 'compared');
  const diverged = compared.filter((r) => !r.comparison.pass);
  progress('Done', 1);
  return {
    pass: diverged.length === 0,
    engine: engine.info,
    seed: opts.seed ?? DEFAULT_SEED,
    inputs: resolved.inputs,
    dims: resolved.dims,
    values: ordered,
    firstDivergent: diverged[0] ?? null,
    counts: {
      values: ordered.length,
      shared: matched.length,
      compared: compared.length,
      diverged: diverged.length,
      tooBig: tooBig.size,
      unmatched: ordered.filter((r) => r.kind === 'unmatched').length,
    },
    chunks: plan.chunks.length,
    budgetBytes: budget,
    peakBytes,
    runtimeStartMs,
  };
}
