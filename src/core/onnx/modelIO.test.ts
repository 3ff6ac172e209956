import { describe, expect, it } from 'vitest';
import { readModel, writeModel } from './modelIO';
import { OnnxReadError } from './errors';
import { ModelBuilder, emptyGraph, makeNode, makeValueInfo } from './builder';
import { corpusBytes, corpusManifest, corpusIt } from '../testing/corpus';
import { tensorToFloat64, makeFloatTensor } from './tensor';
import { buildGraph } from '../graph/graph';
import { DataType, type ModelProto } from './types';
import { originalBytes, type MessageSpec } from './protobuf';
import { encodeMessage } from './protobufEncode';
import { ModelSpec } from './schema';
import { exampleById } from '../../examples/catalog';

function readError(bytes: Uint8Array): OnnxReadError {
  try {
    readModel(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxReadError);
    return e as OnnxReadError;
  }
  throw new Error('expected readModel to fail');
}

/** A model exercising every part the round trip must keep. */
function richModel(): ModelProto {
  const b = new ModelBuilder('rich').opset(17).opset(1, 'com.example');
  b.input('x', ['batch', 3]).input('cond', [], DataType.BOOL).output('y', ['batch', 3]).output('z');
  b.init('w', [3], [1, 2, 3]);
  const thenG = emptyGraph('then');
  thenG.node.push(makeNode('Identity', ['x'], ['t_out']));
  thenG.output.push(makeValueInfo('t_out', DataType.FLOAT, ['batch', 3]));
  const elseG = emptyGraph('else');
  elseG.node.push(makeNode('Neg', ['x'], ['e_out']));
  elseG.output.push(makeValueInfo('e_out', DataType.FLOAT, ['batch', 3]));
  b.node('Mul', ['x', 'w'], ['y'], {}, 'mul');
  b.node('If', ['cond'], ['z'], { then_branch: thenG, else_branch: elseG }, 'if');
  const m = b.build();
  m.docString = 'model doc';
  m.metadataProps.push({ key: 'author', value: 'tests' });
  m.graph!.docString = 'graph doc';
  m.graph!.node[0].docString = 'node doc';
  m.functions.push({
    name: 'MyFn',
    domain: 'com.example',
    input: ['a'],
    output: ['b'],
    attribute: [],
    attributeProto: [],
    node: [makeNode('Relu', ['a'], ['b'])],
    opsetImport: [{ domain: '', version: 17 }],
    valueInfo: [],
    metadataProps: [],
  });
  m.trainingInfo.push({ algorithm: emptyGraph('algo'), initializationBinding: [], updateBinding: [{ key: 'w', value: 'w_new' }] });
  const sparseValues = makeFloatTensor('sp', [2], [5, 6]);
  const sparseIdx = makeFloatTensor('sp_idx', [2], [0, 3], DataType.FLOAT);
  m.graph!.sparseInitializer.push({ values: sparseValues, indices: sparseIdx, dims: [4] });
  return m;
}

