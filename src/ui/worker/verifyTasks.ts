/**
 * What the verification worker runs for each task (protocol.ts: `VerifyTask`), apart from the
 * worker itself so the store's tests run the same code in Node; decoding an image needs the DOM and
 * is passed in.
 */
import { verify } from '../../core/verify/verify';
import { verifyPerValue } from '../../core/verify/perValue';
import { ortCheck } from '../../core/verify/ortCheck';
import { givenInputs, type GivenInput } from '../../core/verify/givenInputs';
import { producerIds } from '../../core/verify/valueNodes';
import { readModel } from '../../core/onnx/modelIO';
import type { ModelProto } from '../../core/onnx/types';
import type { Pixels } from '../../core/tensorFiles/imageTensor';
import type { PageInputs, VerifyOutcome, VerifyTask } from './protocol';

/** Decodes an image file at a size (decodeImage.ts in the worker). */
export type ImageDecoder = (input: string, fileName: string, file: Blob, width: number, height: number) => Promise<Pixels>;

const bytesOf = async (b: Blob): Promise<Uint8Array> => new Uint8Array(await b.arrayBuffer());

/** The page's inputs as verify takes them (givenInputs.ts fits them to the model, in words when they do not fit). */
async function readGiven(model: ModelProto, given: PageInputs, decode: ImageDecoder) {
  const inputs: Record<string, GivenInput> = {};
  for (const [name, g] of Object.entries(given.inputs)) {
    switch (g.kind) {
      case 'values':
        inputs[name] = g;
        break;
      case 'file':
        inputs[name] = { kind: 'file', file: g.name, bytes: await bytesOf(g.file) };
        break;
      case 'image':
        inputs[name] = { kind: 'image', file: g.name, pixels: await decode(name, g.name, g.file, g.width, g.height), normalize: g.normalize };
        break;
      default:
        g satisfies never;
    }
  }
  const testData = given.testData ? await Promise.all(given.testData.map(async (f) => ({ name: f.path, bytes: await bytesOf(f.file) }))) : null;
  return givenInputs(model, { inputs, testData });
}

export async function runTask(t: VerifyTask, onProgress: (stage: string, fraction: number) => void, decode: ImageDecoder): Promise<VerifyOutcome> {
  const fused = new Uint8Array(t.job.fused);
  const externalData = t.job.externalData.map((e) => ({ path: e.path, data: new Uint8Array(e.data) }));
  if (t.kind === 'ort-check') {
    const { inputs } = await readGiven(readModel(fused), t.given, decode);
    return { kind: 'ort-check', report: await ortCheck(fused, { level: t.level, dims: t.given.dims, inputs, externalData, onProgress }) };
  }
  onProgress('Reading the inputs', 0.01);
  const original = t.reference.kind === 'file' ? await bytesOf(t.reference.file) : new Uint8Array(t.job.original);
  const { inputs, expected } = await readGiven(readModel(original), t.given, decode);
  const base = { dims: t.given.dims, inputs, externalData, onProgress };
  switch (t.kind) {
    case 'verify':
      return { kind: 'verify', report: await verify(original, fused, { ...base, expected }) };
    case 'per-value': {
      const report = await verifyPerValue(original, fused, base);
      // The drawn model is the second one: its nodes are painted.
      const nodeOf = producerIds(readModel(fused), new Set(report.values.map((v) => v.name)));
      return { kind: 'per-value', result: { report, nodeOf } };
    }
    default:
      return t satisfies never;
  }
}
