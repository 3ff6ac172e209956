/**
 * The page store's opening, folding, history and verification (InspectorStore), in Node with the
 * fakes of testing/storeFakes.ts: the real InspectorSession in-process, onnxruntime-web verifying.
 */
import { describe, expect, it } from 'vitest';
import { writeModel, readModel } from '../../core/onnx/modelIO';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelBuilder } from '../../core/onnx/builder';
import { moveToExternal } from '../../core/onnx/externalData';
import { verifyIsCurrent } from './pageState';
import { client0, FakeEnv, PUBLIC, started } from './testing/storeFakes';

describe('the page store', () => {
  it('opens the default example, or the ?model= one', async () => {
    const a = await started();
    expect(a.state().snapshot?.fileName).toBe('mlp.onnx');
    const b = await started(new FakeEnv('/examples/seed_3d.onnx'));
    expect(b.state().snapshot?.fileName).toBe('seed_3d.onnx');
    expect(b.state().error).toBeNull();
  });

  it('opening shows its progress only when it takes a while; other actions show it at once', async () => {
    const { store, client, state } = await started();
    const seen: (string | null)[] = [];
    store.subscribe(() => seen.push(state().busy?.what ?? null));
    const bytes = () => new Uint8Array(readFileSync(resolve(PUBLIC, 'examples/seed_3d.onnx')));
    // A quick open: never a banner.
    await store.openFile(new File([bytes()], 'quick.onnx'));
    expect(state().snapshot?.fileName).toBe('quick.onnx');
    expect(seen.filter((w) => w !== null)).toEqual([]);
    // A slow open: the banner comes, then goes with the reply.
    client.hold.add('open');
    const slow = store.openFile(new File([bytes()], 'slow.onnx'));
    await new Promise((r) => setTimeout(r, 50));
    expect(state().busy).toBeNull();
    await new Promise((r) => setTimeout(r, 250));
    expect(state().busy?.what).toBe('Opening slow.onnx');
    client.release([0]);
    await slow;
    expect(state().busy).toBeNull();
    expect(state().snapshot?.fileName).toBe('slow.onnx');
    // Fusing shows it before its reply.
    client.hold.add('fuse');
    const fusing = store.fuse(undefined);
    await Promise.resolve();
    expect(state().busy?.what).toBe('Fusing');
    client.release([0]);
    await fusing;
    expect(state().busy).toBeNull();
  });

  it('every action ends in the page state, not in an unhandled rejection', async () => {
    const { store, client, state } = await started();
    client.fail.set('fuse', 'the worker ran out of memory');
    await expect(store.fuse(undefined)).resolves.toBeUndefined();
    expect(state().error).toEqual({ title: 'Could not fuse', message: 'the worker ran out of memory' });
    client.fail.set('details', 'gone');
    await expect(store.selectNode('n0')).resolves.toBeUndefined();
    expect(state().error?.title).toBe('Could not read the node');
    await expect(store.openUrl('/examples/no-such-model.onnx')).resolves.toBe(false);
    expect(state().error?.title).toBe('Could not open “no-such-model.onnx”');
    await expect(store.openUrl('https://elsewhere.example/m.onnx')).resolves.toBe(false);
    expect(state().error?.message).toContain('Only models on this site');
    expect(state().busy).toBeNull();
  });

  it('a verify result belongs to the model it verified: stale after a fold, gone with a new file', async () => {
    const { store, state } = await started();
    await store.verify();
    expect(state().verify?.report.pass).toBe(true);
    expect(verifyIsCurrent(state())).toBe(true);
    await store.fuse(undefined);
    expect(state().snapshot?.step).toBe(1);
    expect(verifyIsCurrent(state())).toBe(false);
    await store.openUrl('/examples/seed_3d.onnx');
    expect(state().verify).toBeNull();
  });

  it('each model opened gets a new number: the worker releases what it kept and makes the new original’s session ahead; a verify names the model, and uses that session', async () => {
    const { store, state, verifier } = await started();
    expect(verifier.told).toEqual(['busy', 'release', 'prepare 1']);
    await store.openUrl('/examples/seed_3d.onnx');
    // Told the page is busy when the open starts (what waits for quiet waits again), before the new model's session is asked for.
    expect(verifier.told).toEqual(['busy', 'release', 'prepare 1', 'busy', 'release', 'prepare 2']);
    await verifier.prepared;
    expect(verifier.worker.keptModel).toBe(2);
    await store.fuse(undefined);
    await store.verify();
    expect(verifier.tasks.at(-1)).toMatchObject({ kind: 'verify', model: 2 });
    const r = state().verify!.report;
    expect(r.pass).toBe(true);
    // Made and run ahead (no inputs chosen), before the click: not this verify's time.
    expect(r.original.source).toBe('kept-outputs');
    expect(r.fused.source).toBe('this-verify');
  });

  it('after each fold, undo or redo the model on screen’s bytes are asked for before its layout, and its session is made ahead: a verify of the second fold uses the second', async () => {
    const { store, client, state, verifier } = await started();
    await verifier.prepared;
    const pairs = state().snapshot!.pairs.filter((p) => p.fusable);
    expect(pairs.length).toBeGreaterThan(1);
    client.calls.length = 0;
    await store.fuse([pairs[0].id]);
    // Asked for ahead of the fold's layout, so the worker copies them first.
    expect(client.calls.indexOf('fusedJob')).toBeGreaterThanOrEqual(0);
    expect(client.calls.indexOf('fusedJob')).toBeLessThan(client.calls.indexOf('layout'));
    await verifier.preparedFused;
    const first = client.revision;
    expect(verifier.worker.keptFused).toBe(first);
    await store.fuse(undefined);
    await verifier.preparedFused;
    expect(client.revision).toBeGreaterThan(first);
    expect(verifier.worker.keptFused).toBe(client.revision);
    await store.verify();
    const task = verifier.tasks.at(-1)!;
    expect(task.job.revision).toBe(client.revision);
    const r = state().verify!.report;
    expect(r.pass).toBe(true);
    // Made and run ahead on these inputs (none chosen) for this state: neither model ran on the click.
    expect(r.fused.source).toBe('kept-outputs');
    expect(r.original.source).toBe('kept-outputs');
    // Undo: another state, prepared again.
    await store.undoRedo('undo');
    await verifier.preparedFused;
    expect(verifier.told.filter((t) => t.startsWith('prepare-fused'))).toHaveLength(3);
    expect(verifier.worker.keptFused).toBe(client.revision);
    // Undone to the model as opened: no fold to prove, nothing asked for.
    client.calls.length = 0;
    await store.undoRedo('undo');
    expect(state().snapshot!.step).toBe(0);
    expect(client.calls).not.toContain('fusedJob');
    expect(verifier.told.filter((t) => t.startsWith('prepare-fused'))).toHaveLength(3);
  });

  it('adding data files gives the model a new number: the worker releases what it kept and makes the original’s session, with the files, ahead', async () => {
    const { store, state, verifier } = await started();
    // The default MLP with its weights moved to a data file, opened without it.
    const { model, data } = moveToExternal(readModel(client0(store)), 'weights.bin', 48);
    expect(await store.openFile(new File([writeModel(model).slice()], 'mlp_ext.onnx'))).toBe(true);
    expect(state().snapshot!.external.map((e) => e.state)).toEqual(['missing']);
    await verifier.prepared;
    const opened = verifier.worker.keptModel!;
    verifier.told.length = 0;
    await store.attachFiles([{ path: 'weights.bin', file: new File([data.slice()], 'weights.bin') }]);
    expect(state().snapshot!.external.map((e) => e.state)).toEqual(['loaded']);
    expect(verifier.told).toEqual(['busy', 'release', `prepare ${opened + 1}`]);
    await verifier.prepared;
    expect(verifier.worker.keptModel).toBe(opened + 1);
    await store.fuse(undefined);
    await store.verify();
    expect(state().error).toBeNull();
    expect(verifier.tasks.at(-1)).toMatchObject({ kind: 'verify', model: opened + 1 });
    const r = state().verify!.report;
    expect(r.pass).toBe(true);
    // Made and run ahead with the data files (without them it could not have run).
    expect(r.original.source).toBe('kept-outputs');
  });

  it('a model onnxruntime refuses: the error says what is wrong in words, onnxruntime’s text only in its details', async () => {
    const { store, state } = await started();
    // BatchNorm of 4 channels on an axis of 8: the model opens and is drawn, but onnxruntime cannot load it.
    const b = new ModelBuilder('m').opset(17).input('x', ['batch', 8]).output('y');
    for (const p of ['s', 'b', 'm', 'v']) b.init(p, [4], Float64Array.from({ length: 4 }, () => 1));
    b.node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], {}, '/bn/BatchNormalization');
    expect(await store.openFile(new File([writeModel(b.build()).slice()], 'bad.onnx'))).toBe(true);
    await store.verify();
    const error = state().error;
    expect(error?.title).toBe('Verification could not run');
    expect(error?.message).toContain('The model as opened has tensors whose sizes do not fit together');
    expect(error?.message).not.toContain('ERROR_CODE');
    expect(error?.details).toContain('Dimension mismatch in unification between 4 and 8');
  });

  it('Cancel works before the verification worker has started (while the models are prepared)', async () => {
    const { store, client, state } = await started();
    client.hold.add('verifyJob');
    const running = store.verify();
    await new Promise((r) => setTimeout(r, 0));
    state().busy!.cancel!();
    client.release([0]);
    await running;
    expect(state().notice).toBe('Verification was cancelled; nothing changed.');
    expect(state().verify).toBeNull();
    expect(state().busy).toBeNull();
  });

  it('after Undo of an incorrect fold neither the model nor its verification says INCORRECT any more', async () => {
    const { store, state } = await started(new FakeEnv('/examples/coincidence_3d.onnx'));
    const pair = state().snapshot!.pairs[0];
    await store.fuse([pair.id], true); // apply anyway, then verify
    expect(state().snapshot?.incorrect).toBe(true);
    expect(state().verify?.incorrect).toBe(true);
    expect(state().verify?.report.pass).toBe(false);
    await store.undoRedo('undo');
    expect(state().snapshot?.incorrect).toBe(false);
    // The panel shows the INCORRECT note only for a verification of the model on screen.
    expect(state().verify !== null && state().verify!.incorrect && verifyIsCurrent(state())).toBe(false);
  });

  it('picking an example puts it in the URL; opening a file of your own takes it out', async () => {
    const { store, env, state } = await started();
    await store.pickExample({ id: 'bn_linear', file: 'bn_linear.onnx', title: '', explanation: '', rule: 'VALID', expect: {} });
    expect(state().snapshot?.fileName).toBe('bn_linear.onnx');
    expect(env.modelUrl).toBe('/examples/bn_linear.onnx');
    store.selectPair(state().snapshot!.pairs[0].id, false);
    expect(env.hash.pair).toBe(state().snapshot!.pairs[0].id);
    const bytes = readFileSync(resolve(PUBLIC, 'examples/seed_3d.onnx'));
    await store.openFile(new File([bytes], 'mine.onnx'));
    expect(env.modelUrl).toBeNull();
  });
});