describe('ONNX round trip', () => {
  for (const entry of corpusManifest()) {
    corpusIt(`gives back the same bytes for ${entry.file}`, () => {
      const bytes = corpusBytes(entry.file);
      const model = readModel(bytes);
      expect(Buffer.from(writeModel(model)).equals(Buffer.from(bytes))).toBe(true);
      // Re-encoding every message from its fields (no reuse of the original bytes) is also exact.
      expect(Buffer.from(writeModel(model, { reuseOriginal: false })).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  corpusIt('keeps raw_data as a view of the file buffer, not a copy', () => {
    const bytes = corpusBytes('mobilenet_v3_small.onnx');
    const model = readModel(bytes);
    const big = model.graph!.initializer.find((t) => (t.rawData?.length ?? 0) > 1000)!;
    expect(big.rawData!.buffer).toBe(bytes.buffer);
  });

  it('keeps metadata, doc strings, functions, training_info, sparse initializers and subgraphs', () => {
    const bytes = writeModel(richModel());
    const back = readModel(bytes);
    expect(back.docString).toBe('model doc');
    expect(back.metadataProps).toEqual([expect.objectContaining({ key: 'author', value: 'tests' })]);
    expect(back.graph!.docString).toBe('graph doc');
    expect(back.graph!.node[0].docString).toBe('node doc');
    expect(back.functions[0].name).toBe('MyFn');
    expect(back.functions[0].node[0].opType).toBe('Relu');
    expect(back.trainingInfo[0].updateBinding[0]).toEqual(expect.objectContaining({ key: 'w', value: 'w_new' }));
    expect(back.graph!.sparseInitializer[0].dims).toEqual([4]);
    const ifNode = back.graph!.node[1];
    expect(ifNode.attribute.find((a) => a.name === 'then_branch')!.g!.node[0].opType).toBe('Identity');
    expect(ifNode.attribute.find((a) => a.name === 'else_branch')!.g!.node[0].opType).toBe('Neg');
    expect(writeModel(back)).toEqual(bytes);
    expect(writeModel(back, { reuseOriginal: false })).toEqual(bytes);
  });

  it('keeps unknown fields, at every level, through a re-encode', () => {
    const base = writeModel(richModel());
    // Append an unknown field 99 (varint 7) and an unknown length-delimited field 100 to ModelProto.
    const extra = new Uint8Array([0x98, 0x06, 0x07, 0xa2, 0x06, 0x03, 0x61, 0x62, 0x63]);
    const bytes = new Uint8Array(base.length + extra.length);
    bytes.set(base);
    bytes.set(extra, base.length);
    const m = readModel(bytes);
    expect(m.unknownFields?.map((f) => f.no)).toEqual([99, 100]);
    // A modified model is re-encoded from fields; unknown ones must still be there.
    const changed: ModelProto = { ...m, producerName: 'changed' };
    const again = readModel(writeModel(changed));
    expect(again.producerName).toBe('changed');
    expect(again.unknownFields?.map((f) => Array.from(f.bytes))).toEqual([
      [0x98, 0x06, 0x07],
      [0xa2, 0x06, 0x03, 0x61, 0x62, 0x63],
    ]);
    expect(again.graph!.node.length).toBe(2);
  });

  it('reads packed and unpacked repeated fields alike, and float_data / int64_data / double_data / int32_data', () => {
    // TensorProto: dims packed [2] (field 1, wire 2), data_type FLOAT, float_data unpacked twice.
    const f32 = (v: number) => Array.from(new Uint8Array(new Float32Array([v]).buffer));
    const tensor = [0x0a, 0x01, 0x02, 0x10, 0x01, 0x25, ...f32(1.5), 0x25, ...f32(-2), 0x42, 0x01, 0x74];
    const graph = [0x2a, tensor.length, ...tensor, 0x12, 0x01, 0x67];
    const model = new Uint8Array([0x08, 0x08, 0x3a, graph.length, ...graph, 0x42, 0x02, 0x10, 0x11]);
    const m = readModel(model);
    const t = m.graph!.initializer[0];
    expect(t.name).toBe('t');
    expect(t.dims).toEqual([2]);
    expect(Array.from(tensorToFloat64(t))).toEqual([1.5, -2]);
    // Field-equal after a re-encode even though the packing differs.
    const back = readModel(writeModel(m, { reuseOriginal: false }));
    expect(Array.from(tensorToFloat64(back.graph!.initializer[0]))).toEqual([1.5, -2]);
    expect(back.graph!.initializer[0].dims).toEqual([2]);

    const mk = (dataType: number, field: keyof typeof t, values: number[]) => {
      const b = new ModelBuilder();
      const tensor = makeFloatTensor('v', [values.length], values);
      delete tensor.rawData;
      tensor.dataType = dataType;
      (tensor[field] as number[]) = values;
      b.initTensor(tensor);
      return tensorToFloat64(readModel(writeModel(b.build())).graph!.initializer[0]);
    };
    expect(Array.from(mk(DataType.INT64, 'int64Data', [-3, 4, 2 ** 40]))).toEqual([-3, 4, 2 ** 40]);
    expect(Array.from(mk(DataType.DOUBLE, 'doubleData', [0.1, -7.25]))).toEqual([0.1, -7.25]);
    expect(Array.from(mk(DataType.INT32, 'int32Data', [-5, 6]))).toEqual([-5, 6]);
    expect(Array.from(mk(DataType.FLOAT, 'floatData', [0.5, 3]))).toEqual([0.5, 3]);
  });

  it('reads raw_data from the file when asked: the last of two wins, a re-encode from fields keeps it, a copy can set its own', () => {
    const f32 = (v: number) => Array.from(new Uint8Array(new Float32Array([v]).buffer));
    // TensorProto: dims [1], FLOAT, raw_data twice (protobuf keeps the last), then its name.
    const tensor = [0x0a, 0x01, 0x01, 0x10, 0x01, 0x4a, 0x04, ...f32(1.5), 0x4a, 0x04, ...f32(-2), 0x42, 0x01, 0x74];
    const graph = [0x2a, tensor.length, ...tensor, 0x12, 0x01, 0x67];
    const m = readModel(new Uint8Array([0x08, 0x08, 0x3a, graph.length, ...graph, 0x42, 0x02, 0x10, 0x11]));
    const t = m.graph!.initializer[0];
    expect(t.name).toBe('t');
    expect(Array.from(tensorToFloat64(t))).toEqual([-2]);
    const back = readModel(writeModel(m, { reuseOriginal: false })).graph!.initializer[0];
    expect(Array.from(tensorToFloat64(back))).toEqual([-2]);
    // A copy is encoded from its fields, with the data it was given.
    const copy = { ...t, rawData: new Uint8Array(f32(4)) };
    const withCopy = readModel(writeModel({ ...m, graph: { ...m.graph!, initializer: [copy] } }));
    expect(Array.from(tensorToFloat64(withCopy.graph!.initializer[0]))).toEqual([4]);
    // Set on the decoded tensor itself, the value is its own from then on.
    t.rawData = new Uint8Array(f32(8));
    expect(Array.from(tensorToFloat64(t))).toEqual([8]);
  });

  it("knows where every decoded message ends, from the length written before it: one-, two- and three-byte lengths, empty messages", () => {
    const m = richModel();
    m.graph!.initializer.push(makeFloatTensor('w200', [200], Array.from({ length: 200 }, (_, i) => i)));
    m.graph!.initializer.push(makeFloatTensor('w5000', [5000], Array.from({ length: 5000 }, (_, i) => i / 7)));
    // An opset entry of the default domain and version 0 is an empty message.
    m.opsetImport.push({ domain: '', version: 0 });
    const read = readModel(writeModel(m));
    let checked = 0;
    const sizes = new Set<number>();
    const walk = (obj: Record<string, unknown>, spec: MessageSpec) => {
      const bytes = originalBytes(obj);
      expect(bytes).toBeDefined();
      expect(Array.from(bytes!)).toEqual(Array.from(encodeMessage(obj, spec, { reuseOriginal: false })));
      checked++;
      sizes.add(bytes!.length < 128 ? (bytes!.length === 0 ? 0 : 1) : bytes!.length < 16384 ? 2 : 3);
      for (const f of spec.fields) {
        if (f.kind !== 'message') continue;
        const v = obj[f.name];
        for (const sub of Array.isArray(v) ? v : v === undefined ? [] : [v]) walk(sub as Record<string, unknown>, f.msg!());
      }
    };
    walk(read as unknown as Record<string, unknown>, ModelSpec);
    expect(checked).toBeGreaterThan(20);
    expect([...sizes].sort()).toEqual([0, 1, 2, 3]);
  });

  it('keeps int64 values beyond 2^53 exact (e.g. INT64_MAX slice ends)', () => {
    const b = new ModelBuilder();
    b.node('Slice', ['x'], ['y'], { ends: [Number.MAX_SAFE_INTEGER] });
    const m = b.build();
    m.graph!.node[0].attribute[0].ints = [9223372036854775807n, -1];
    const back = readModel(writeModel(m));
    expect(back.graph!.node[0].attribute[0].ints).toEqual([9223372036854775807n, -1]);
  });

  corpusIt('reads Constant node tensors as constants', () => {
    const m = readModel(corpusBytes('train_mode_export.onnx'));
    const g = buildGraph(m);
    const constants = [...g.values.values()].filter((v) => v.constant && v.producer >= 0);
    expect(constants.length).toBeGreaterThan(0);
    for (const v of constants) expect(tensorToFloat64(v.constant!).length).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  const good = writeModel(exampleById('valid_2d')!.build());

  it('empty file', () => {
    expect(readError(new Uint8Array()).code).toBe('EMPTY_FILE');
  });

  it('not protobuf: a PNG, a text file, random bytes', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(readError(png).code).toBe('NOT_PROTOBUF');
    expect(readError(new TextEncoder().encode('hello, this is not a model')).message).toMatch(/not an ONNX/);
    expect(readError(new Uint8Array([0xff, 0xff, 0xff])).code).toBe('NOT_PROTOBUF');
  });

  it('truncated at every length reports the byte where it stopped', () => {
    for (let len = 1; len < good.length; len++) {
      const e = readError(good.subarray(0, len));
      expect(['TRUNCATED', 'NOT_ONNX']).toContain(e.code);
      if (e.code === 'TRUNCATED') {
        expect(e.message).toContain(`file ends at byte ${len}`);
      }
    }
    expect(readError(good.subarray(0, good.length - 10)).code).toBe('TRUNCATED');
  });

  it('a protobuf that is not ONNX', () => {
    // field 7 (graph) written as a varint: valid protobuf, not ONNX.
    expect(readError(new Uint8Array([0x08, 0x07, 0x38, 0x01])).code).toBe('NOT_ONNX');
    // a valid ir_version but no graph
    expect(readError(new Uint8Array([0x08, 0x07])).message).toMatch(/no graph/);
  });

  it('a length field pointing past the end of its enclosing message', () => {
    // ModelProto.graph (7) of 4 bytes holding GraphProto.name (2) claiming 10 bytes.
    const e = readError(new Uint8Array([0x08, 0x07, 0x3a, 0x04, 0x12, 0x0a, 0x61, 0x62, 0x63, 0x64]));
    expect(e.code).toBe('BAD_LENGTH');
    expect(e.message).toMatch(/byte \d+/);
    // A huge length field allocates nothing and fails fast.
    const huge = new Uint8Array([0x08, 0x07, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(readError(huge).code).toBe('TRUNCATED');
  });

  it('deep nesting is refused, not a stack overflow', () => {
    // TypeProto.sequence_type nested 200 levels deep inside a graph input.
    let type: number[] = [];
    for (let i = 0; i < 200; i++) {
      const seq = [0x0a, ...varint(type.length), ...type]; // Sequence.elem_type
      type = [0x22, ...varint(seq.length), ...seq]; // TypeProto.sequence_type
    }
    const vi = [0x12, ...varint(type.length), ...type];
    const graph = [0x5a, ...varint(vi.length), ...vi];
    const bytes = new Uint8Array([0x08, 0x08, 0x3a, ...varint(graph.length), ...graph]);
    expect(readError(bytes).code).toBe('TOO_DEEP');
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
