/** The view's edges as a group layout holds them, and the ones it draws for a set of open groups. */
import type { GraphView, ViewEdge } from './graphView';

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

/**
 * The view's edges, as columns (an object each was 1.75 MB at 50,000 nodes): their ends (from,
 * to, from, to, …) and what each carries, as a number per distinct tensor (only told apart when
 * edges merge; the names were 0.6 MB at 10,000 nodes). Read again on every layout, for the edges drawn.
 */
export class ViewEdges {
  private readonly ends: readonly string[];
  private readonly values: Int32Array;
  private readonly labels: readonly string[];
  private readonly pairs: readonly ViewEdge['pair'][];

  constructor(view: GraphView) {
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
  }

  /** Each edge drawn between the items `rep` draws its ends as (the outermost closed group, else the node). */
  visible(rep: (id: string) => string): VisibleEdge[] {
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
