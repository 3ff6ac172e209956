/**
 * Folding a model's pairs: passes, re-finding pairs that an earlier fold rewrote, and the check
 * that every written model is well formed. The folds themselves are in fuseLinearBn.ts.
 *
 * Pairs sharing a node (`BN → Linear → BN`, `Linear → BN → Linear`) cannot fold in one pass; the
 * later one is found again in the rewritten model by its nodes (not by its tensor id, which the
 * first fold may have renamed) and folded in the next pass. It is `superseded` only when its
 * BatchNormalization or Linear is gone.
 */
import { analyzeModel, type Analysis } from '../analysis';
import { listOf } from '../onnx/protobuf';
import type { Graph } from '../graph/graph';
import { makeValueInfo } from '../onnx/builder';
import { tensorDims } from '../onnx/tensor';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/types';
import { betweenNode, foldedParameters, type Pair } from '../rules/pair';
import { patternOf } from '../patterns/registry';
import type { Reason } from '../rules/reasons';
import { newEdits, type Edits, type FoldedPair as RewiredPair } from './edits';
import { naiveCompute, naiveFoldProblem } from './naiveFold';
import { modelProblems } from './validate';

/** A folded pair: what its pattern's `rewire` wrote, and the nodes it added (the bias Add a MatMul without bias gets). */
export interface FoldedPair extends RewiredPair {
  addedNodes: string[];
}

export interface FuseOptions {
  /** Pair ids to fold (the BN output; for BN→Linear the Linear's output); all fusable pairs when omitted. */
  only?: readonly string[];
  /**
   * Teaching only: also fold pairs whose sole problem is the axis rule (LINEAR_OUTPUT_RANK) when
   * the sizes allow the naive computation. The result is WRONG by design; `incorrect` says so.
   */
  ignoreAxisRule?: boolean;
  /** At most this many passes (MAX_PASSES by default); pairs still waiting are skipped with REWRITE_CONFLICT. */
  maxPasses?: number;
}

export interface SkippedPair {
  id: string;
  reasons: Reason[];
}

export interface FuseResult {
  model: ModelProto;
  folded: FoldedPair[];
  skipped: SkippedPair[];
  /** Requested ids that name no pair. */
  unknown: string[];
  /** Pairs not folded because a fold next to them removed their BatchNormalization or Linear. */
  superseded: string[];
  /** True when a fold ignored the axis rule: the model computes something else. */
  incorrect: boolean;
  nodesBefore: number;
  nodesAfter: number;
}

/** Enough for any chain of pairs sharing nodes that a model can hold (each pass folds at least one). */
export const MAX_PASSES = 8;

/** A pair still to fold, under the id the caller knows it by (the original model's). */
interface Pending {
  id: string;
  pair: Pair;
  graph: Graph;
}

interface Pass {
  model: ModelProto;
  folded: FoldedPair[];
  skipped: SkippedPair[];
  /** Pairs that share a node with one folded in this pass. */
  deferred: Pending[];
  /** Each rewritten node's new proto; null for a removed one. */
  nodeMap: Map<NodeProto, NodeProto | null>;
  incorrect: boolean;
}

export function fuse(source: Analysis | ModelProto, opts: FuseOptions = {}): FuseResult {
  const analysis = 'pairs' in source ? source : analyzeModel(source);
  const byId = new Map(analysis.pairs.map((p) => [p.id, p]));
  const wanted = opts.only ? [...new Set(opts.only)] : analysis.pairs.map((p) => p.id);
  const unknown = wanted.filter((id) => !byId.has(id));
  let pending: Pending[] = wanted.filter((id) => byId.has(id)).map((id) => ({ id, pair: byId.get(id)!, graph: analysis.graph }));
  const baseline = new Set(modelProblems(analysis.model));
  const outputs = outputNames(analysis.model);
  const folded: FoldedPair[] = [];
  const skipped: SkippedPair[] = [];
  const superseded: string[] = [];
  let incorrect = false;
  let current = analysis;
  let model = analysis.model;
  const maxPasses = opts.maxPasses ?? MAX_PASSES;
  for (let pass = 0; pending.length > 0; pass++) {
    if (pass === maxPasses) {
      for (const p of pending) {
        skipped.push({ id: p.id, reasons: [{ code: 'REWRITE_CONFLICT', message: `After ${maxPasses} pass(es) this pair still shares a node with another fold, so it was left as it is; fuse the result again to fold it.` }] });
      }
      break;
    }
    const r = checkedPass(current, pending, opts, baseline, outputs);
    folded.push(...r.folded);
    skipped.push(...r.skipped);
    incorrect ||= r.incorrect;
    model = r.model;
    if (r.deferred.length === 0) break;
    current = analyzeModel(r.model);
    const found = refind(r.deferred, r.nodeMap, current);
    superseded.push(...found.gone);
    pending = found.pending;
  }
  return { model, folded, skipped, unknown, superseded, incorrect, nodesBefore: analysis.model.graph!.node.length, nodesAfter: model.graph!.node.length };
}

