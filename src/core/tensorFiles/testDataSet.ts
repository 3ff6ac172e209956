/**
 * An ONNX test data set (`test_data_set_0/input_0.pb …, output_0.pb …`, as the ONNX model zoo and
 * `onnx.backend.test` write them): the inputs to feed and the outputs the model should give.
 */
import type { ModelProto } from '../onnx/types';
import { declaredInputs, VerifyInputError, type FileInput } from '../verify/verifyInputs';
import { readTensorProtoNamed } from './tensorProtoFile';
import { TensorFileError, type TensorValue } from './tensorValue';

export interface TestDataTensor {
  file: string;
  /** N of `input_N.pb` / `output_N.pb`. */
  index: number;
  /** The TensorProto's name, which matches it to the model; by position (`index`) when it has none. */
  name: string | undefined;
  value: TensorValue;
}

export interface TestDataSet {
  inputs: TestDataTensor[];
  outputs: TestDataTensor[];
}

/** The set's `input_N.pb` and `output_N.pb` files (other files are left alone), in order of N. */
export function readTestDataSet(files: readonly { name: string; bytes: Uint8Array }[]): TestDataSet {
  const set: TestDataSet = { inputs: [], outputs: [] };
  for (const f of files) {
    const base = f.name.split(/[\\/]/).pop() ?? f.name;
    const m = /^(input|output)_(\d+)\.pb$/.exec(base);
    if (!m) continue;
    let named;
    try {
      named = readTensorProtoNamed(f.bytes);
    } catch (e) {
      if (e instanceof TensorFileError) throw new TensorFileError(e.code, `${f.name}: ${e.message}`);
      throw e;
    }
    (m[1] === 'input' ? set.inputs : set.outputs).push({ file: f.name, index: Number(m[2]), name: named.name, value: named.value });
  }
  for (const list of [set.inputs, set.outputs]) {
    list.sort((a, b) => a.index - b.index);
    list.forEach((t, i) => {
      if (t.index !== i) throw new TensorFileError('BAD_TEST_DATA', `The test data set has ${t.file} but no ${t.file.replace(/_\d+\.pb$/, `_${i}.pb`)}: files are numbered from 0 without gaps.`);
    });
  }
  if (set.inputs.length === 0) throw new TensorFileError('BAD_TEST_DATA', 'The test data set holds no input_N.pb file.');
  return set;
}

/** Each tensor matched to the model's inputs (or outputs) by its name, else by its position. */
function bind(tensors: readonly TestDataTensor[], names: readonly string[], what: 'input' | 'output'): Record<string, FileInput> {
  const out: Record<string, FileInput> = {};
  for (const t of tensors) {
    const name = t.name ?? names[t.index];
    if (name === undefined || !names.includes(name)) {
      throw new VerifyInputError(
        what === 'input' ? 'unknown-input' : 'unknown-output',
        t.name ?? `#${t.index}`,
        `${t.file}${t.name ? ` is named "${t.name}", which is no ${what} of the model` : ` is ${what} #${t.index}, but the model has ${names.length}`}; its ${what}s are ${names.map((n) => `"${n}"`).join(', ')}.`,
      );
    }
    if (out[name]) throw new VerifyInputError('values', name, `${t.file} and ${out[name].file} are both for ${what} "${name}".`);
    out[name] = { file: t.file, tensor: t.value };
  }
  return out;
}

/** A set as verify's `inputs` and `expected`. Throws VerifyInputError for a tensor the model has no place for. */
export function bindTestDataSet(model: ModelProto, set: TestDataSet): { inputs: Record<string, FileInput>; expected: Record<string, FileInput> } {
  return {
    inputs: bind(set.inputs, declaredInputs(model).map((d) => d.name), 'input'),
    expected: bind(set.outputs, model.graph!.output.map((o) => o.name ?? ''), 'output'),
  };
}
