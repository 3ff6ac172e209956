/**
 * The values a node reads, looked up by name when asked: a list of them kept on every node was
 * 0.3 MB of the worker's heap at 10,000 nodes, for the few nodes the rules look at.
 */
import type { Graph, GraphNode, Value } from './graphTypes';

/** The value a node's input slot reads (undefined for an empty or missing name). */
export function inputOf(g: Graph, n: GraphNode, slot: number): Value | undefined {
  const name = n.proto.input[slot];
  return name ? g.values.get(name) : undefined;
}

/** The values of all a node's input slots. */
export function inputsOf(g: Graph, n: GraphNode): (Value | undefined)[] {
  return n.proto.input.map((_, slot) => inputOf(g, n, slot));
}
