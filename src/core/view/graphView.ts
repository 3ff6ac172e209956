/**
 * The drawable form of an analysed model: which nodes and edges to show, with labels, and the
 * role each node plays in a Linear→BN pair. Weights and Constant nodes are not drawn (they show
 * in a node's details). Pure data, built in the worker and sent to the page.
 */
import type { Analysis } from '../analysis';
import { formatShape, type ValueType } from '../graph/shapeInference';
import { dtypeShort } from '../onnx/tensor';
import { reasonShort } from '../rules/reasons';
import { betweenNode } from '../rules/pair';
import { inputId, nodeId, outputId } from './ids';
import { Interner } from '../strings';
import { BODY_READ, readerNode, readerSlot } from '../graph/readers';

export type PairRole = 'linear' | 'bn';

export interface ViewNode {
  id: string;
  kind: 'op' | 'input' | 'output';
  opType: string;
  /** The name as in the file ('' when unnamed). */
  name: string;
  /** Output shapes, for the node's face. */
  outputs: string;
  /** Set on nodes that belong to a Linear→BN pair: one object per pair, shared by its nodes (see pairRole). */
  pair?: PairMark;
}

/** A pair as its nodes show it. */
export interface PairMark {
  id: string;
  fusable: boolean;
  /** `fusable`, or the reasons' short forms. */
  short: string;
}

/**
 * The part a pair's node plays: its BatchNormalization, or the Linear side (the Linear's nodes and
 * a Transpose or Reshape between). Read from the op type rather than kept per node: the mark can then
 * be one object per pair (28,000 objects were 0.8 MB at 50,000 nodes, on each side of the worker).
 */
export function pairRole(n: Pick<ViewNode, 'opType'>): PairRole {
  // The Mul of Linear/Conv → Mul [→ Add] takes BatchNorm's place (a Linear part is never a Mul).
  return n.opType === 'BatchNormalization' || n.opType === 'Mul' ? 'bn' : 'linear';
}

