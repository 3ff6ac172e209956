/**
 * Which values two models share, for a per-value comparison: every value a node writes, matched by
 * name; a pair counts only when shape inference gives both the same dtype and shape. Anything else
 * is listed as having no counterpart (only in one model, another type) — never guessed.
 *
 * One more case is listed, not compared: a value inside a rewritten stretch — written by a node the
 * first model does not have (another op, inputs or outputs) *and* read by such a node. A fold keeps
 * the Linear's output name for what is now the BatchNorm's result; comparing it would call a correct
 * fold divergent. Where the rewrite ends — the value unchanged nodes read, or a graph output — the
 * value means the same in both and is compared, whoever writes it (a fused Gemm writing the
 * BatchNorm's output, onnxruntime's Conv writing it after its own fold).
 * In the first model's topological order, then the second model's own values in its order.
 */
import { buildGraph } from '../graph/graph';
import { formatShape, inferShapes, type ValueType } from '../graph/shapeInference';
import { evaluateDim } from '../graph/symbolic';
import { readerNode } from '../graph/readers';
import { topologicalOrder } from '../graph/topology';
import { dtypeName, dtypeSize } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import { dtypeOfOnnx } from '../tensorFiles/tensorValue';

/** The node that writes a value in one model. */
export interface Producer {
  node: string;
  opType: string;
  /** The node as text: `Gemm(x, fc.weight, fc.bias) -> h`. */
  step: string;
}

/** Why a value is not compared. */
export type Unmatched =
  | { kind: 'only-in-a' }
  | { kind: 'only-in-b' }
  /** Same name, but shape inference gives another dtype or shape: a different tensor. */
  | { kind: 'type-differs'; a: string; b: string }
  /** Same name and type, but written and read by nodes the first model does not have: what the rewrite put there. */
  | { kind: 'rewritten' }
  /** A dtype onnxruntime-web cannot hand back as numbers (strings, sequences), or one shape inference cannot tell. */
  | { kind: 'not-numeric'; type: string };

export interface MatchedValue {
  kind: 'matched';
  name: string;
  a: Producer;
  b: Producer;
  dtype: number;
  /** `float32 [batch, 64]`. */
  type: string;
  /** Bytes of one model's output for this value at the run's dims; null when shape inference cannot tell. */
  bytes: number | null;
}

export interface UnmatchedValue {
  kind: 'unmatched';
  name: string;
  a: Producer | null;
  b: Producer | null;
  why: Unmatched;
}

export type ValuePair = MatchedValue | UnmatchedValue;

interface Side {
  outputs: Set<string>;
  types: (name: string) => ValueType | undefined;
  /** Node outputs in topological order, each with its producer. */
  written: { name: string; producer: Producer }[];
  /** Each value's readers, as their steps. */
  readers: (name: string) => string[];
  steps: Set<string>;
}

function side(model: ModelProto): Side {
  const graph = buildGraph(model);
  const shapes = inferShapes(graph);
  const stepOf = graph.nodes.map((n) => `${n.opType}(${n.proto.input.join(', ')}) -> ${n.proto.output.join(', ')}`);
  const written: Side['written'] = [];
  for (const i of topologicalOrder(graph).order) {
    const n = graph.nodes[i];
    for (const name of n.proto.output) if (name) written.push({ name, producer: { node: n.label, opType: n.opType, step: stepOf[i] } });
  }
  const readers = (name: string): string[] => {
    const v = graph.values.get(name);
    return v ? Array.from({ length: v.readerCount }, (_, k) => stepOf[readerNode(graph, v, k)]) : [];
  };
  const outputs = new Set(model.graph!.output.map((o) => o.name ?? ''));
  return { outputs, types: (name) => shapes.types.get(name), written, readers, steps: new Set(stepOf) };
}

function typeText(t: ValueType | undefined): string {
  return t ? `${dtypeName(t.dtype)} ${formatShape(t.shape)}` : 'unknown';
}

/** Bytes of a value at the dims the run binds (`batch` → 2); null when a dim stays unknown. */
function bytesOf(t: ValueType, dims: ReadonlyMap<string, number>): number | null {
  if (t.shape === null || t.dtype === undefined) return null;
  let n = dtypeSize(t.dtype);
  for (const d of t.shape) {
    const v = evaluateDim(d, dims);
    if (v === null) return null;
    n *= v;
  }
  return n;
}

/** `dims`: the values the run gives symbolic dims (from the resolved inputs), for each value's size. */
export function matchValues(a: ModelProto, b: ModelProto, dims: ReadonlyMap<string, number>): ValuePair[] {
  const sa = side(a);
  const sb = side(b);
  const inB = new Map(sb.written.map((w) => [w.name, w.producer]));
  const inA = new Set(sa.written.map((w) => w.name));
  const out: ValuePair[] = [];
  for (const { name, producer } of sa.written) {
    const pb = inB.get(name);
    if (!pb) {
      out.push({ kind: 'unmatched', name, a: producer, b: null, why: { kind: 'only-in-a' } });
      continue;
    }
    const ta = sa.types(name);
    const tb = sb.types(name);
    const textA = typeText(ta);
    const textB = typeText(tb);
    if (textA !== textB) {
      out.push({ kind: 'unmatched', name, a: producer, b: pb, why: { kind: 'type-differs', a: textA, b: textB } });
      continue;
    }
    const rewritten = !sa.steps.has(pb.step) && !(sa.outputs.has(name) && sb.outputs.has(name)) && sb.readers(name).some((r) => !sa.steps.has(r));
    if (rewritten) {
      out.push({ kind: 'unmatched', name, a: producer, b: pb, why: { kind: 'rewritten' } });
      continue;
    }
    const dt = ta?.dtype;
    if (!ta || dt === undefined || dtypeOfOnnx(dt) === undefined) {
      out.push({ kind: 'unmatched', name, a: producer, b: pb, why: { kind: 'not-numeric', type: textA } });
      continue;
    }
    out.push({ kind: 'matched', name, a: producer, b: pb, dtype: dt, type: textA, bytes: bytesOf(ta, dims) });
  }
  for (const { name, producer } of sb.written) if (!inA.has(name)) out.push({ kind: 'unmatched', name, a: null, b: producer, why: { kind: 'only-in-b' } });
  return out;
}
