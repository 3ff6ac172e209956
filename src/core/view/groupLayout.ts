/**
 * Layout of a grouped graph, one group at a time. A collapsed group is a fixed-size box; an expanded
 * one is a frame around the layout of its children, computed with dagre on at most MAX_CHILDREN
 * items and cached, so expanding a group lays out that group and its ancestors only — never the
 * whole graph — and no layout ever sees a deep chain.
 */
import dagre from '@dagrejs/dagre';
import type { GraphView, ViewEdge } from './graphView';
import { isGroupId, ROOT, type Hierarchy } from './hierarchy';
import { compactNodeSize, NODE_WIDTH, nodeHeight, type Density } from './layout';
import { shortName } from './names';
import { Interner } from '../strings';
import { IdMap } from './idIndex';
import { boxWidth, frameHeaderWidth } from './groupText';

export const BOX_HEIGHT = 92;

/** A frame's padding (sides and bottom) and header, the gap between ranks, and how tall a column may grow. */
interface Spacing {
  pad: number;
  header: number;
  rankSep: number;
  /**
   * A chain taller than this wraps into columns side by side, read top to bottom, then left to right
   * (null: one column, however tall): about a 900 px pane's height at the readable zoom, so a column
   * is read without scrolling and the pane's width shows several.
   */
  column: number | null;
}

const SPACING: Record<Density, Spacing> = {
  detailed: { pad: 14, header: 36, rankSep: 40, column: null },
  // The rank gap holds an edge's 17 px shape label; the header one 14 px line and a verdict chip.
  compact: { pad: 6, header: 24, rankSep: 20, column: 860 },
};
/** Between wrapped columns: room for the shape labels, wider than the narrowest nodes. */
const COLUMN_GAP = 32;
/**
 * Children narrower than a column are centred on its first AXIS_SPAN px, not on its whole width: a
 * graph input above a model's block wrapped into many columns stays above the first of them.
 */
const AXIS_SPAN = 320;

export interface VisibleItem {
  id: string;
  kind: 'node' | 'box' | 'frame';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Nesting depth, for drawing order. */
  depth: number;
}

/**
 * One drawn edge between two items, standing for every tensor between them. It carries no id and no
 * list of tensor names: nothing drawn reads them, and at 10,000 nodes they were 0.7 MB of the page's
 * heap (the drawing layer names the few edges it mounts).
 */
export interface VisibleEdge {
  source: string;
  target: string;
  /** The tensor's shape and dtype, or `N tensors` when several are bundled. */
  label: string;
  /** Whether this edge shows the label: only the first of the edges leaving one item with the same label (they carry the same tensor). */
  showLabel: boolean;
  pair?: ViewEdge['pair'];
}

export interface LayoutResult {
  items: VisibleItem[];
  edges: VisibleEdge[];
  /** Groups whose internal layout was computed for this call (the rest came from the cache). */
  laidOut: string[];
  /** How much the nodes say: the page draws them as they were sized. */
  density: Density;
}

/** A group's inner layout; groups of one structure share one (a transformer's layers, a model's blocks). */
interface Laid {
  width: number;
  height: number;
  /**
   * Each child's box relative to the group's content origin, in the order of the group's children:
   * x, y, width, height, … — whole pixels, so small integers held in place: a map of one object per
   * child was 0.5 MB of the worker's heap at 10,000 nodes.
   */
  boxes: readonly number[];
  /** Whether no closed box is drawn inside (at any depth): only then does a tall chain wrap into columns. */
  open: boolean;
}

interface Inner extends Laid {
  key: string;
}

export class LayoutCancelled extends Error {
  constructor() {
    super('The layout was cancelled.');
    this.name = 'LayoutCancelled';
  }
}

export class GroupLayout {
  /**
   * The view's edges, as columns (an object each was 1.75 MB at 50,000 nodes): their ends (from,
   * to, from, to, …) and what each carries, as a number per distinct tensor (only told apart when
   * edges merge; the names were 0.6 MB at 10,000 nodes). Read again on every layout, for the edges drawn.
   */
  private readonly ends: readonly string[];
  private readonly values: Int32Array;
  private readonly labels: readonly string[];
  private readonly pairs: readonly ViewEdge['pair'][];
  private readonly h: Hierarchy;
  /** Heights of the nodes taller than a plain one (those in a pair); the rest are plain. */
  private readonly tall = new IdMap<number>();
  /** Compact nodes' sizes, as width × 1024 + height (one small integer each, held in place). */
  private readonly compact = new IdMap<number>();
  private readonly spacing: Spacing;
  /**
   * Edges between children of each group, from the edges between their contents: from, to, from, to, …
   * (a flat list: a pair each was 0.3 MB at 10,000 nodes).
   */
  private readonly childEdges = new Map<string, string[]>();
  /** Layouts by structure (children's sizes and edges by position), shared by identical groups. */
  private readonly byStructure = new Map<string, Laid>();
  private readonly cache = new Map<string, Inner>();
  private readonly keys = new Interner();

