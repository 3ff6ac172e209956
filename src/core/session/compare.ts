/** The original and the current model drawn side by side with the same layout, and which node is which. */
import type { Analysis } from '../analysis';
import type { Hierarchy } from '../view/hierarchy';
import type { GroupLayout, VisibleItem } from '../view/groupLayout';
import { nodeId } from '../view/ids';
import type { Comparison, Snapshot } from './types';
import { changesInOrder } from './compareChanges';

/** What the comparison reads of a history state. */
export interface ComparedState {
  analysis: Analysis;
  hierarchy: Hierarchy;
  layout: GroupLayout;
  snapshot: Pick<Snapshot, 'nodes' | 'groups'>;
}

/**
 * The original and the current model side by side with the original's layout: each current node
 * sits where its counterpart (same node name, else same first output) sits in the original.
 */
export function compareStates(orig: ComparedState, cur: ComparedState, expanded: string[]): Comparison {
  const origLayout = orig.layout.layout(expanded.filter((g) => orig.hierarchy.groups.has(g)));
  const og = orig.analysis.graph;
  const cg = cur.analysis.graph;
  const byName = new Map<string, number>();
  const byOutput = new Map<string, number>();
  for (const n of og.nodes) {
    if (n.proto.name) byName.set(n.proto.name, n.index);
    if (n.proto.output[0]) byOutput.set(n.proto.output[0], n.index);
  }
  const toOrig = new Map<string, string>();
  const fromOrig = new Map<string, string>();
  const rewritten: string[] = [];
  for (const n of cg.nodes) {
    let k = n.proto.name ? byName.get(n.proto.name) : undefined;
    if (k === undefined && n.proto.output[0]) k = byOutput.get(n.proto.output[0]);
    if (k === undefined || fromOrig.has(nodeId(k))) {
      rewritten.push(nodeId(n.index));
      continue;
    }
    toOrig.set(nodeId(n.index), nodeId(k));
    fromOrig.set(nodeId(k), nodeId(n.index));
    const o = og.nodes[k].proto;
    const same = o.opType === n.proto.opType && o.input.join('\0') === n.proto.input.join('\0') && o.output.join('\0') === n.proto.output.join('\0');
    if (!same) rewritten.push(nodeId(n.index));
  }
  // Inputs and outputs keep their ids (their tensor names).
  for (const v of cur.snapshot.nodes) if (v.kind !== 'op') {
    toOrig.set(v.id, v.id);
    fromOrig.set(v.id, v.id);
  }
  const removed = og.nodes.filter((n) => n.opType !== 'Constant' && !fromOrig.has(nodeId(n.index))).map((n) => nodeId(n.index));
  const fusedGroups = cur.hierarchy.groups;
  const items: VisibleItem[] = [];
  for (const it of origLayout.items) {
    if (it.kind !== 'node') {
      if (fusedGroups.has(it.id)) items.push(it);
      continue;
    }
    const c = fromOrig.get(it.id);
    if (c) items.push({ ...it, id: c });
  }
  // A node new to the fused model (no counterpart) goes where the node it replaced stood.
  const shown = new Set(items.map((i) => i.id));
  const curLayout = cur.layout.layout(expanded.filter((g) => fusedGroups.has(g)));
  return {
    original: { nodes: orig.snapshot.nodes, groups: orig.snapshot.groups, layout: origLayout },
    fused: {
      nodes: cur.snapshot.nodes,
      groups: cur.snapshot.groups,
      layout: { items, edges: curLayout.edges.filter((e) => shown.has(e.source) && shown.has(e.target)), laidOut: curLayout.laidOut, density: origLayout.density },
    },
    counterparts: [...fromOrig.entries()],
    removed,
    rewritten,
    changes: changesInOrder({ graph: og, hierarchy: orig.hierarchy, removed, rewritten, toOrig, fromOrig }),
  };
}
