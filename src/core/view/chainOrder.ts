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
