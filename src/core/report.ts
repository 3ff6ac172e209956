/** Plain-data summaries of a model and its pairs: the JSON contract of the CLI, reused by the page's exports. */
import type { Analysis } from './analysis';
import { typeFromProto, type Dim } from './graph/shapeInference';
import { dtypeName, toNumber } from './onnx/tensor';
import type { ModelProto } from './onnx/types';
import type { Pair, PairPattern } from './rules/pair';
import type { Reason } from './rules/reasons';

export interface TensorSummary {
  name: string;
  dtype: string;
  shape: Dim[] | null;
}

export interface ModelSummary {
  irVersion: number | null;
  producer: string;
  producerVersion: string;
  opsets: { domain: string; version: number }[];
  graphName: string;
  nodeCount: number;
  initializerCount: number;
  opTypes: Record<string, number>;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
}

export interface PairJson {
  id: string;
  linear: { nodes: string[]; kind: string; weight: string; bias: string | null; outputShape: Dim[] | null };
  batchNorm: { node: string; channels: number | null };
  bnOutput: string;
  fusable: boolean;
  reasons: Reason[];
}

export function summarizeModel(model: ModelProto): ModelSummary {
  const g = model.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  const opTypes: Record<string, number> = {};
  for (const n of g.node) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}::${n.opType ?? ''}` : (n.opType ?? '');
    opTypes[key] = (opTypes[key] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(opTypes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  const summary = (vi: (typeof g.input)[number]): TensorSummary => {
    const t = typeFromProto(vi.type);
    return { name: vi.name ?? '', dtype: dtypeName(t.dtype), shape: t.shape };
  };
  return {
    irVersion: model.irVersion === undefined ? null : toNumber(model.irVersion),
    producer: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    opsets: model.opsetImport.map((o) => ({ domain: o.domain || 'ai.onnx', version: toNumber(o.version ?? 0) })),
    graphName: g.name ?? '',
    nodeCount: g.node.length,
    initializerCount: g.initializer.length,
    opTypes: sorted,
    inputs: g.input.filter((vi) => !inits.has(vi.name)).map(summary),
    outputs: g.output.map(summary),
  };
}

export function pairJson(p: Pair): PairJson {
  return {
    id: p.id,
    linear: { nodes: p.linear.nodes, kind: p.linear.kind, weight: p.linear.weight, bias: p.linear.bias, outputShape: p.linear.outputShape },
    batchNorm: { node: p.batchNorm.node, channels: p.batchNorm.channels },
    bnOutput: p.bnOutput,
    fusable: p.fusable,
    reasons: p.reasons.map((r) => ({ ...r })),
  };
}

/** A pair of the other patterns: the same fields plus which fold it is. */
export interface MorePairJson extends PairJson {
  pattern: PairPattern;
  transpose?: { node: string; perm: number[] | null };
  reshape?: { node: string; shape: Dim[] | null };
  /** Conv→Add→BN: the Add between them and the constant it adds; Linear/Conv→Mul→Add: the Add after the Mul. */
  add?: { node: string; constant: string; shape: number[] };
  /** Linear/Conv→Mul(→Add): the Mul and its constant (`batchNorm` names the Mul too: it takes BN's place). */
  mul?: { node: string; constant: string; shape: number[] };
}

/** The Transpose or Reshape of the patterns that have one, as the JSON contract shows it. */
export function betweenJson(p: Pair): Pick<MorePairJson, 'transpose' | 'reshape' | 'add' | 'mul'> {
  switch (p.pattern) {
    case 'linear-affine': {
      const n = p.batchNorm;
      const mul = { node: n.node, constant: n.scale, shape: n.scaleDims };
      return n.shift ? { mul, add: { node: n.shift.node, constant: n.shift.constant, shape: n.shift.dims } } : { mul };
    }
    case 'conv-add-bn':
      return { add: { node: p.add.node, constant: p.add.constant, shape: p.add.dims } };
    case 'linear-transpose-bn':
      return { transpose: { node: p.transpose.node, perm: p.transpose.perm } };
    case 'linear-reshape-bn':
      return { reshape: { node: p.reshape.node, shape: p.reshape.shape } };
    case 'linear-bn':
    case 'conv-bn':
    case 'bn-linear':
    case 'bn-conv':
      return {};
  }
}

/**
 * `pairs` keeps the Linear→BN contract exactly; `morePairs` holds Conv→BN, Linear→Transpose→BN and
 * BN→Linear (their `linear.kind` may also be Conv or ConvTranspose).
 */
/** The version of the JSON `analyze --json` prints and the library's `analyze` returns; raised on any incompatible change. */
export const SCHEMA_VERSION = 1;

export interface AnalysisJson {
  schemaVersion: typeof SCHEMA_VERSION;
  model: ModelSummary;
  /** Linear→BN pairs, the original contract. */
  pairs: PairJson[];
  /** The other patterns (Conv→BN, through a Transpose or Reshape, BN→Linear). */
  morePairs: MorePairJson[];
}

export function analysisJson(a: Analysis): AnalysisJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    model: summarizeModel(a.model),
    pairs: a.pairs.filter((p) => p.pattern === 'linear-bn').map(pairJson),
    morePairs: a.pairs
      .filter((p) => p.pattern !== 'linear-bn')
      .map((p) => ({ ...pairJson(p), pattern: p.pattern, ...betweenJson(p) })),
  };
}
