/** The graph model's types: nodes, and values with their producer and readers. Built by graph.ts. */
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/types';
import type { ValueType } from './dims';

export interface GraphNode {
  /** Position in GraphProto.node. */
  readonly index: number;
  readonly proto: NodeProto;
  readonly opType: string;
  readonly domain: string;
  /** The node's name, or a stable stand-in (`#<index> <opType>`) when ONNX left it empty. */
  readonly label: string;
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
  /** Where this value's readers start in Graph.readers (read them with readers.ts). */
  firstReader: number;
  readerCount: number;
  isGraphInput: boolean;
  isGraphOutput: boolean;
  initializer?: TensorProto;
  /** The constant value from an initializer or a Constant node. */
  constant?: TensorProto;
  /** Why this value, although stored, is not a constant (e.g. an initializer a caller may override). */
  notConstantBecause?: string;
  /** Its dtype and shape, once shapes are inferred (read through ShapeInfo.types). */
  type: ValueType | undefined;
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
  /**
   * Every value's readers, value after value (Value.firstReader, Value.readerCount), two numbers a
   * reader: the node's index, then its input slot or BODY_READ when a subgraph of that node reads the
   * value by its outer name. In place of a list of objects per value: those were 1.2 MB of the
   * worker's heap at 10,000 nodes.
   */
  readers: Int32Array;
  /** Where a subgraph reads an outer value, by `<node index> <value name>`, for messages. */
  bodyReads: Map<string, string>;
}
