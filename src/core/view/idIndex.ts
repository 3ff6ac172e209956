/**
 * Values by drawn id, without a map entry per op node. Op node ids are `n<index>`, so op nodes sit
 * in a list by index; inputs, outputs and groups (a few thousand at most) in a map. A map over the
 * 56,000 items of the expanded 50k model was 0.9 MB, built twice on the page (items, view nodes) in
 * the render that draws the expanded graph, and the worker kept two more by node id.
 */
import { nodeIndexOf } from './ids';

/** What the page and the exports ask of a lookup by id (a Map is one too). */
export interface ById<T> {
  get(id: string): T | undefined;
  has(id: string): boolean;
}

/** An index this far past the list's end goes to the map: the list stays dense. */
const MAX_GAP = 4096;

export class IdMap<V> implements ById<V> {
  /** Dense (filled with undefined up to each index set), so V8 keeps it a plain array. */
  private readonly nodes: (V | undefined)[] = [];
  private readonly others = new Map<string, V>();

  get(id: string): V | undefined {
    const n = nodeIndexOf(id);
    // An index set while it was too far ahead is in the map, even once the list has grown past it.
    const v = n >= 0 && n < this.nodes.length ? this.nodes[n] : undefined;
    return v !== undefined ? v : this.others.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, v: V): this {
    const n = nodeIndexOf(id);
    if (n < 0 || n > this.nodes.length + MAX_GAP) {
      this.others.set(id, v);
      return this;
    }
    while (this.nodes.length < n) this.nodes.push(undefined);
    this.nodes[n] = v;
    return this;
  }
}

const indexes = new WeakMap<readonly { id: string }[], IdMap<{ id: string }>>();

/** The list's items by id (the last of equal ids wins, as in a Map built from it); one per list, shared by whoever asks. */
export function indexById<T extends { id: string }>(items: readonly T[]): IdMap<T> {
  let ix = indexes.get(items);
  if (!ix) {
    ix = new IdMap<{ id: string }>();
    for (const it of items) ix.set(it.id, it);
    indexes.set(items, ix);
  }
  return ix as IdMap<T>;
}