function outputNames(m: ModelProto): string {
  return JSON.stringify(m.graph!.output.map((o) => o.name ?? ''));
}

/** Problems in a written model that the original did not have. */
function newProblems(m: ModelProto, baseline: ReadonlySet<string>, outputs: string): string[] {
  const found = modelProblems(m).filter((p) => !baseline.has(p));
  if (outputNames(m) !== outputs) found.push(`the graph outputs would change from ${outputs} to ${outputNames(m)}`);
  return found;
}

/**
 * One pass, checked: when the written model would be broken, the pass is redone adding one pair at
 * a time, and each pair whose fold breaks it is refused with REWRITE_INVALID instead.
 */
function checkedPass(a: Analysis, pending: Pending[], opts: FuseOptions, baseline: ReadonlySet<string>, outputs: string): Pass {
  const r = runPass(a, pending, opts);
  if (newProblems(r.model, baseline, outputs).length === 0) return r;
  const foldedIds = new Set(r.folded.map((f) => f.id));
  const accepted: Pending[] = [];
  const refused: SkippedPair[] = [];
  for (const p of pending.filter((x) => foldedIds.has(x.id))) {
    const trial = runPass(a, [...accepted, p], opts);
    const problems = newProblems(trial.model, baseline, outputs);
    if (problems.length === 0) accepted.push(p);
    else refused.push({ id: p.id, reasons: [{ code: 'REWRITE_INVALID', message: `Folding this pair would write a model that does not load: ${problems.slice(0, 3).join('; ')}. It was left as it is.` }] });
  }
  const final = runPass(a, accepted, opts);
  return { ...final, skipped: [...r.skipped, ...refused], deferred: r.deferred };
}

/** The deferred pairs in the rewritten model, found by their BatchNormalization and Linear nodes. */
function refind(deferred: Pending[], nodeMap: Map<NodeProto, NodeProto | null>, next: Analysis): { pending: Pending[]; gone: string[] } {
  const mapped = (p: NodeProto): NodeProto | null => (nodeMap.has(p) ? nodeMap.get(p)! : p);
  const byBn = new Map<NodeProto, Pair[]>();
  for (const p of next.pairs) {
    const bn = next.graph.nodes[p.batchNorm.nodeIndex].proto;
    const list = byBn.get(bn);
    if (list) list.push(p);
    else byBn.set(bn, [p]);
  }
  const pending: Pending[] = [];
  const gone: string[] = [];
  for (const d of deferred) {
    const bn = mapped(d.graph.nodes[d.pair.batchNorm.nodeIndex].proto);
    const lin = mapped(d.graph.nodes[d.pair.linear.nodeIndices[0]].proto);
    const again = bn && lin ? byBn.get(bn)?.find((p) => p.pattern === d.pair.pattern && next.graph.nodes[p.linear.nodeIndices[0]].proto === lin) : undefined;
    if (again) pending.push({ id: d.id, pair: again, graph: next.graph });
    else gone.push(d.id);
  }
  return { pending, gone };
}

