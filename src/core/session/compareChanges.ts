/**
 * The comparison's changes in graph order: the removed and rewritten nodes gathered into the places
 * the folds touched (a Linear and its BatchNormalization are one change), first to last as the
 * original graph computes them, so the compare view can open on the first and step through the rest.
 */
import type { Graph } from '../graph/graphTypes';
import { readerNode } from '../graph/readers';
import { topologicalOrder } from '../graph/topology';
import { ancestorsOf, type Hierarchy } from '../view/hierarchy';
import { nodeId, nodeIndexOf } from '../view/ids';
import type { CompareChange } from './types';

/** What the changes are read from: the original graph and its groups, and which node is which. */
export interface ChangeInput {
  graph: Graph;
  hierarchy: Hierarchy;
  /** Original node ids the folds removed. */
  removed: readonly string[];
  /** Current node ids the folds rewritten or added. */
  rewritten: readonly string[];
  /** Current id → original id, for nodes with a counterpart. */
  toOrig: ReadonlyMap<string, string>;
  /** Original id → current id. */
  fromOrig: ReadonlyMap<string, string>;
}

/** What a fold allows between its Linear and its BN (Linear→Transpose→BN, Linear→Reshape→BN), which may stay unchanged. */
const BETWEEN = new Set(['Transpose', 'Reshape']);

/** The nodes reading `i`'s outputs. */
function consumers(g: Graph, i: number): number[] {
  const out: number[] = [];
  for (const name of g.nodes[i].proto.output) {
    const v = name ? g.values.get(name) : undefined;
    if (v && v.producer === i) for (let k = 0; k < v.readerCount; k++) out.push(readerNode(g, v, k));
  }
  return out;
}

/** The nodes reading `i`'s outputs, and those producing its inputs. */
function neighbours(g: Graph, i: number): number[] {
  const out = consumers(g, i);
  for (const name of g.nodes[i].proto.input) {
    const p = name ? (g.values.get(name)?.producer ?? -1) : -1;
    if (p >= 0) out.push(p);
  }
  return out;
}

/**
 * A removed node (a BN) joins the changed node feeding it, directly or through a Transpose or
 * Reshape (Linear→Transpose→BN with the Transpose unchanged is one change), and a rewritten node
 * joins a rewritten one it feeds (MatMul, then its bias Add); a removed node does not join the
 * rewritten node it feeds, so a BN folded away just before the next pair's Conv (MobileNet's blocks)
 * leaves two changes. A removed node fed by nothing changed (BN→Linear) joins the node it feeds.
 * Ordered by where each change starts in topological order. A current node with no counterpart (a
 * new bias Add) sits in neither pane's layout and is in no change.
 */
export function changesInOrder(input: ChangeInput): CompareChange[] {
  const { graph: g, toOrig, fromOrig } = input;
  const removed = new Set(input.removed.map(nodeIndexOf).filter((i) => i >= 0));
  const changed = new Set(removed);
  for (const id of input.rewritten) {
    const i = nodeIndexOf(toOrig.get(id) ?? '');
    if (i >= 0) changed.add(i);
  }
  // Union-find over the changed nodes.
  const parent = new Map<number, number>([...changed].map((i) => [i, i]));
  const find = (i: number): number => {
    let r = i;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(i, r);
    return r;
  };
  const join = (a: number, b: number) => parent.set(find(a), find(b));
  const fedRemoved = new Set<number>();
  for (const i of changed) {
    for (const j of consumers(g, i)) {
      // A rewritten node feeding another is one fold's too (MatMul then its bias Add, both rewritten).
      const next = removed.has(j) || (!removed.has(i) && changed.has(j)) ? [j] : BETWEEN.has(g.nodes[j].opType) ? consumers(g, j).filter((k) => removed.has(k)) : [];
      for (const k of next) {
        join(i, k);
        fedRemoved.add(k);
      }
    }
  }
  for (const i of removed) {
    if (fedRemoved.has(i)) continue;
    const j = consumers(g, i).find((k) => changed.has(k));
    if (j !== undefined) join(i, j);
  }
  const rank = new Int32Array(g.nodes.length);
  const { order, cyclic } = topologicalOrder(g);
  [...order, ...cyclic].forEach((n, r) => (rank[n] = r));
  const clusters = new Map<number, number[]>();
  for (const i of changed) {
    const root = find(i);
    const list = clusters.get(root) ?? [];
    list.push(i);
    clusters.set(root, list);
  }
  const byRank = (a: number, b: number) => rank[a] - rank[b];
  const sorted = [...clusters.values()].map((c) => c.sort(byRank)).sort((a, b) => byRank(a[0], b[0]));
  return sorted.map((nodes) => {
    const original = nodes.map(nodeId);
    const fused = input.rewritten.filter((id) => {
      const o = toOrig.get(id);
      return o !== undefined && nodes.includes(nodeIndexOf(o));
    });
    // Where both panes centre: the change's nodes that have a counterpart, and for a removed node
    // its neighbours that do — the same places in both layouts, so the two views stay in step.
    const anchor: { original: string[]; fused: string[] } = { original: [], fused: [] };
    const seen = new Set<string>();
    const add = (i: number) => {
      const o = nodeId(i);
      const c = fromOrig.get(o);
      if (!c || seen.has(o)) return;
      seen.add(o);
      anchor.original.push(o);
      anchor.fused.push(c);
    };
    for (const i of nodes) {
      if (fromOrig.has(nodeId(i))) add(i);
      else for (const j of neighbours(g, i)) add(j);
    }
    const groups = [...new Set(nodes.flatMap((i) => ancestorsOf(input.hierarchy, nodeId(i))))];
    return { original, fused, anchor, groups };
  });
}
