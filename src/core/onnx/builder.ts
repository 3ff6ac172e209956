/** A small API to build ONNX models in TypeScript: for tests, examples and benchmarks. */
import { makeFloatTensor, makeTensor, encodeInts } from './tensor';
import {
  AttributeType,
  DataType,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './types';

/** A dimension: a size, a symbolic name, or null for unknown. */
export type DimSpec = number | string | null;

/** Marks a number as a float attribute even when it is integral (e.g. `alpha: float(1)`). */
export interface FloatAttr {
  float: number;
}
export function float(v: number): FloatAttr {
  return { float: v };
}
export interface FloatsAttr {
  floats: number[];
}
export function floats(v: number[]): FloatsAttr {
  return { floats: v };
}

export type AttrValue = number | string | number[] | string[] | FloatAttr | FloatsAttr | TensorProto | GraphProto;

function isTensor(v: object): v is TensorProto {
  return 'dims' in v && 'dataType' in v;
}

export function makeAttribute(name: string, value: AttrValue): AttributeProto {
  const a: AttributeProto = { name, floats: [], ints: [], strings: [], tensors: [], graphs: [], typeProtos: [], sparseTensors: [] };
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      a.type = AttributeType.INT;
      a.i = value;
    } else {
      a.type = AttributeType.FLOAT;
      a.f = value;
    }
  } else if (typeof value === 'string') {
    a.type = AttributeType.STRING;
    a.s = new TextEncoder().encode(value);
  } else if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'string')) {
      a.type = AttributeType.STRINGS;
      a.strings = (value as string[]).map((x) => new TextEncoder().encode(x));
    } else {
      a.type = AttributeType.INTS;
      a.ints = value as number[];
    }
  } else if ('float' in value) {
    a.type = AttributeType.FLOAT;
    a.f = value.float;
  } else if ('floats' in value && !('dims' in value)) {
    a.type = AttributeType.FLOATS;
    a.floats = (value as FloatsAttr).floats;
  } else if (isTensor(value)) {
    a.type = AttributeType.TENSOR;
    a.t = value;
  } else {
    a.type = AttributeType.GRAPH;
    a.g = value as GraphProto;
  }
  return a;
}

export function makeValueInfo(name: string, elemType: number | undefined, shape: readonly DimSpec[] | null | undefined): ValueInfoProto {
  const vi: ValueInfoProto = { name, metadataProps: [] };
  if (elemType !== undefined) {
    vi.type = {
      tensorType: {
        elemType,
        shape:
          shape === null || shape === undefined
            ? undefined
            : {
                dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
              },
      },
    };
    if (vi.type.tensorType!.shape === undefined) delete vi.type.tensorType!.shape;
  }
  return vi;
}

export function makeNode(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name?: string, domain?: string): NodeProto {
  const node: NodeProto = {
    input: inputs,
    output: outputs,
    opType,
    attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
    metadataProps: [],
  };
  if (name !== undefined) node.name = name;
  if (domain !== undefined) node.domain = domain;
  return node;
}

export function emptyGraph(name = 'graph'): GraphProto {
  return { node: [], name, initializer: [], input: [], output: [], valueInfo: [], sparseInitializer: [], metadataProps: [] };
}

export class ModelBuilder {
  readonly graph: GraphProto;
  private opsets = new Map<string, number>([['', 17]]);
  private producer = 'fusion-inspector builder';
  private counter = 0;

  constructor(graphName = 'main') {
    this.graph = emptyGraph(graphName);
  }

  opset(version: number, domain = ''): this {
    this.opsets.set(domain, version);
    return this;
  }

  producerName(name: string): this {
    this.producer = name;
    return this;
  }

  input(name: string, shape: readonly DimSpec[] | null, elemType: number = DataType.FLOAT): this {
    this.graph.input.push(makeValueInfo(name, elemType, shape));
    return this;
  }

  /** A graph output; without a type it is left for shape inference, as many exporters do. */
  output(name: string, shape?: readonly DimSpec[] | null, elemType?: number): this {
    this.graph.output.push(makeValueInfo(name, shape === undefined && elemType === undefined ? undefined : (elemType ?? DataType.FLOAT), shape));
    return this;
  }

  valueInfo(name: string, shape: readonly DimSpec[] | null, elemType: number = DataType.FLOAT): this {
    this.graph.valueInfo.push(makeValueInfo(name, elemType, shape));
    return this;
  }

  /** A float initializer (float32 unless another floating dtype is given). */
  init(name: string, dims: readonly number[], values: ArrayLike<number>, dataType: number = DataType.FLOAT): this {
    this.graph.initializer.push(makeFloatTensor(name, dims, values, dataType));
    return this;
  }

  initInts(name: string, dims: readonly number[], values: ArrayLike<number>, dataType: number = DataType.INT64): this {
    this.graph.initializer.push(makeTensor(name, dataType, dims, encodeInts(values, dataType)));
    return this;
  }

  initTensor(t: TensorProto): this {
    this.graph.initializer.push(t);
    return this;
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name?: string): this {
    this.graph.node.push(makeNode(opType, inputs, outputs, attrs, name ?? `${opType}_${this.counter++}`));
    return this;
  }

  /** A `Constant` node producing `output` from a float tensor. */
  constant(output: string, dims: readonly number[], values: ArrayLike<number>, dataType: number = DataType.FLOAT): this {
    return this.node('Constant', [], [output], { value: makeFloatTensor(output, dims, values, dataType) });
  }

  constantInts(output: string, dims: readonly number[], values: ArrayLike<number>): this {
    return this.node('Constant', [], [output], { value: makeTensor(output, DataType.INT64, dims, encodeInts(values, DataType.INT64)) });
  }

  build(): ModelProto {
    return {
      irVersion: 8,
      producerName: this.producer,
      producerVersion: '0.1',
      graph: this.graph,
      opsetImport: [...this.opsets].map(([domain, version]) => ({ domain, version })),
      metadataProps: [],
      trainingInfo: [],
      functions: [],
    };
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so built models and test inputs are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomValues(rand: () => number, n: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}