function runPass(a: Analysis, pending: Pending[], opts: FuseOptions): Pass {
  const { graph: g, model } = a;
  const proto = g.proto;
  const folded: FoldedPair[] = [];
  const skipped: SkippedPair[] = [];
  const deferred: Pending[] = [];
  let incorrect = false;
  const e = newEdits(proto);
  /** Nodes a fold in this pass rewrites or removes; a second pair touching one waits for the next pass. */
  const touched = new Set<number>();
  const foldedPairs: Pair[] = [];
  for (const item of pending) {
    const pair = item.pair;
    let allowed = pair.fusable;
    const naive = !allowed && opts.ignoreAxisRule === true && naiveFoldProblem(pair) === null;
    if (naive) {
      allowed = true;
      incorrect = true;
    }
    if (!allowed) {
      skipped.push({ id: item.id, reasons: pair.reasons });
      continue;
    }
    const between = betweenNode(pair);
    const nodes = [...pair.linear.nodeIndices, pair.batchNorm.nodeIndex, ...(between ? [between.nodeIndex] : [])];
    if (nodes.some((i) => touched.has(i))) {
      deferred.push(item);
      continue;
    }
    for (const i of nodes) touched.add(i);
    const pattern = patternOf(pair);
    const before = new Set(insertedNodes(e));
    const rewired = pattern.rewire(g, pair, naive ? naiveCompute(g, pair) : pattern.compute(g, pair), e);
    const addedNodes = insertedNodes(e)
      .filter((n) => !before.has(n))
      .map((n) => n.name ?? '');
    folded.push({ ...rewired, id: item.id, addedNodes });
    foldedPairs.push(pair);
  }

  // Rebuild the node list: replaced nodes in place, removed ones dropped, new ones after their anchor.
  const nodes: NodeProto[] = [];
  const nodeMap = new Map<NodeProto, NodeProto | null>();
  proto.node.forEach((n, i) => {
    if (e.removed.has(i)) nodeMap.set(n, null);
    else {
      const r = e.replaced.get(i);
      if (r) nodeMap.set(n, r);
      nodes.push(r ?? n);
    }
    for (const extra of e.insertedAt.get(i) ?? []) nodes.push(extra);
  });
  const irBefore4 = g.irVersion < 4;
  let graph: GraphProto = {
    ...proto,
    node: nodes,
    initializer: [...proto.initializer, ...e.newInits],
    // Before IR 4 every initializer is listed as a graph input too.
    input: irBefore4 ? [...proto.input, ...e.newInits.map(listing)] : proto.input,
    valueInfo: proto.valueInfo.filter((v) => !e.droppedValues.has(v.name ?? '')),
  };
  const candidates: string[] = [];
  for (const p of foldedPairs) {
    for (const n of [p.linear.weight, p.linear.bias ?? '', ...foldedParameters(p)]) if (n) candidates.push(n);
  }
  graph = dropUnusedConstants(graph, g, candidates);
  return { model: { ...model, graph }, folded, skipped, deferred, nodeMap, incorrect };
}

function insertedNodes(e: Edits): NodeProto[] {
  return [...e.insertedAt.values()].flat();
}

function listing(t: TensorProto) {
  return makeValueInfo(t.name ?? '', t.dataType, tensorDims(t));
}

/** How often each name is read: node inputs (subgraph reads included) and graph outputs. */
function readCounts(g: GraphProto, into = new Map<string, number>()): Map<string, number> {
  for (const n of g.node) {
    for (const i of n.input) if (i) into.set(i, (into.get(i) ?? 0) + 1);
    for (const a of n.attribute) {
      if (a.g) readCounts(a.g, into);
      for (const sg of listOf(a.graphs)) readCounts(sg, into);
    }
  }
  for (const o of g.output) if (o.name) into.set(o.name, (into.get(o.name) ?? 0) + 1);
  return into;
}

/**
 * Removes the folded pairs' old parameters that nothing reads any more: initializers, and the nodes
 * that computed them from constants (Constant nodes and folded chains such as ConstantOfShape →
 * Cast), back along the chain. Nothing else is touched: other unused parts of the model stay.
 */
function dropUnusedConstants(graph: GraphProto, g: Graph, candidates: string[]): GraphProto {
  const reads = readCounts(graph);
  const producer = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) if (o) producer.set(o, n);
  const isInit = new Set(graph.initializer.map((t) => t.name ?? ''));
  const dropNodes = new Set<NodeProto>();
  const dropInits = new Set<string>();
  const work = [...candidates];
  while (work.length > 0) {
    const name = work.pop()!;
    if ((reads.get(name) ?? 0) > 0 || dropInits.has(name)) continue;
    if (isInit.has(name)) {
      dropInits.add(name);
      continue;
    }
    const n = producer.get(name);
    if (!n || dropNodes.has(n)) continue;
    const computesConstant = n.output.every((o) => o !== '' && (g.folded.has(o) || (n.opType === 'Constant' && (n.domain ?? '') === '')));
    if (!computesConstant || n.output.some((o) => (reads.get(o) ?? 0) > 0)) continue;
    dropNodes.add(n);
    for (const i of n.input) {
      if (!i) continue;
      reads.set(i, (reads.get(i) ?? 1) - 1);
      work.push(i);
    }
  }
  if (dropNodes.size === 0 && dropInits.size === 0) return graph;
  const droppedOutputs = new Set([...dropNodes].flatMap((n) => n.output));
  return {
    ...graph,
    node: graph.node.filter((n) => !dropNodes.has(n)),
    initializer: graph.initializer.filter((t) => !dropInits.has(t.name ?? '')),
    // A dropped initializer's listing as a graph input (IR < 4) goes with it.
    input: graph.input.filter((v) => !dropInits.has(v.name ?? '')),
    valueInfo: graph.valueInfo.filter((v) => !dropInits.has(v.name ?? '') && !droppedOutputs.has(v.name ?? '')),
  };
}