/** One tensor from its producer to one reader (no id: drawn edges are merged per pair of ends, with their own ids). */
export interface ViewEdge {
  source: string;
  target: string;
  /** The tensor carried. */
  value: string;
  /** `[batch, 64] f32` */
  label: string;
  pair?: { id: string; fusable: boolean };
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

export function typeLabel(t: ValueType | undefined): string {
  if (!t) return '[?]';
  return `${formatShape(t.shape)} ${dtypeShort(t.dtype)}`;
}


/**
 * Nodes drawn as part of their readers, like initializers: `Constant` nodes, and nodes that only
 * compute a constant from constants (an `Identity` or `Cast` forwarding a weight) — unless they
 * write a graph output. Their values show in the reader's details.
 */
export function constantNodes(a: Analysis): Set<number> {
  const { graph: g } = a;
  const outputs = new Set(g.proto.output.map((o) => o.name ?? ''));
  const hidden = new Set<number>();
  for (const n of g.nodes) {
    const outs = n.proto.output.filter((o) => o !== '');
    if (outs.length === 0 || outs.some((o) => outputs.has(o))) continue;
    if ((n.opType === 'Constant' && n.domain === '') || outs.every((o) => g.folded.has(o))) hidden.add(n.index);
  }
  return hidden;
}

export function buildGraphView(a: Analysis): GraphView {
  const { graph: g, shapes } = a;
  const nodes: ViewNode[] = [];
  const edges: ViewEdge[] = [];
  const hidden = constantNodes(a);

  const pairOf = new Map<number, PairMark>();
  const pairEdge = new Map<string, ViewEdge['pair']>();
  for (const p of a.pairs) {
    const short = p.fusable ? 'fusable' : p.reasons.map(reasonShort).join('; ');
    const pm: PairMark = { id: p.id, fusable: p.fusable, short };
    // A node in two pairs (Linear→BN→Linear) shows the fusable one.
    const mark = (i: number) => {
      if (!pairOf.get(i)?.fusable) pairOf.set(i, pm);
    };
    for (const i of p.linear.nodeIndices) mark(i);
    const between = betweenNode(p);
    if (between) {
      mark(between.nodeIndex);
      pairEdge.set(g.nodes[between.nodeIndex].proto.input[0] ?? '', { id: p.id, fusable: p.fusable });
    }
    mark(p.batchNorm.nodeIndex);
    pairEdge.set(p.preBnValue, { id: p.id, fusable: p.fusable });
    if (p.linear.kind === 'MatMul+Add') pairEdge.set(g.nodes[p.linear.nodeIndices[0]].proto.output[0], { id: p.id, fusable: p.fusable });
  }

  const inits = new Set(g.proto.initializer.map((t) => t.name));
  for (const vi of g.proto.input) {
    if (!vi.name || inits.has(vi.name)) continue;
    nodes.push({ id: inputId(vi.name), kind: 'input', opType: 'Input', name: vi.name, outputs: typeLabel(shapes.types.get(vi.name)) });
  }
  // One string per value's label and per distinct shape text: every edge carries its label, and the
  // worker keeps them all (a 10,000-node model has tens of thousands, most repeating a few shapes).
  const texts = new Interner();
  const labels = new Map<string, string>();
  const labelOf = (value: string): string => {
    let l = labels.get(value);
    if (l === undefined) labels.set(value, (l = texts.one(typeLabel(shapes.types.get(value)))));
    return l;
  };
  for (const n of g.nodes) {
    if (hidden.has(n.index)) continue;
    nodes.push({
      id: nodeId(n.index),
      kind: 'op',
      opType: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType,
      name: n.proto.name ?? '',
      outputs: texts.one(
        n.proto.output
          .filter((o) => o !== '')
          .slice(0, 2)
          .map((o) => formatShape(shapes.types.get(o)?.shape ?? null))
          .join(' · '),
      ),
      pair: pairOf.get(n.index),
    });
  }
  for (const vi of g.proto.output) {
    if (!vi.name) continue;
    nodes.push({ id: outputId(vi.name), kind: 'output', opType: 'Output', name: vi.name, outputs: typeLabel(shapes.types.get(vi.name)) });
  }

  const sourceOf = (value: string): string | null => {
    const v = g.values.get(value);
    if (!v) return null;
    if (v.producer >= 0) return hidden.has(v.producer) ? null : nodeId(v.producer);
    if (v.isGraphInput && !v.initializer) return inputId(value);
    return null;
  };
  for (const n of g.nodes) {
    if (hidden.has(n.index)) continue;
    const seen = new Set<string>();
    for (const input of n.proto.input) {
      if (!input || seen.has(input)) continue;
      seen.add(input);
      const src = sourceOf(input);
      if (!src) continue;
      edges.push({ source: src, target: nodeId(n.index), value: input, label: labelOf(input), pair: pairEdge.get(input) });
    }
  }
  // A value a subgraph reads by its outer name is drawn as an edge into the node holding the subgraph.
  for (const v of g.values.values()) {
    for (let k = 0; k < v.readerCount; k++) {
      const node = readerNode(g, v, k);
      if (readerSlot(g, v, k) !== BODY_READ || hidden.has(node) || g.nodes[node].proto.input.includes(v.name)) continue;
      const src = sourceOf(v.name);
      if (!src) continue;
      const target = nodeId(node);
      edges.push({ source: src, target, value: v.name, label: `${labelOf(v.name)} · read in a subgraph`, pair: pairEdge.get(v.name) });
    }
  }
  for (const vi of g.proto.output) {
    if (!vi.name) continue;
    const src = sourceOf(vi.name);
    if (src) edges.push({ source: src, target: outputId(vi.name), value: vi.name, label: labelOf(vi.name) });
  }
  return { nodes, edges };
}
