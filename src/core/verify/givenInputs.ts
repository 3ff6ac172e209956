/**
 * The page's inputs for a verify run, as verify takes them: typed text, the bytes of a `.npy` or
 * `.pb` file, decoded image pixels, and the files of a test data set (its inputs and expected
 * outputs), each fitted to the model here so that every caller — the page's worker, tests — gets the
 * same sentences for a bad file. An input given by hand overrides the test data set's.
 */
import { dtypeName } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import { typeFromProto } from '../graph/dims';
import { imageSlot, isImageDtype, pixelsToTensor, type Normalization, type Pixels } from '../tensorFiles/imageTensor';
import { readNpy } from '../tensorFiles/npy';
import { readTensorProto } from '../tensorFiles/tensorProtoFile';
import { bindTestDataSet, readTestDataSet } from '../tensorFiles/testDataSet';
import { TensorFileError, type TensorValue } from '../tensorFiles/tensorValue';
import { VerifyInputError, type FileInput, type InputValue } from './verifyInputs';

export type GivenInput =
  /** Numbers as typed: comma or space separated; `true`/`false` for 1/0. */
  | { kind: 'values'; text: string }
  | { kind: 'file'; file: string; bytes: Uint8Array }
  /** Pixels already at the input's height and width. */
  | { kind: 'image'; file: string; pixels: Pixels; normalize: Normalization | null };

export interface GivenSet {
  inputs: Record<string, GivenInput>;
  /** A test data set's files (`input_N.pb`, `output_N.pb`; others are left alone), or none. */
  testData: readonly { name: string; bytes: Uint8Array }[] | null;
}

/** Typed numbers, or the first piece that is not one. */
export function parseValuesText(text: string): { ok: true; values: number[] } | { ok: false; bad: string } {
  const parts = text.split(/[\s,;[\]]+/).filter((s) => s !== '');
  const values: number[] = [];
  for (const s of parts) {
    const n = s === 'true' ? 1 : s === 'false' ? 0 : Number(s);
    if (Number.isNaN(n)) return { ok: false, bad: s };
    values.push(n);
  }
  return { ok: true, values };
}

function tensorFile(name: string, file: string, bytes: Uint8Array): TensorValue {
  try {
    return /\.npy$/i.test(file) ? readNpy(bytes) : readTensorProto(bytes);
  } catch (e) {
    if (e instanceof TensorFileError) throw new VerifyInputError('values', name, `Input "${name}": ${file} could not be read. ${e.message}`);
    throw e;
  }
}

function imageTensor(model: ModelProto, name: string, g: Extract<GivenInput, { kind: 'image' }>): TensorValue {
  const vi = model.graph!.input.find((v) => v.name === name);
  const t = typeFromProto(vi?.type);
  const dtype = dtypeName(t.dtype);
  const slot = imageSlot(dtype, t.shape);
  if (!slot || !isImageDtype(dtype)) {
    throw new VerifyInputError('shape', name, `Input "${name}" is ${dtype} [${(t.shape ?? []).map((d) => d ?? '?').join(', ')}]: an image fits only a float [N, 3, H, W] or [N, H, W, 3] input.`);
  }
  return pixelsToTensor(g.pixels, { layout: slot.layout, batch: typeof slot.batch === 'number' ? slot.batch : 1, dtype, normalize: g.normalize });
}

/** A test data set bound to the model; a file that is not a tensor is said as a problem with the inputs. */
function testDataSet(model: ModelProto, files: NonNullable<GivenSet['testData']>): { inputs: Record<string, FileInput>; expected: Record<string, FileInput> } {
  try {
    return bindTestDataSet(model, readTestDataSet(files));
  } catch (e) {
    if (e instanceof TensorFileError) throw new VerifyInputError('values', '', `The test data set could not be read: ${e.message}`);
    throw e;
  }
}

/** The given inputs as verify's `inputs`, and the test data set's outputs as its `expected`. Throws VerifyInputError in words. */
export function givenInputs(model: ModelProto, given: GivenSet): { inputs: Record<string, InputValue>; expected: Record<string, FileInput> } {
  const fromSet = given.testData ? testDataSet(model, given.testData) : { inputs: {}, expected: {} };
  const inputs: Record<string, InputValue> = { ...fromSet.inputs };
  for (const [name, g] of Object.entries(given.inputs)) {
    switch (g.kind) {
      case 'values': {
        const p = parseValuesText(g.text);
        if (!p.ok) throw new VerifyInputError('values', name, `Input "${name}": "${p.bad}" is not a number.`);
        if (p.values.length === 0) throw new VerifyInputError('values', name, `Input "${name}": no values were typed.`);
        inputs[name] = { values: p.values };
        break;
      }
      case 'file':
        inputs[name] = { file: g.file, tensor: tensorFile(name, g.file, g.bytes) };
        break;
      case 'image':
        inputs[name] = { file: g.file, tensor: imageTensor(model, name, g) };
        break;
      default:
        g satisfies never;
    }
  }
  return { inputs, expected: fromSet.expected };
}
