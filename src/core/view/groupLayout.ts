/**
 * Layout of a grouped graph, one group at a time. A collapsed group is a fixed-size box; an expanded
 * one is a frame around the layout of its children, computed with dagre on at most MAX_CHILDREN
 * items and cached, so expanding a group lays out that group and its ancestors only — never the
 * whole graph — and no layout ever sees a deep chain.
 */
import type { GraphView } from './graphView';
import { isGroupId, ROOT, type Hierarchy } from './hierarchy';
import { compactNodeSize, NODE_WIDTH, nodeHeight, type Density } from './layout';
import { shortName } from './names';
import { Interner } from '../strings';
import { IdMap } from './idIndex';
import { boxWidth, frameHeaderWidth } from './groupText';
import { SPACING, type Spacing } from './groupSpacing';
import type { ChildBoxes, Size } from './childBoxes';
import { pathOrder } from './pathOrder';
import { columns } from './columns';
import { dagreLayout } from './dagreLayout';
import { ViewEdges, type VisibleEdge } from './viewEdges';

export const BOX_HEIGHT = 92;

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

export interface LayoutResult {
  items: VisibleItem[];
  edges: VisibleEdge[];
  /** Groups whose internal layout was computed for this call (the rest came from the cache). */
  laidOut: string[];
  /** How much the nodes say: the page draws them as they were sized. */
  density: Density;
}

/** A group's inner layout; groups of one structure share one (a transformer's layers, a model's blocks). */
interface Laid extends ChildBoxes {
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
  private readonly edges: ViewEdges;
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
    this.edges = new ViewEdges(view);
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

  private sizeOf(id: string, expanded: ReadonlySet<string>, laidOut: string[]): Size {
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
      const path = pathOrder(g.children, edges);
      const spacing = open ? this.spacing : { ...this.spacing, column: null };
      // A path with skips (a transformer layer's residuals, a graph's shape computations) is a
      // column only where columns wrap: with closed boxes and in detailed cards dagre draws it as before.
      const asColumns = path !== null && (path.skips.length === 0 || spacing.column !== null);
      laid = { ...(asColumns ? columns(path.order.map((c) => index.get(c)!), sizes, spacing, path.skips) : dagreLayout(g.children, edges, sizes, spacing.rankSep)), open };
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
    return this.edges.visible((id) => {
      let out = id;
      for (let g = this.h.parentOf.get(id) ?? ROOT; g !== ROOT; g = this.h.groups.get(g)?.parent ?? ROOT) if (!expanded.has(g)) out = g;
      return out;
    });
  }
}

