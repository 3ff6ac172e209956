/** Whether a group's children read as one path, so that its layout can be a column (wrapped) and not dagre's. */

/**
 * The children's path when the group's edges run along one path through all of them — each child
 * reads the one before it — and any other edge skips forward along it (a residual connection, a
 * shape computation read further down): the one order in which every edge runs forward; else null
 * (branches side by side, a cycle, a child on no path). `skips` are those other edges, as positions
 * in `order` (from < to).
 */
export function pathOrder(children: readonly string[], edges: readonly (readonly [string, string])[]): { order: string[]; skips: [number, number][] } | null {
  const index = new Map(children.map((c, i) => [c, i]));
  const out: number[][] = children.map(() => []);
  const indegree = new Array<number>(children.length).fill(0);
  for (const [a, b] of edges) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) return null;
    out[i].push(j);
    indegree[j]++;
  }
  // A topological order is the only one exactly when one child at a time has all its inputs placed;
  // each then reads the one before it.
  const ready = children.map((_, i) => i).filter((i) => indegree[i] === 0);
  if (ready.length !== 1) return null;
  const order: number[] = [];
  const at = new Array<number>(children.length);
  while (ready.length === 1) {
    const i = ready.pop()!;
    at[i] = order.length;
    order.push(i);
    for (const j of out[i]) if (--indegree[j] === 0) ready.push(j);
  }
  if (order.length !== children.length) return null;
  const skips: [number, number][] = [];
  const seen = new Set<number>();
  for (const [a, b] of edges) {
    const [p, q] = [at[index.get(a)!], at[index.get(b)!]];
    // Edges come once per child pair; a second one between the same two is no skip either.
    if (q !== p + 1 && !seen.has(p * children.length + q)) skips.push([p, q]);
    seen.add(p * children.length + q);
  }
  return { order: order.map((i) => children[i]), skips };
}

