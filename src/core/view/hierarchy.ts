/**
 * Groups a GraphView by name scope (`/features/features.3/block/Conv` → features › features.3 ›
 * block). A group with too many children is split into chunks along file (topological) order, so
 * every group has a bounded number of children and a model without scopes goes through the same
 * code path as one with them. Built once per model; pure data.
 */
import { groupId, isGroupId, ROOT } from './ids';
import { IdMap, indexById } from './idIndex';

export { isGroupId, ROOT } from './ids';
import { pairRole, type GraphView } from './graphView';
import { Interner } from '../strings';

/** The most children a group may have before it is chunked. */
export const MAX_CHILDREN = 40;

export interface Group {
  id: string;
  /** Short label: the last scope segment, or the chunk's range. */
  label: string;
  /** Full scope path, e.g. `/features/features.3`. */
  path: string;
  parent: string | null;
  /** Child ids: group ids (`g:…`) and view node ids, in first-appearance order. */
  children: string[];
  /** Number of view nodes (ops, inputs, outputs) inside. */
  nodeCount: number;
  /** The most frequent op types inside, e.g. `Conv ×3, BatchNormalization ×3`. */
  ops: string;
  fusable: number;
  blocked: number;
  synthetic: boolean;
}

export interface Hierarchy {
  groups: Map<string, Group>;
  /** The group directly containing each view node (held by node index: see IdMap). */
  parentOf: IdMap<string>;
}


/** The scope segments of a node name; the last segment names the op itself and is not a scope. */
export function scopeOf(name: string): string[] {
  if (!name.includes('/')) return [];
  const parts = name.split('/').filter((p) => p !== '');
  return parts.slice(0, -1);
}

export function buildHierarchy(view: GraphView): Hierarchy {
  const groups = new Map<string, Group>();
  const parentOf = new IdMap<string>();
  const root: Group = { id: ROOT, label: 'model', path: '', parent: null, children: [], nodeCount: 0, ops: '', fusable: 0, blocked: 0, synthetic: false };
  groups.set(ROOT, root);

  const ensure = (segments: string[]): Group => {
    let cur = root;
    let path = '';
    for (const seg of segments) {
      path += `/${seg}`;
      const id = groupId(path);
      let g = groups.get(id);
      if (!g) {
        g = { id, label: seg, path, parent: cur.id, children: [], nodeCount: 0, ops: '', fusable: 0, blocked: 0, synthetic: false };
        groups.set(id, g);
        cur.children.push(id);
      }
      cur = g;
    }
    return cur;
  };

  for (const n of view.nodes) {
    const g = n.kind === 'op' ? ensure(scopeOf(n.name)) : root;
    g.children.push(n.id);
    parentOf.set(n.id, g.id);
  }

  // A scope holding a single op (PyTorch names every op after its module) is just that op.
  for (const g of [...groups.values()]) {
    if (g.id === ROOT || g.children.length !== 1 || isGroupId(g.children[0])) continue;
    const leaf = g.children[0];
    const parent = groups.get(g.parent!)!;
    parent.children = parent.children.map((c) => (c === g.id ? leaf : c));
    parentOf.set(leaf, parent.id);
    groups.delete(g.id);
  }

  // Chunk oversized groups (deepest first is unnecessary: chunking only adds levels below).
  for (const g of [...groups.values()]) chunk(g, groups, parentOf);

  // A scope group holding a single child group adds a level and nothing else: fold it away.
  for (const g of [...groups.values()]) {
    if (g.id === ROOT || !groups.has(g.id)) continue;
    while (g.children.length === 1 && isGroupId(g.children[0])) {
      const only = groups.get(g.children[0])!;
      g.children = only.children;
      g.label = `${g.label}/${only.label}`;
      g.path = only.path;
      for (const c of g.children) {
        if (isGroupId(c)) groups.get(c)!.parent = g.id;
        else parentOf.set(c, g.id);
      }
      groups.delete(only.id);
    }
  }

  countInside(root, groups, view);
  return { groups, parentOf };
}

