/** Who reads a value, from the graph's packed reader table (see Graph.readers). */
import type { Consumer, Graph, Value } from './graphTypes';

/** The slot number that stands for a read by a subgraph of the node. */
export const BODY_READ = -1;

/** The node of a value's k-th reader. */
export function readerNode(g: Graph, v: Value, k: number): number {
  return g.readers[2 * (v.firstReader + k)];
}

/** The input slot of a value's k-th reader, or BODY_READ. */
export function readerSlot(g: Graph, v: Value, k: number): number {
  return g.readers[2 * (v.firstReader + k) + 1];
}

/** A value's k-th reader as a tagged object, for rules and messages. */
export function readerAt(g: Graph, v: Value, k: number): Consumer {
  const at = 2 * (v.firstReader + k);
  const node = g.readers[at];
  const slot = g.readers[at + 1];
  if (slot !== BODY_READ) return { kind: 'slot', node, slot };
  return { kind: 'body', node, where: g.bodyReads.get(bodyReadKey(node, v.name)) ?? 'a subgraph' };
}

/** A value's readers, in node order (a node's input slots, then its subgraphs' reads). */
export function readersOf(g: Graph, v: Value): Consumer[] {
  const out = new Array<Consumer>(v.readerCount);
  for (let k = 0; k < v.readerCount; k++) out[k] = readerAt(g, v, k);
  return out;
}

export function bodyReadKey(node: number, name: string): string {
  return `${node} ${name}`;
}
