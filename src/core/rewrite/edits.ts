/**
 * The edits one pass of folds makes to a graph, collected before the node list is rebuilt, and the
 * fresh names they need.
 */
import type { GraphProto, NodeProto, TensorProto } from '../onnx/types';

export interface FoldedPair {
  id: string;
  /** Names of the tensors written for the fold. */
  weight: string;
  bias: string;
  removedNodes: string[];
}

export class NameAllocator {
  private used = new Set<string>();
  constructor(g: GraphProto) {
    const add = (n: string | undefined) => n !== undefined && this.used.add(n);
    for (const t of g.initializer) add(t.name);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) add(v.name);
    for (const n of g.node) {
      add(n.name);
      n.output.forEach(add);
      n.input.forEach(add);
    }
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

export interface Edits {
  names: NameAllocator;
  replaced: Map<number, NodeProto>;
  removed: Set<number>;
  /** New nodes to insert right after a node index. */
  insertedAt: Map<number, NodeProto[]>;
  newInits: TensorProto[];
  droppedValues: Set<string>;
}

export function newEdits(g: GraphProto): Edits {
  return { names: new NameAllocator(g), replaced: new Map(), removed: new Set(), insertedAt: new Map(), newInits: [], droppedValues: new Set() };
}

export function addNode(name: string, a: string, b: string, out: string): NodeProto {
  return { input: [a, b], output: [out], name, opType: 'Add', attribute: [], metadataProps: [] };
}
