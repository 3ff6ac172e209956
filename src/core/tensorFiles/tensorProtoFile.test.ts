/** `.pb` TensorProto files written with the project's writer, read back by readTensorProto and readTestDataSet. */
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../onnx/protobufEncode';
import { TensorSpec } from '../onnx/schema';
import { encodeInts, makeFloatTensor, makeTensor } from '../onnx/tensor';
import { DataType, type TensorProto } from '../onnx/types';
import { writeModel } from '../onnx/modelIO';
import { sileroLike } from '../testing/sileroLike';
import { readTensorProto, readTensorProtoNamed } from './tensorProtoFile';
import { bindTestDataSet, readTestDataSet } from './testDataSet';
import { floatToHalf, halfToFloat } from '../onnx/float16';
import { refusal } from '../testing/npyBytes';

const pb = (t: TensorProto): Uint8Array => encodeMessage(t, TensorSpec);


describe('readTensorProto', () => {
  it('reads raw_data tensors (float32, float16 as its bits, int64, bool) with their names', () => {
    const f = readTensorProtoNamed(pb(makeFloatTensor('input', [2, 2], [0.1, -2, 3.5, 1e-5])));
    expect(f.name).toBe('input');
    expect(f.value).toMatchObject({ dtype: 'float32', dims: [2, 2] });
    expect(Array.from(f.value.data as Float32Array)).toEqual([0.1, -2, 3.5, 1e-5].map(Math.fround));
    const h = readTensorProto(pb(makeFloatTensor('h', [3], [0.5, -1, 65504], DataType.FLOAT16)));
    expect(h.dtype).toBe('float16');
    expect(Array.from(h.data as Uint16Array, halfToFloat)).toEqual([0.5, -1, 65504]);
    const sr = readTensorProto(pb(makeTensor('sr', DataType.INT64, [], encodeInts([16000], DataType.INT64))));
    expect(sr).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.of(16000n) });
    expect(readTensorProto(pb(makeTensor('m', DataType.BOOL, [3], Uint8Array.of(1, 0, 1))))).toEqual({ dtype: 'bool', dims: [3], data: Uint8Array.of(1, 0, 1) });
  });

  it('reads the typed lists (float_data, int64_data, int32_data for float16 and bool)', () => {
    const base = makeTensor('', DataType.FLOAT, [2], new Uint8Array());
    delete base.rawData;
    expect(readTensorProto(pb({ ...base, floatData: [1.25, -3] }))).toEqual({ dtype: 'float32', dims: [2], data: Float32Array.of(1.25, -3) });
    expect(readTensorProto(pb({ ...base, dataType: DataType.INT64, int64Data: [8000, -2] }))).toEqual({ dtype: 'int64', dims: [2], data: BigInt64Array.of(8000n, -2n) });
    expect(readTensorProto(pb({ ...base, dataType: DataType.FLOAT16, int32Data: [floatToHalf(0.5), floatToHalf(2)] })).data).toEqual(Uint16Array.of(floatToHalf(0.5), floatToHalf(2)));
    expect(readTensorProto(pb({ ...base, dataType: DataType.BOOL, int32Data: [1, 0] }))).toEqual({ dtype: 'bool', dims: [2], data: Uint8Array.of(1, 0) });
    expect(readTensorProtoNamed(pb({ ...base, floatData: [1, 2] })).name).toBeUndefined();
  });

  it('refuses in words: too few values, strings, external data, a model file', () => {
    expect(refusal(() => readTensorProto(pb(makeTensor('x', DataType.FLOAT, [4], new Uint8Array(12))))).message).toContain('need 16 bytes of float32 but raw_data holds 12');
    expect(refusal(() => readTensorProto(pb({ ...makeTensor('s', DataType.STRING, [1], new Uint8Array()), rawData: undefined, stringData: [Uint8Array.of(65)] }))).code).toBe('UNSUPPORTED_DTYPE');
    const ext = { ...makeTensor('e', DataType.FLOAT, [1], new Uint8Array()), rawData: undefined, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] };
    expect(refusal(() => readTensorProto(pb(ext))).code).toBe('EXTERNAL_DATA');
    expect(refusal(() => readTensorProto(writeModel(sileroLike()))).code).toBe('NOT_TENSOR_FILE');
  });
});

describe('readTestDataSet', () => {
  const file = (name: string, t: TensorProto) => ({ name: `test_data_set_0/${name}`, bytes: pb(t) });

  it('matches inputs by name, unnamed ones by position, and expected outputs likewise', () => {
    const set = readTestDataSet([
      file('input_1.pb', makeFloatTensor('', [2, 2, 3], new Float32Array(12))),
      file('input_0.pb', makeFloatTensor('input', [2, 4], new Float32Array(8))),
      file('input_2.pb', makeTensor('sr', DataType.INT64, [], encodeInts([16000], DataType.INT64))),
      file('output_0.pb', makeFloatTensor('', [2, 5], new Float32Array(10))),
      { name: 'test_data_set_0/README.txt', bytes: new Uint8Array(3) },
    ]);
    expect(set.inputs.map((t) => [t.index, t.name])).toEqual([[0, 'input'], [1, undefined], [2, 'sr']]);
    const bound = bindTestDataSet(sileroLike(), set);
    expect(Object.keys(bound.inputs)).toEqual(['input', 'state', 'sr']);
    expect(bound.inputs.state.file).toBe('test_data_set_0/input_1.pb');
    expect(Object.keys(bound.expected)).toEqual(['output']);
  });

  it('refuses a gap in the numbering, a tensor named for no input, and a file that cannot be read, naming the file', () => {
    expect(() => readTestDataSet([file('input_1.pb', makeFloatTensor('x', [1], [1]))])).toThrow(/input_1\.pb but no test_data_set_0\/input_0\.pb/);
    const set = readTestDataSet([file('input_0.pb', makeFloatTensor('audio', [1], [1]))]);
    expect(() => bindTestDataSet(sileroLike(), set)).toThrow('test_data_set_0/input_0.pb is named "audio", which is no input of the model; its inputs are "input", "state", "sr".');
    expect(() => readTestDataSet([{ name: 'test_data_set_0/input_0.pb', bytes: pb(makeTensor('x', DataType.FLOAT, [4], new Uint8Array(2))) }])).toThrow(/^test_data_set_0\/input_0\.pb: This tensor cannot be read/);
  });
});