function chunk(g: Group, groups: Map<string, Group>, parentOf: IdMap<string>): void {
  let level = 0;
  while (g.children.length > MAX_CHILDREN) {
    const size = Math.ceil(g.children.length / Math.ceil(g.children.length / MAX_CHILDREN));
    const kids = g.children;
    const next: string[] = [];
    for (let i = 0; i < kids.length; i += size) {
      const part = kids.slice(i, i + size);
      const id = `${g.id}#${level}.${i / size}`;
      const c: Group = {
        id,
        label: `${g.id === ROOT ? 'part' : g.label} ${i + 1}–${i + part.length}`,
        path: g.path,
        parent: g.id,
        children: part,
        nodeCount: 0,
        ops: '',
        fusable: 0,
        blocked: 0,
        synthetic: true,
      };
      groups.set(id, c);
      for (const k of part) {
        if (isGroupId(k)) groups.get(k)!.parent = id;
        else parentOf.set(k, id);
      }
      next.push(id);
    }
    g.children = next;
    level++;
  }
}

function countInside(root: Group, groups: Map<string, Group>, view: GraphView): void {
  const byId = indexById(view.nodes);
  // Iterative post-order: scope trees are shallow, but chunk trees of huge models need not be.
  const order: Group[] = [];
  const stack = [root];
  while (stack.length) {
    const g = stack.pop()!;
    order.push(g);
    for (const c of g.children) if (isGroupId(c)) stack.push(groups.get(c)!);
  }
  const opCounts = new Map<string, Map<string, number>>();
  // Groups of one structure (a model's many identical blocks) share one summary string.
  const summaries = new Interner();
  for (let i = order.length - 1; i >= 0; i--) {
    const g = order[i];
    g.nodeCount = 0;
    g.fusable = 0;
    g.blocked = 0;
    const ops = new Map<string, number>();
    for (const c of g.children) {
      if (isGroupId(c)) {
        const k = groups.get(c)!;
        g.nodeCount += k.nodeCount;
        g.fusable += k.fusable;
        g.blocked += k.blocked;
        for (const [op, n] of opCounts.get(c)!) ops.set(op, (ops.get(op) ?? 0) + n);
        // Children's tallies are no longer needed once folded into the parent.
        opCounts.delete(c);
      } else {
        g.nodeCount++;
        const n = byId.get(c);
        const op = n?.opType ?? '?';
        ops.set(op, (ops.get(op) ?? 0) + 1);
        const p = n?.pair;
        if (n && p && pairRole(n) === 'bn') {
          if (p.fusable) g.fusable++;
          else g.blocked++;
        }
      }
    }
    opCounts.set(g.id, ops);
    g.ops = summaries.one(
      [...ops]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', '),
    );
  }
}

/** Groups from the root down to the one holding `id` (excluding the root). */
export function ancestorsOf(h: Hierarchy, id: string): string[] {
  const out: string[] = [];
  let g = isGroupId(id) ? h.groups.get(id)?.parent : h.parentOf.get(id);
  while (g && g !== ROOT) {
    out.push(g);
    g = h.groups.get(g)?.parent ?? undefined;
  }
  return out.reverse();
}

/**
 * The groups to open first: breadth-first from the root while the number of boxes on screen stays
 * within `budget`, so any model starts with a bounded, readable view.
 */
export function initialExpansion(h: Hierarchy, budget = 40): string[] {
  const expanded: string[] = [];
  let visible = h.groups.get(ROOT)!.children.length;
  const queue = h.groups.get(ROOT)!.children.filter(isGroupId);
  for (let qi = 0; qi < queue.length; qi++) {
    const g = h.groups.get(queue[qi])!;
    const cost = g.children.length - 1;
    if (visible + cost > budget) continue;
    visible += cost;
    expanded.push(g.id);
    for (const c of g.children) if (isGroupId(c)) queue.push(c);
  }
  return expanded;
}

/** Rebuilds the lookup maps from the group list a worker sends to the page. */
export function hierarchyFromGroups(list: readonly Group[]): Hierarchy {
  const groups = new Map(list.map((g) => [g.id, g]));
  const parentOf = new IdMap<string>();
  for (const g of list) for (const c of g.children) if (!isGroupId(c)) parentOf.set(c, g.id);
  return { groups, parentOf };
}
