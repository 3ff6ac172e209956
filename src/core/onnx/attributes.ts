/** Reading NodeProto attributes, and the tensor a Constant node holds. */
import { makeFloatTensor, makeTensor, encodeInts, toNumber } from './tensor';
import { listOf } from './protobuf';
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from './types';
import { float32Text } from '../numberText';
import { count } from '../plural';

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
  return listOf(a.ints).map(toNumber);
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
      case 'value_floats': {
        const floats = listOf(a.floats);
        return makeFloatTensor(out, [floats.length], floats);
      }
      case 'value_int':
        return makeTensor(out, DataType.INT64, [], encodeInts([toNumber(a.i ?? 0)], DataType.INT64));
      case 'value_ints': {
        const ints = listOf(a.ints);
        return makeTensor(out, DataType.INT64, [ints.length], encodeInts(ints.map(toNumber), DataType.INT64));
      }
    }
  }
  return undefined;
}

/** Human label of an attribute value, for details panels and the CLI. */
export function attributeText(a: AttributeProto): string {
  switch (a.type) {
    case AttributeType.FLOAT:
      return float32Text(a.f ?? 0);
    case AttributeType.INT:
      return String(a.i);
    case AttributeType.STRING:
      return JSON.stringify(new TextDecoder().decode(a.s ?? new Uint8Array()));
    case AttributeType.FLOATS:
      return `[${listOf(a.floats).map(float32Text).join(', ')}]`;
    case AttributeType.INTS:
      return `[${listOf(a.ints).join(', ')}]`;
    case AttributeType.STRINGS:
      return `[${listOf(a.strings).map((s) => JSON.stringify(new TextDecoder().decode(s))).join(', ')}]`;
    case AttributeType.TENSOR:
      return `tensor ${JSON.stringify(a.t?.dims.map(toNumber) ?? [])}`;
    case AttributeType.GRAPH:
      return `graph "${a.g?.name ?? ''}" (${count(a.g?.node.length ?? 0, 'node')})`;
    case AttributeType.GRAPHS:
      return count(listOf(a.graphs).length, 'graph');
    default:
      if (a.f !== undefined) return float32Text(a.f);
      if (a.i !== undefined) return String(a.i);
      return '(unsupported attribute type)';
  }
}
