/**
 * Folds BatchNormalization into the Linear before it:
 *   s = γ/√(σ²+ε),  W′ = s·W (per output feature),  b′ = s·(b − μ) + β.
 * Computed in float64, stored in the weight's own dtype. The BatchNormalization disappears and the
 * Linear's last node writes the BatchNormalization's output name, so consumers and graph outputs
 * keep reading the same tensor name. New tensors get fresh names; originals that nothing uses any
 * more are removed; everything else (node order, attributes, metadata) stays as it was.
 */
import type { Analysis } from '../analysis';
import { analyzeModel } from '../analysis';
import type { Graph } from '../graph/graph';
import { makeAttribute } from '../onnx/builder';
import { makeFloatTensor, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/types';
import type { LinearBnPair } from '../rules/linearBatchNorm';
import type { Reason } from '../rules/reasons';

export interface FuseOptions {
  /** BN output names (pair ids) to fold; all fusable pairs when omitted. */
  only?: readonly string[];
  /**
   * Teaching only: also fold pairs whose sole problem is the axis rule (LINEAR_OUTPUT_RANK) when
   * the sizes allow the naive computation. The result is WRONG by design; `incorrect` says so.
   */
  ignoreAxisRule?: boolean;
}

export interface FoldedPair {
  id: string;
  /** Names of the tensors written for the fold. */
  weight: string;
  bias: string;
  removedNodes: string[];
}

export interface SkippedPair {
  id: string;
  reasons: Reason[];
}

export interface FuseResult {
  model: ModelProto;
  folded: FoldedPair[];
  skipped: SkippedPair[];
  /** Requested ids that name no Linear→BN pair. */
  unknown: string[];
  /** True when a fold ignored the axis rule: the model computes something else. */
  incorrect: boolean;
  nodesBefore: number;
  nodesAfter: number;
}

/** Why a naive fold (ignoring the axis rule) cannot even be formed, or null if it can. */
export function naiveFoldProblem(pair: LinearBnPair): string | null {
  const others = pair.reasons.filter((r) => r.code !== 'LINEAR_OUTPUT_RANK' && r.code !== 'CHANNEL_MISMATCH');
  if (others.length > 0) return `it is also not fusable for other reasons (${others.map((r) => r.code).join(', ')})`;
  const n = pair.linear.outFeatures;
  const c = pair.batchNorm.channels;
  if (n === null || c === null) return 'the sizes are unknown';
  if (n !== c) {
    return `BatchNormalization has ${c} scale values (one per channel on axis 1) but the weight has ${n} output features (axis ${
      (pair.linear.outputShape?.length ?? 1) - 1
    } of ${JSON.stringify(pair.linear.outputShape)}): a [${c}] scale cannot multiply ${n} weight columns`;
  }
  return null;
}

class NameAllocator {
  private used = new Set<string>();
  constructor(g: GraphProto) {
    const add = (n: string | undefined) => n !== undefined && this.used.add(n);
    for (const t of g.initializer) add(t.name);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) add(v.name);
    for (const n of g.node) {
      add(n.name);
      n.output.forEach(add);
      n.input.forEach(add);
    }
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

function constTensor(g: Graph, name: string): TensorProto {
  const t = g.values.get(name)?.constant;
  if (!t) throw new Error(`internal: "${name}" is not a constant`);
  return t;
}

/** Every name read anywhere, subgraphs included (they may read outer-scope values). */
function namesRead(g: GraphProto, into = new Set<string>()): Set<string> {
  for (const n of g.node) {
    for (const i of n.input) if (i) into.add(i);
    for (const a of n.attribute) {
      if (a.g) namesRead(a.g, into);
      for (const sg of a.graphs) namesRead(sg, into);
    }
  }
  for (const o of g.output) if (o.name) into.add(o.name);
  return into;
}

export function fuse(source: Analysis | ModelProto, opts: FuseOptions = {}): FuseResult {
  const analysis = 'pairs' in source ? source : analyzeModel(source);
  const { graph: g, model } = analysis;
  const proto = g.proto;
  const byId = new Map(analysis.pairs.map((p) => [p.id, p]));
  const wanted = opts.only ? [...new Set(opts.only)] : analysis.pairs.map((p) => p.id);
  const unknown = wanted.filter((id) => !byId.has(id));
  const folded: FoldedPair[] = [];
  const skipped: SkippedPair[] = [];
  let incorrect = false;

  const names = new NameAllocator(proto);
  const replaced = new Map<number, NodeProto>();
  const removed = new Set<number>();
  /** New nodes to insert right where a removed node stood. */
  const insertedAt = new Map<number, NodeProto[]>();
  const newInits: TensorProto[] = [];
  const droppedValues = new Set<string>();

  for (const id of wanted) {
    const pair = byId.get(id);
    if (!pair) continue;
    let allowed = pair.fusable;
    if (!allowed && opts.ignoreAxisRule && naiveFoldProblem(pair) === null) {
      allowed = true;
      incorrect = true;
    }
    if (!allowed) {
      skipped.push({ id, reasons: pair.reasons });
      continue;
    }
    folded.push(foldPair(g, pair, names, replaced, removed, insertedAt, newInits, droppedValues));
  }

  // Rebuild the node list: replaced nodes in place, removed ones dropped, new ones at the BN's place.
  const nodes: NodeProto[] = [];
  proto.node.forEach((n, i) => {
    if (!removed.has(i)) nodes.push(replaced.get(i) ?? n);
    for (const extra of insertedAt.get(i) ?? []) nodes.push(extra);
  });
  let graph: GraphProto = { ...proto, node: nodes, initializer: [...proto.initializer, ...newInits] };
  // Drop what nothing uses any more: the pairs' old parameters (initializers or Constant nodes).
  const read = namesRead(graph);
  const candidates = new Set<string>();
  for (const f of analysis.pairs.filter((p) => folded.some((x) => x.id === p.id))) {
    const bn = f.batchNorm;
    for (const n of [f.linear.weight, f.linear.bias ?? '', bn.scale, bn.bias, bn.mean, bn.variance]) if (n) candidates.add(n);
  }
  const unused = (n: string | undefined) => n !== undefined && candidates.has(n) && !read.has(n);
  graph = {
    ...graph,
    initializer: graph.initializer.filter((t) => !unused(t.name)),
    node: graph.node.filter((n) => !(n.opType === 'Constant' && n.output.length === 1 && unused(n.output[0]))),
    valueInfo: graph.valueInfo.filter((v) => !droppedValues.has(v.name ?? '') && !unused(v.name)),
  };
  const fusedModel: ModelProto = { ...model, graph };
  return {
    model: fusedModel,
    folded,
    skipped,
    unknown,
    incorrect,
    nodesBefore: proto.node.length,
    nodesAfter: graph.node.length,
  };
}

function foldPair(
  g: Graph,
  pair: LinearBnPair,
  names: NameAllocator,
  replaced: Map<number, NodeProto>,
  removed: Set<number>,
  insertedAt: Map<number, NodeProto[]>,
  newInits: TensorProto[],
  droppedValues: Set<string>,
): FoldedPair {
  const lin = pair.linear;
  const bn = pair.batchNorm;
  const wT = constTensor(g, lin.weight);
  const wDims = tensorDims(wT);
  const W = tensorToFloat64(wT);
  const n = lin.kind === 'Gemm' && lin.transB ? wDims[0] : wDims[1];
  const gamma = tensorToFloat64(constTensor(g, bn.scale));
  const beta = tensorToFloat64(constTensor(g, bn.bias));
  const mean = tensorToFloat64(constTensor(g, bn.mean));
  const variance = tensorToFloat64(constTensor(g, bn.variance));
  // One channel scales every feature alike; otherwise channel c is feature c.
  const ch = (i: number) => (gamma.length === 1 ? 0 : i);
  const s = new Float64Array(n);
  const shift = new Float64Array(n); // β − s·μ
  for (let i = 0; i < n; i++) {
    s[i] = gamma[ch(i)] / Math.sqrt(variance[ch(i)] + bn.epsilon);
    shift[i] = beta[ch(i)] - s[i] * mean[ch(i)];
  }

  // W′: rows ([N, K], Gemm transB=1) or columns ([K, N]) scaled by s.
  const W2 = new Float64Array(W.length);
  if (lin.kind === 'Gemm' && lin.transB) {
    const k = wDims[1];
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) W2[r * k + c] = s[r] * W[r * k + c];
  } else {
    const k = wDims[0];
    for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) W2[r * n + c] = s[c] * W[r * n + c];
  }
  const weightName = names.fresh(`${lin.weight}_bnfold`);
  newInits.push(makeFloatTensor(weightName, wDims, W2, wT.dataType));

  // b′ = s·b + (β − s·μ), broadcast over the bias's own shape (which ends in N or 1).
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const biasDims = biasT ? tensorDims(biasT) : [];
  const B = biasT ? tensorToFloat64(biasT) : new Float64Array([0]);
  const rows = biasDims.length === 2 ? biasDims[0] : 1;
  const bLast = biasDims.length === 0 ? 1 : biasDims[biasDims.length - 1];
  const newBiasDims = rows > 1 ? [rows, n] : biasDims.length === 2 ? [1, n] : [n];
  const betaG = lin.kind === 'Gemm' ? lin.beta : 1;
  const keepBeta = betaG !== 0;
  const B2 = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      const b = B[(rows > 1 ? r * bLast : 0) + (bLast === 1 ? 0 : c)];
      // Gemm adds β_g·C: keep β_g on the node and divide it out of the shift.
      B2[r * n + c] = keepBeta ? s[c] * b + shift[c] / betaG : s[c] * betaG * b + shift[c];
    }
  }
  const biasName = names.fresh(lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`);
  newInits.push(makeFloatTensor(biasName, newBiasDims, B2, biasT?.dataType ?? wT.dataType));

  const bnNode = g.nodes[bn.nodeIndex];
  const bnOut = pair.bnOutput;
  const lastIdx = lin.nodeIndices[lin.nodeIndices.length - 1];
  const first = g.nodes[lin.nodeIndices[0]].proto;
  const removedNodes = [bnNode.label];
  removed.add(bn.nodeIndex);
  droppedValues.add(pair.preBnValue);

  if (lin.kind === 'Gemm') {
    const inputs = [first.input[0], weightName, biasName];
    let attribute = first.attribute;
    if (!keepBeta) attribute = [...attribute.filter((a) => a.name !== 'beta'), makeAttribute('beta', { float: 1 })];
    replaced.set(lastIdx, { ...first, input: inputs, output: [bnOut, ...first.output.slice(1)], attribute });
  } else if (lin.kind === 'MatMul+Add') {
    const mm = first;
    const add = g.nodes[lastIdx].proto;
    replaced.set(lin.nodeIndices[0], { ...mm, input: [mm.input[0], weightName] });
    const biasSlot = add.input.indexOf(lin.bias!);
    const addInputs = add.input.map((x, i) => (i === biasSlot ? biasName : x));
    replaced.set(lastIdx, { ...add, input: addInputs, output: [bnOut] });
  } else {
    // A MatMul without bias gets one: an Add placed where the BatchNormalization was.
    replaced.set(lastIdx, { ...first, input: [first.input[0], weightName] });
    const addName = names.fresh(`${bnNode.proto.name || bnOut}_bnfold_bias_add`);
    insertedAt.set(bn.nodeIndex, [
      { input: [first.output[0], biasName], output: [bnOut], name: addName, opType: 'Add', attribute: [], metadataProps: [] },
    ]);
    droppedValues.delete(pair.preBnValue);
  }
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes };
}

/** Checks a rewritten graph: every input defined before use, every output produced once. */
export function validateGraph(model: ModelProto): string[] {
  const problems: string[] = [];
  const g = model.graph!;
  const defined = new Set<string>(['']);
  for (const v of g.input) defined.add(v.name ?? '');
  for (const t of g.initializer) defined.add(t.name ?? '');
  for (const n of g.node) {
    for (const i of n.input) if (!defined.has(i)) problems.push(`node "${n.name ?? n.opType}" reads "${i}" before it is defined`);
    for (const o of n.output) {
      if (o && defined.has(o)) problems.push(`"${o}" is defined twice`);
      defined.add(o);
    }
  }
  for (const o of g.output) if (!defined.has(o.name ?? '')) problems.push(`graph output "${o.name}" is never produced`);
  return problems;
}
