/**
 * The page store's verification beyond the plain Verify (VerifyingStore): the user's inputs, where
 * the models part, onnxruntime's optimizer, another model file. In Node with the fakes of
 * testing/storeFakes.ts: the real InspectorSession in-process, onnxruntime-web verifying.
 */
import { describe, expect, it } from 'vitest';
import { writeModel, readModel } from '../../core/onnx/modelIO';
import { ModelBuilder } from '../../core/onnx/builder';
import { sileroLike } from '../../core/testing/sileroLike';
import { analyzeModel } from '../../core/analysis';
import { producerIds } from '../../core/verify/valueNodes';
import { isCurrent } from './pageState';
import { client0, FakeEnv, started } from './testing/storeFakes';

describe('verify on the user’s inputs, where the models part, onnxruntime’s optimizer', () => {
  const fileOf = (bytes: Uint8Array, name: string) => new File([bytes.slice()], name);

  it('an integer input is refused in words until its value is typed; the report says where each input came from', async () => {
    const { store, state, verifier, client } = await started();
    expect(await store.openFile(fileOf(writeModel(sileroLike()), 'silero.onnx'))).toBe(true);
    await store.verify();
    expect(state().error?.message).toContain('Input "sr" (int64 []) needs its values');
    // Refused on the page: nothing went to the verification worker.
    expect(verifier.tasks).toHaveLength(0);
    store.setInputChoice('sr', { kind: 'values', text: '8000' });
    store.setDimText('batch', '3');
    await store.verify();
    const r = state().verify!.report;
    expect(r.pass).toBe(true);
    expect(r.inputs.find((i) => i.name === 'sr')).toMatchObject({ origin: { kind: 'values' }, dims: [], summary: { min: 8000, max: 8000 } });
    expect(r.inputs.find((i) => i.name === 'input')).toMatchObject({ origin: { kind: 'random', seed: 42 }, dims: [3, 4] });
    // The exported report says which inputs were used.
    const md = client.session.report().markdown;
    expect(md).toContain('| `sr` | typed values | int64 [] | value 8000 |');
    expect(md).toContain('| `input` | random (seed 42) | float32 [3, 4] | min ');
    // A newly opened model starts with no choices.
    await store.openUrl('/examples/mlp.onnx');
    expect(store.setup().inputs).toEqual({});
  });

  it('an image is decoded by the page’s decoder at the input’s size and its tensor fed; a file that is not a test data set is refused', async () => {
    const { store, state, verifier } = await started();
    const b = new ModelBuilder('img').opset(17).input('pixels', [1, 3, 'H', 'W']).output('means', [1, 3, 1, 1]);
    b.node('GlobalAveragePool', ['pixels'], ['means'], {}, 'pool');
    await store.openFile(fileOf(writeModel(b.build()), 'img.onnx'));
    const asked: number[][] = [];
    verifier.decode = (_input, _name, _file, width, height) => {
      asked.push([width, height]);
      return Promise.resolve({ width, height, rgba: new Uint8Array(width * height * 4).fill(255) });
    };
    store.setInputChoice('pixels', { kind: 'image', file: new File([new Uint8Array(4)], 'photo.png'), height: '6', width: '', mean: '', std: '' });
    await store.verify();
    expect(asked).toEqual([[224, 6]]);
    const used = state().verify!.report.inputs[0];
    expect(used).toMatchObject({ dims: [1, 3, 6, 224], origin: { kind: 'file', file: 'photo.png' }, summary: { min: 1, max: 1 } });
    store.setTestData([{ path: 'notes.txt', file: new File(['x'], 'notes.txt') }]);
    expect(state().error?.title).toBe('Not a test data set');
    expect(store.setup().testData).toBeNull();
  });

  it('a failed verify after Apply anyway finds where they part: the folded pair’s output, and centres on the node writing it', async () => {
    const { store, state, client } = await started(new FakeEnv('/examples/transpose_wrong_axis.onnx'));
    const pair = state().snapshot!.pairs[0];
    await store.fuse([pair.id], true);
    expect(state().verify?.report.pass).toBe(false);
    const pv = state().perValue!;
    expect(pv.result.report.firstDivergent?.name).toBe(pair.bnOutput);
    // The node painted first is the one writing that value in the model on screen.
    const id = producerIds(readModel(client.session.currentBytes()), new Set([pair.bnOutput]))[pair.bnOutput];
    expect(pv.result.nodeOf[pair.bnOutput]).toBe(id);
    expect(state().focus?.nodeIds).toEqual([id]);
    // Undone to the model as opened: the comparison no longer describes what is on screen.
    await store.undoRedo('undo');
    expect(isCurrent(state(), state().perValue)).toBe(false);
  });

  it('nothing diverges after a valid fold', async () => {
    const { store, state } = await started(new FakeEnv('/examples/valid_2d.onnx'));
    await store.fuse(undefined);
    await store.whereDiffer();
    const r = state().perValue!.result.report;
    expect(r.pass).toBe(true);
    expect(r.firstDivergent).toBeNull();
    expect(r.counts.compared).toBeGreaterThan(0);
  });

  it('onnxruntime’s optimizer check: differs on the Transpose trap, naming the pair it folds anyway; equal on a valid model', async () => {
    const { store, state } = await started(new FakeEnv('/examples/transpose_wrong_axis.onnx'));
    store.setOrtLevel('basic');
    await store.checkOrtOptimizer();
    const r = state().ortCheck!.report;
    expect(r.level).toBe('basic');
    expect(r.pass).toBe(false);
    const refused = analyzeModel(readModel(client0(store))).pairs.filter((p) => !p.fusable);
    expect(r.axisRefused.filter((p) => p.ortFolds).map((p) => [p.id, p.code])).toEqual(refused.map((p) => [p.id, 'TRANSPOSE_AXIS']));
    await store.openUrl('/examples/valid_2d.onnx');
    expect(state().ortCheck).toBeNull();
    await store.checkOrtOptimizer();
    expect(state().ortCheck!.report.pass).toBe(true);
  });

  it('compare with another model: verified against it, and where they part is found by name', async () => {
    const { store, state } = await started();
    await store.openFile(fileOf(writeModel(sileroLike()), 'silero.onnx'));
    store.setInputChoice('sr', { kind: 'values', text: '8000' });
    await store.compareWithFile(fileOf(writeModel(sileroLike(5)), 'silero_other.onnx'));
    expect(state().verify?.reference).toBe('silero_other.onnx');
    expect(state().verify?.report.pass).toBe(false);
    const pv = state().perValue!;
    expect(pv.reference).toBe('silero_other.onnx');
    expect(pv.result.report.firstDivergent?.name).toBe('output');
    // The 16 kHz branch is the same in both: no difference there.
    store.setInputChoice('sr', { kind: 'values', text: '16000' });
    await store.verify();
    expect(state().verify?.report.pass).toBe(true);
  });
});
