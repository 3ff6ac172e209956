/**
 * The graph model: nodes, and values with their producer and consumers. Initializers and
 * `Constant` nodes are both "constants". Built once per model in linear time.
 */
import { makeFloatTensor, makeTensor, encodeInts, toNumber } from '../onnx/tensor';
import { AttributeType, DataType, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/types';

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

export interface Consumer {
  node: number;
  slot: number;
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
}

export function opsetVersion(g: Graph, domain: string): number | undefined {
  return g.opsets.get(domain === 'ai.onnx' ? '' : domain);
}

function valueOf(values: Map<string, Value>, name: string): Value {
  let v = values.get(name);
  if (!v) {
    v = { name, producer: -1, producerSlot: -1, consumers: [], isGraphInput: false, isGraphOutput: false };
    values.set(name, v);
  }
  return v;
}

export function buildGraph(model: ModelProto): Graph {
  const proto = model.graph!;
  const values = new Map<string, Value>();
  const opsets = new Map<string, number>();
  for (const o of model.opsetImport) {
    const d = o.domain ?? '';
    opsets.set(d === 'ai.onnx' ? '' : d, toNumber(o.version ?? 0));
  }
  for (const vi of proto.input) if (vi.name) valueOf(values, vi.name).isGraphInput = true;
  for (const t of proto.initializer) {
    if (!t.name) continue;
    const v = valueOf(values, t.name);
    v.initializer = t;
    if (v.isGraphInput) {
      v.notConstantBecause = `"${t.name}" is an initializer that is also a graph input, so a caller may override it`;
    } else {
      v.constant = t;
    }
  }
  const nodes: GraphNode[] = proto.node.map((p, index) => {
    const opType = p.opType ?? '';
    return { index, proto: p, opType, domain: p.domain ?? '', label: p.name ? p.name : `#${index} ${opType}`, inputs: [] };
  });
  for (const n of nodes) {
    const p = n.proto;
    p.output.forEach((name, slot) => {
      if (name === '') return;
      const v = valueOf(values, name);
      v.producer = n.index;
      v.producerSlot = slot;
    });
    if (n.opType === 'Constant' && n.domain === '' && p.output[0]) {
      const t = constantNodeTensor(p);
      if (t) valueOf(values, p.output[0]).constant = t;
    }
  }
  let sorted = true;
  for (const n of nodes) {
    const ins = n.proto.input;
    const inputs = n.inputs;
    for (let slot = 0; slot < ins.length; slot++) {
      const name = ins[slot];
      if (name === '') {
        inputs.push(undefined);
        continue;
      }
      const v = valueOf(values, name);
      inputs.push(v);
      v.consumers.push({ node: n.index, slot });
      if (v.producer >= n.index) sorted = false;
    }
  }
  for (const vi of proto.output) if (vi.name) valueOf(values, vi.name).isGraphOutput = true;
  return { model, proto, nodes, values, opsets, sorted };
}

export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  for (const a of node.attribute) if (a.name === name) return a;
  return undefined;
}

export function attrInt(node: NodeProto, name: string, dflt: number): number;
export function attrInt(node: NodeProto, name: string): number | undefined;
export function attrInt(node: NodeProto, name: string, dflt?: number): number | undefined {
  const a = attr(node, name);
  return a?.i !== undefined ? toNumber(a.i) : dflt;
}

export function attrFloat(node: NodeProto, name: string, dflt: number): number {
  const a = attr(node, name);
  return a?.f !== undefined ? a.f : dflt;
}

export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = attr(node, name);
  if (!a) return undefined;
  return a.ints.map(toNumber);
}

export function attrString(node: NodeProto, name: string): string | undefined {
  const a = attr(node, name);
  return a?.s ? new TextDecoder().decode(a.s) : undefined;
}

/** The tensor a Constant node produces, whichever `value*` attribute it uses. */
export function constantNodeTensor(node: NodeProto): TensorProto | undefined {
  const out = node.output[0] ?? '';
  for (const a of node.attribute) {
    switch (a.name) {
      case 'value':
        return a.t;
      case 'value_float':
        return makeFloatTensor(out, [], [a.f ?? 0]);
      case 'value_floats':
        return makeFloatTensor(out, [a.floats.length], a.floats);
      case 'value_int':
        return makeTensor(out, DataType.INT64, [], encodeInts([toNumber(a.i ?? 0)], DataType.INT64));
      case 'value_ints':
        return makeTensor(out, DataType.INT64, [a.ints.length], encodeInts(a.ints.map(toNumber), DataType.INT64));
    }
  }
  return undefined;
}

/** Human label of an attribute value, for details panels and the CLI. */
export function attributeText(a: AttributeProto): string {
  switch (a.type) {
    case AttributeType.FLOAT:
      return String(a.f);
    case AttributeType.INT:
      return String(a.i);
    case AttributeType.STRING:
      return JSON.stringify(new TextDecoder().decode(a.s ?? new Uint8Array()));
    case AttributeType.FLOATS:
      return `[${a.floats.join(', ')}]`;
    case AttributeType.INTS:
      return `[${a.ints.join(', ')}]`;
    case AttributeType.STRINGS:
      return `[${a.strings.map((s) => JSON.stringify(new TextDecoder().decode(s))).join(', ')}]`;
    case AttributeType.TENSOR:
      return `tensor ${JSON.stringify(a.t?.dims.map(toNumber) ?? [])}`;
    case AttributeType.GRAPH:
      return `graph "${a.g?.name ?? ''}" (${a.g?.node.length ?? 0} nodes)`;
    case AttributeType.GRAPHS:
      return `${a.graphs.length} graphs`;
    default:
      if (a.f !== undefined) return String(a.f);
      if (a.i !== undefined) return String(a.i);
      return '(unsupported attribute type)';
  }
}