  constructor(
    view: GraphView,
    h: Hierarchy,
    readonly density: Density = 'compact',
  ) {
    this.spacing = SPACING[density];
    const ends: string[] = [];
    for (const e of view.edges) ends.push(e.source, e.target);
    // Copied to fit: lists grown by push keep up to half their length spare.
    this.ends = ends.slice();
    const valueNo = new Map<string, number>();
    this.values = Int32Array.from(view.edges, (e) => {
      let k = valueNo.get(e.value);
      if (k === undefined) valueNo.set(e.value, (k = valueNo.size));
      return k;
    });
    this.labels = view.edges.map((e) => e.label);
    this.pairs = view.edges.map((e) => e.pair);
    this.h = h;
    for (const n of view.nodes) {
      if (density === 'detailed') {
        if (n.pair) this.tall.set(n.id, nodeHeight(n));
        continue;
      }
      const scope = h.groups.get(h.parentOf.get(n.id) ?? ROOT)?.path ?? '';
      const s = compactNodeSize(n, n.kind === 'op' ? shortName(n.name, n.opType, scope) : n.name);
      this.compact.set(n.id, s.width * 1024 + s.height);
    }
    const seen = new Set<string>();
    // Ancestor chains while the edges are sorted out only: kept, they were a tenth of the worker's heap.
    const chains = new Map<string, string[]>();
    for (const e of view.edges) {
      const a = this.chain(e.source, chains);
      const b = this.chain(e.target, chains);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      // a[i-1] is the lowest common group; a[i] and b[i] are its children holding each end.
      if (i >= a.length || i >= b.length) continue;
      const g = a[i - 1];
      const key = `${g}|${a[i]}|${b[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let list = this.childEdges.get(g);
      if (!list) this.childEdges.set(g, (list = []));
      list.push(a[i], b[i]);
    }
  }

  /** [root, …groups…, id] for a view node id. */
  private chain(id: string, chains: Map<string, string[]>): string[] {
    let c = chains.get(id);
    if (c) return c;
    const up: string[] = [id];
    let g = this.h.parentOf.get(id) ?? ROOT;
    for (;;) {
      up.push(g);
      const p = this.h.groups.get(g)?.parent;
      if (!p) break;
      g = p;
    }
    c = up.reverse();
    chains.set(id, c);
    return c;
  }

  private sizeOf(id: string, expanded: ReadonlySet<string>, laidOut: string[]): { width: number; height: number } {
    if (!isGroupId(id)) {
      const c = this.compact.get(id);
      if (c !== undefined) return { width: Math.floor(c / 1024), height: c % 1024 };
      return { width: NODE_WIDTH, height: this.tall.get(id) ?? nodeHeight() };
    }
    const g = this.h.groups.get(id)!;
    if (!expanded.has(id)) return { width: boxWidth(g), height: BOX_HEIGHT };
    const inner = this.inner(id, expanded, laidOut);
    // As wide as its header needs, its children centred in it.
    const { pad, header } = this.spacing;
    return { width: Math.max(inner.width + 2 * pad, frameHeaderWidth(g)), height: inner.height + header + pad };
  }

  private inner(id: string, expanded: ReadonlySet<string>, laidOut: string[]): Inner {
    const g = this.h.groups.get(id)!;
    const sizes = g.children.map((c) => this.sizeOf(c, expanded, laidOut));
    // Interned: the cache keeps one key per group, and identical blocks have identical keys.
    const key = this.keys.one(sizes.map((s) => `${s.width}x${s.height}`).join(','));
    const cached = this.cache.get(id);
    if (cached && cached.key === key) return cached;
    laidOut.push(id);
    const flat = this.childEdges.get(id) ?? [];
    const edges: [string, string][] = [];
    for (let k = 0; k < flat.length; k += 2) edges.push([flat[k], flat[k + 1]]);
    const index = new Map(g.children.map((c, i) => [c, i]));
    // A view with closed boxes (a model's first view) stays one column, read top to bottom as before.
    const open = g.children.every((c) => !isGroupId(c) || (expanded.has(c) && this.inner(c, expanded, laidOut).open));
    const shapeKey = `${key}|${open ? 'open' : ''}|${edges.map(([a, b]) => `${index.get(a)}>${index.get(b)}`).join(',')}`;
    let laid = this.byStructure.get(shapeKey);
    if (!laid) {
      const chain = chainOrder(g.children, edges);
      const spacing = open ? this.spacing : { ...this.spacing, column: null };
      laid = { ...(chain ? columns(chain.map((c) => index.get(c)!), sizes, spacing) : dagreLayout(g.children, edges, sizes, spacing.rankSep)), open };
      this.byStructure.set(shapeKey, laid);
    }
    const inner: Inner = { key, ...laid };
    this.cache.set(id, inner);
    return inner;
  }

  /**
   * Lays out the open groups inner-first in time slices, yielding between slices so a caller can
   * cancel (`shouldStop`) and report progress; what was laid out stays cached. Then `layout()` is quick.
   */
  async prepare(expandedIn: Iterable<string>, opts: { shouldStop?: () => boolean; onProgress?: (fraction: number) => void; sliceMs?: number } = {}): Promise<void> {
    const expanded = new Set(expandedIn);
    expanded.add(ROOT);
    const order: string[] = [];
    const stack: [string, boolean][] = [[ROOT, false]];
    // Post-order without recursion: children before parents, as inner() needs their sizes.
    while (stack.length > 0) {
      const [id, done] = stack.pop()!;
      if (done) {
        order.push(id);
        continue;
      }
      stack.push([id, true]);
      for (const c of this.h.groups.get(id)?.children ?? []) if (isGroupId(c) && expanded.has(c)) stack.push([c, false]);
    }
    const slice = opts.sliceMs ?? 25;
    let start = performance.now();
    for (let i = 0; i < order.length; i++) {
      this.inner(order[i], expanded, []);
      if (performance.now() - start > slice) {
        opts.onProgress?.(i / order.length);
        await new Promise((r) => setTimeout(r, 0));
        if (opts.shouldStop?.()) throw new LayoutCancelled();
        start = performance.now();
      }
    }
  }

  layout(expandedIn: Iterable<string>): LayoutResult {
    const expanded = new Set(expandedIn);
    expanded.add(ROOT);
    const laidOut: string[] = [];
    const items: VisibleItem[] = [];
    /** Lays out group `id`'s children in a frame's content of width `outer`, centred in it. */
    const place = (id: string, ox0: number, oy: number, depth: number, outer: number | null) => {
      const { boxes, width: innerWidth } = this.inner(id, expanded, laidOut);
      const ox = outer === null ? ox0 : ox0 + Math.round((outer - innerWidth) / 2);
      const children = this.h.groups.get(id)!.children;
      for (let i = 0; i < children.length; i++) {
        const c = children[i];
        const x = ox + boxes[4 * i];
        const y = oy + boxes[4 * i + 1];
        const width = boxes[4 * i + 2];
        const height = boxes[4 * i + 3];
        if (!isGroupId(c)) items.push({ id: c, kind: 'node', x, y, width, height, depth });
        else if (!expanded.has(c)) items.push({ id: c, kind: 'box', x, y, width, height, depth });
        else {
          items.push({ id: c, kind: 'frame', x, y, width, height, depth });
          place(c, x + this.spacing.pad, y + this.spacing.header, depth + 1, width - 2 * this.spacing.pad);
        }
      }
    };
    place(ROOT, 0, 0, 0, null);
    return { items, edges: this.visibleEdges(expanded), laidOut, density: this.density };
  }

  /** Each edge drawn between the outermost collapsed groups (or nodes) holding its ends. */
  private visibleEdges(expanded: ReadonlySet<string>): VisibleEdge[] {
    // The outermost closed group around the node, else the node itself.
    const rep = (id: string): string => {
      let out = id;
      for (let g = this.h.parentOf.get(id) ?? ROOT; g !== ROOT; g = this.h.groups.get(g)?.parent ?? ROOT) if (!expanded.has(g)) out = g;
      return out;
    };
    const merged = new Map<string, VisibleEdge>();
    // The tensors each drawn edge stands for, kept for this call only: their count is the label.
    const carried = new Map<string, number[]>();
    for (let i = 0; i < this.values.length; i++) {
      const s = rep(this.ends[2 * i]);
      const t = rep(this.ends[2 * i + 1]);
      if (s === t) continue;
      const key = `${s}\u0000${t}`;
      const value = this.values[i];
      const m = merged.get(key);
      if (!m) {
        merged.set(key, { source: s, target: t, label: this.labels[i], showLabel: true, pair: this.pairs[i] });
        carried.set(key, [value]);
        continue;
      }
      const values = carried.get(key)!;
      if (!values.includes(value)) {
        values.push(value);
        m.label = `${values.length} tensors`;
        m.pair ??= this.pairs[i];
      }
    }
    const edges = [...merged.values()];
    const labelled = new Set<string>();
    for (const e of edges) {
      const key = `${e.source}\u0000${e.label}`;
      e.showLabel = !labelled.has(key);
      labelled.add(key);
    }
    return edges;
  }
}

/**
 * The children in path order when the group's edges make one simple path through all of them (each
 * child reads only the one before it) — the common case of a block of ops or of one group per
 * layer — else null. Such a group needs no dagre: its layout is a column.
 */
export function chainOrder(children: readonly string[], edges: readonly (readonly [string, string])[]): string[] | null {
  if (children.length === 1) return [...children];
  if (edges.length !== children.length - 1) return null;
  const next = new Map<string, string>();
  const hasPrev = new Set<string>();
  for (const [a, b] of edges) {
    if (next.has(a) || hasPrev.has(b) || a === b) return null;
    next.set(a, b);
    hasPrev.add(b);
  }
  const starts = children.filter((c) => !hasPrev.has(c));
  if (starts.length !== 1) return null;
  const order: string[] = [];
  for (let c: string | undefined = starts[0]; c !== undefined; c = next.get(c)) {
    order.push(c);
    if (order.length > children.length) return null;
  }
  return order.length === children.length ? order : null;
}

/**
 * A path's children as dagre lays out a path — one column, centred, ranks `rankSep` apart — cut
 * into columns side by side when taller than `spacing.column` (`order` holds child positions in
 * path order). Each column is filled up to that height (a child taller than it has a column of its
 * own, unless what comes before it is short — a graph input above the model's first block — as a
 * column of its own would waste the pane's width), and its children are centred in it.
 */
export function columns(order: readonly number[], sizes: readonly { width: number; height: number }[], spacing: Pick<Spacing, 'rankSep' | 'column'>): Omit<Laid, 'open'> {
  const { rankSep } = spacing;
  const limit = spacing.column ?? Infinity;
  const runs: number[][] = [[]];
  let y = 0;
  for (const i of order) {
    const run = runs[runs.length - 1];
    if (run.length > 0 && y + rankSep + sizes[i].height > limit && y >= limit / 5) {
      runs.push([i]);
      y = sizes[i].height;
    } else {
      y += (run.length > 0 ? rankSep : 0) + sizes[i].height;
      run.push(i);
    }
  }
  const boxes = new Array<number>(4 * sizes.length);
  let x = 0;
  let height = 0;
  for (const run of runs) {
    const width = Math.max(...run.map((i) => sizes[i].width));
    const axis = spacing.column === null ? width / 2 : Math.min(width, AXIS_SPAN) / 2;
    let cy = 0;
    for (const i of run) {
      const s = sizes[i];
      boxes[4 * i] = x + Math.max(0, Math.round(axis - s.width / 2));
      boxes[4 * i + 1] = cy;
      boxes[4 * i + 2] = s.width;
      boxes[4 * i + 3] = s.height;
      cy += s.height + rankSep;
    }
    height = Math.max(height, cy - rankSep);
    x += width + COLUMN_GAP;
  }
  return { width: x - COLUMN_GAP, height, boxes };
}

function dagreLayout(children: readonly string[], edges: readonly (readonly [string, string])[], sizes: readonly { width: number; height: number }[], rankSep: number): Omit<Laid, 'open'> {
  const dg = new dagre.graphlib.Graph();
  dg.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: rankSep, marginx: 0, marginy: 0 });
  dg.setDefaultEdgeLabel(() => ({}));
  children.forEach((c, i) => dg.setNode(c, { width: sizes[i].width, height: sizes[i].height }));
  for (const [a, b] of edges) dg.setEdge(a, b);
  dagre.layout(dg);
  const boxes = new Array<number>(4 * children.length);
  let width = 0;
  let height = 0;
  children.forEach((c, i) => {
    const p = dg.node(c);
    const s = sizes[i];
    // Whole pixels: small integers are stored in place, fractions each take a heap number.
    const x = Math.round(p.x - s.width / 2);
    const y = Math.round(p.y - s.height / 2);
    boxes[4 * i] = x;
    boxes[4 * i + 1] = y;
    boxes[4 * i + 2] = s.width;
    boxes[4 * i + 3] = s.height;
    width = Math.max(width, x + s.width);
    height = Math.max(height, y + s.height);
  });
  return { width, height, boxes };
}
