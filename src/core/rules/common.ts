/** Small helpers the pair rules share: quoting names, constants, shapes. */
import type { GraphNode, Value } from '../graph/graph';
import type { Dim, ShapeInfo } from '../graph/shapeInference';

export function q(name: string): string {
  return `"${name}"`;
}

export function nodeRef(n: GraphNode): string {
  return `${n.opType} ${q(n.label)}`;
}

export function isConst(v: Value | undefined): boolean {
  return v?.constant !== undefined;
}

export function shapeOf(shapes: ShapeInfo, name: string): Dim[] | null {
  return shapes.types.get(name)?.shape ?? null;
}
