/** The graph model's types: nodes, and values with their producer and readers. Built by graph.ts. */
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/types';

export interface GraphNode {
  /** Position in GraphProto.node. */
  index: number;
  proto: NodeProto;
  opType: string;
  domain: string;
  /** The node's name, or a stable stand-in (`#<index> <opType>`) when ONNX left it empty. */
  label: string;
  /** The value each input slot reads (undefined for an empty name): rules read these without a name lookup. */
  inputs: (Value | undefined)[];
}

/**
 * Who reads a value: a node through one of its input slots, or a node whose subgraph (an If branch,
 * a Loop or Scan body, at any depth) reads it by its outer-scope name. Both keep the value alive.
 */
export type Consumer = SlotConsumer | BodyConsumer;

export interface SlotConsumer {
  kind: 'slot';
  node: number;
  slot: number;
}

export interface BodyConsumer {
  kind: 'body';
  /** The top-level node holding the subgraph. */
  node: number;
  /** Where inside it, for messages: `the then-branch of If "/cond/If"`. */
  where: string;
}

export interface Value {
  name: string;
  /** Index of the producing node, or -1 for graph inputs, initializers and undefined names. */
  producer: number;
  producerSlot: number;
  consumers: Consumer[];
  isGraphInput: boolean;
  isGraphOutput: boolean;
  initializer?: TensorProto;
  /** The constant value from an initializer or a Constant node. */
  constant?: TensorProto;
  /** Why this value, although stored, is not a constant (e.g. an initializer a caller may override). */
  notConstantBecause?: string;
}

export interface Graph {
  model: ModelProto;
  proto: GraphProto;
  nodes: GraphNode[];
  values: Map<string, Value>;
  /** Opset version per domain ('' = ai.onnx). */
  opsets: Map<string, number>;
  /** True when file order is already topological (every producer before its consumers), as exporters write it. */
  sorted: boolean;
  /** ModelProto.ir_version (0 when absent). */
  irVersion: number;
  /** Values computed by nodes from constants only, folded into `constant` (see constantFolding.ts). */
  folded: Set<string>;
}
