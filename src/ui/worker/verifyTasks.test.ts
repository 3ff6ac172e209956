/**
 * The verification worker's kept session (verifyTasks.ts, keptOriginal.ts), with onnxruntime-web in
 * Node behind an engine that counts the sessions alive: the open model's original is made once and
 * kept while it stays open, released when another model opens or the page says so; a verify on
 * other inputs runs the original again (never served the outputs of the inputs before).
 */
import { describe, expect, it } from 'vitest';
import { writeModel } from '../../core/onnx/modelIO';
import { fuse } from '../../core/rewrite/fuse';
import { sileroLike } from '../../core/testing/sileroLike';
import { webEngine, type OrtEngine, type OrtSession } from '../../core/verify/ortSession';
import { exampleById } from '../../examples/catalog';
import { KEEP_LIMIT_BYTES, VerifyTasks } from './verifyTasks';
import type { PageInputs, Reference, VerifyOutcome } from './protocol';

/** onnxruntime-web, counting the sessions it holds. */
function countingEngine() {
  const live = new Set<OrtSession>();
  let created = 0;
  const engine: OrtEngine = {
    ...webEngine,
    async createSession(bytes, externalData, optimization) {
      const s = await webEngine.createSession(bytes, externalData, optimization);
      created++;
      const counted: OrtSession = {
        run: s.run.bind(s),
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        release: async () => {
          live.delete(counted);
          await s.release();
        },
      };
      live.add(counted);
      return counted;
    },
  };
  return { engine, live: () => live.size, created: () => created };
}

const silero = sileroLike();
const sileroBytes = writeModel(silero);
const sileroFused = writeModel(fuse(silero).model);
const atRate = (sr: number): PageInputs => ({ inputs: { sr: { kind: 'values', text: String(sr) } }, dims: {}, testData: null });
const original: Reference = { kind: 'original' };

/** The inspector worker's state numbers: unless a test says otherwise, each verify is of a new state (after a fold). */
let lastRevision = 0;

/** One request of this kind, as the page sends it. */
function runOn(tasks: VerifyTasks, kind: 'verify' | 'per-value', model: number, bytes: Uint8Array, fused: Uint8Array, given: PageInputs, reference: Reference = original, revision = ++lastRevision): Promise<VerifyOutcome> {
  // Fresh buffers, as the page transfers a copy with every task.
  const job = { revision, original: bytes.slice().buffer, fused: fused.slice().buffer, externalData: [] };
  return tasks.run({ kind, job, given, reference, model }, () => {}, () => Promise.reject(new Error('no images here')));
}

async function verifyOn(tasks: VerifyTasks, model: number, bytes: Uint8Array, fused: Uint8Array, given: PageInputs, reference: Reference = original, revision = ++lastRevision) {
  const out = await runOn(tasks, 'verify', model, bytes, fused, given, reference, revision);
  if (out.kind !== 'verify') throw new Error(out.kind);
  return out.report;
}

describe('the verification worker keeps the open model’s original session', () => {
  it('made ahead, kept across verifies of the same model; the same inputs reuse its outputs, other inputs run it again', async () => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    await tasks.prepare({ model: 1, original: sileroBytes.slice().buffer, externalData: [] });
    // Made ahead, before any verify: the runtime's start session is gone, the original's is alive.
    // (Not run ahead: its integer input `sr` has no value until one is typed.)
    await expect.poll(() => c.live()).toBe(1);

    const a = await verifyOn(tasks, 1, sileroBytes, sileroFused, atRate(16000));
    expect(a.pass).toBe(true);
    expect(a.original.source).toBe('kept-session');
    expect(a.fused.source).toBe('this-verify');
    // The original's session kept, and the fused one's (of this state of the model on screen).
    expect(c.live()).toBe(2);
    const createdAfterA = c.created();

    const b = await verifyOn(tasks, 1, sileroBytes, sileroFused, atRate(16000));
    expect(b.pass).toBe(true);
    expect(b.original.source).toBe('kept-outputs');
    // Only the fused model's session was made for it (another state), the one before released.
    expect(c.created()).toBe(createdAfterA + 1);
    expect(c.live()).toBe(2);

    // Another value of an input: the original runs again on it. Its 8 kHz branch scales by 3 where
    // 16 kHz scales by 2, so the outputs kept for 16 kHz would fail against the fused model's.
    const d = await verifyOn(tasks, 1, sileroBytes, sileroFused, atRate(8000));
    expect(d.original.source).toBe('kept-session');
    expect(d.pass).toBe(true);
    expect(d.inputs.find((i) => i.name === 'sr')?.summary.min).toBe(8000);

    // And the same inputs as before again: kept outputs only for the last inputs run.
    expect((await verifyOn(tasks, 1, sileroBytes, sileroFused, atRate(16000))).original.source).toBe('kept-session');

    await tasks.release();
    expect(c.live()).toBe(0);
    expect(tasks.keptModel).toBeNull();
  });

  it.each(['verify', 'per-value'] as const)('a %s clicked while onnxruntime starts ahead reports the wait for that start; the next one none', async (kind) => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    // The page's order when Verify is clicked before the quiet wait ends: start, prepare, verify.
    // A model with float inputs, so the prepare makes and runs its session (which starts the runtime) before the request.
    const model = exampleById('valid_2d')!.build();
    const bytes = writeModel(model);
    const fused = writeModel(fuse(model).model);
    const none: PageInputs = { inputs: {}, dims: {}, testData: null };
    const startMs = async () => {
      const out = await runOn(tasks, kind, 1, bytes, fused, none);
      switch (out.kind) {
        case 'verify':
          expect(out.report.pass).toBe(true);
          expect(out.report.original.source).toBe('kept-outputs');
          return out.report.runtimeStartMs;
        case 'per-value':
          expect(out.result.report.pass).toBe(true);
          return out.result.report.runtimeStartMs;
        case 'ort-check':
          throw new Error(out.kind);
      }
    };
    tasks.start();
    void tasks.prepare({ model: 1, original: bytes.slice().buffer, externalData: [] });
    expect(await startMs()).toBeGreaterThan(0);
    expect(await startMs()).toBe(0);
    await tasks.release();
  });

  it('opening another model releases the session kept for the one before; a verify against another file keeps it but does not use it', async () => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    const mlpModel = exampleById('valid_2d')!.build();
    const mlp = writeModel(mlpModel);
    const mlpFused = writeModel(fuse(mlpModel).model);
    const r1 = await verifyOn(tasks, 1, sileroBytes, sileroFused, atRate(16000));
    // Not made ahead: this verify made it (and says so), then kept it, and the fused one's.
    expect(r1.original.source).toBe('this-verify');
    expect(c.live()).toBe(2);

    await tasks.prepare({ model: 2, original: mlp.slice().buffer, externalData: [] });
    // Both of model 1 released.
    await expect.poll(() => c.live()).toBe(1);
    expect(tasks.keptModel).toBe(2);
    expect(tasks.keptFused).toBeNull();

    const file: Reference = { kind: 'file', name: 'mlp.onnx', file: new Blob([mlp.slice()]) };
    const r2 = await verifyOn(tasks, 2, mlp, mlpFused, { inputs: {}, dims: {}, testData: null }, file);
    expect(r2.pass).toBe(true);
    expect(r2.original.source).toBe('this-verify');
    expect(tasks.keptModel).toBe(2);
    // The original kept, and the model on screen's.
    expect(c.live()).toBe(2);

    // No inputs chosen: the original was run ahead on them, when it was prepared; only the fused model's session is made now.
    const before = c.created();
    const r3 = await verifyOn(tasks, 2, mlp, mlpFused, { inputs: {}, dims: {}, testData: null });
    expect(r3.pass).toBe(true);
    expect(r3.original.source).toBe('kept-outputs');
    expect(c.created()).toBe(before + 1);
    // Another batch size: other inputs, run now.
    const dim = r3.dims[0].name;
    const r4 = await verifyOn(tasks, 2, mlp, mlpFused, { inputs: {}, dims: { [dim]: r3.dims[0].value + 1 }, testData: null });
    expect(r4.pass).toBe(true);
    expect(r4.original.source).toBe('kept-session');
    await tasks.release();
    expect(c.live()).toBe(0);
  });
});

describe('the verification worker makes the session of the model on screen ahead', () => {
  const mlpModel = exampleById('valid_2d')!.build();
  const mlp = writeModel(mlpModel);
  const mlpFused = writeModel(fuse(mlpModel).model);
  const none: PageInputs = { inputs: {}, dims: {}, testData: null };

  it('made and run ahead for a state of the model on screen: a verify of that state makes no session and runs neither model', async () => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    await tasks.prepare({ model: 1, original: mlp.slice().buffer, externalData: [] });
    await tasks.prepareFused(1, { revision: 7, fused: mlpFused.slice().buffer, externalData: [] });
    expect(tasks.keptFused).toBe(7);
    expect(c.live()).toBe(2);
    const created = c.created();
    const r = await verifyOn(tasks, 1, mlp, mlpFused, none, original, 7);
    expect(r.pass).toBe(true);
    expect(r.fused.source).toBe('kept-outputs');
    expect(r.original.source).toBe('kept-outputs');
    expect(c.created()).toBe(created);
    // Other inputs run the kept session again.
    const dim = r.dims[0].name;
    const r2 = await verifyOn(tasks, 1, mlp, mlpFused, { inputs: {}, dims: { [dim]: r.dims[0].value + 1 }, testData: null }, original, 7);
    expect(r2.pass).toBe(true);
    expect(r2.fused.source).toBe('kept-session');
    expect(c.created()).toBe(created);
    await tasks.release();
    expect(c.live()).toBe(0);
    expect(tasks.keptFused).toBeNull();
  });

  it('a newer state replaces the one prepared before: a verify of another state never uses it', async () => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    // The Transpose trap folded against the axis rule computes other numbers; undone, it is the model as opened.
    const seedModel = exampleById('transpose_wrong_axis')!.build();
    const seed = writeModel(seedModel);
    const wrong = () => writeModel(fuse(seedModel, { ignoreAxisRule: true }).model);
    await tasks.prepare({ model: 1, original: seed.slice().buffer, externalData: [] });
    // State 3: the wrong fold, prepared. State 4, on screen at the click: undone.
    await tasks.prepareFused(1, { revision: 3, fused: wrong().slice().buffer, externalData: [] });
    const stale = await verifyOn(tasks, 1, seed, wrong(), none, original, 3);
    // A verify of state 3 compares what was prepared for it: the wrong fold fails.
    expect(stale.fused.source).toBe('kept-outputs');
    expect(stale.pass).toBe(false);
    const fresh = await verifyOn(tasks, 1, seed, seed, none, original, 4);
    expect(fresh.fused.source).toBe('this-verify');
    expect(fresh.pass).toBe(true);
    expect(tasks.keptFused).toBe(4);

    // The wrong fold prepared (state 5), then, before the worker came to it, undone and prepared again
    // (state 6): 5's is never made (the click waits for 6's), 6's is used.
    const created = c.created();
    const five = tasks.prepareFused(1, { revision: 5, fused: wrong().slice().buffer, externalData: [] });
    await tasks.prepareFused(1, { revision: 6, fused: seed.slice().buffer, externalData: [] });
    await five;
    expect(c.created()).toBe(created + 1);
    expect(tasks.keptFused).toBe(6);
    await expect.poll(() => c.live()).toBe(2);
    const second = await verifyOn(tasks, 1, seed, seed, none, original, 6);
    expect(second.fused.source).toBe('kept-outputs');
    expect(second.pass).toBe(true);
    await tasks.release();
    expect(c.live()).toBe(0);
  });

  it('above the keep limit neither side is made ahead', async () => {
    const c = countingEngine();
    const tasks = new VerifyTasks(c.engine);
    const big = [{ path: 'w.bin', data: new ArrayBuffer(KEEP_LIMIT_BYTES) }];
    await tasks.prepareFused(1, { revision: 1, fused: mlpFused.slice().buffer, externalData: big });
    expect(tasks.keptFused).toBeNull();
    expect(c.created()).toBe(0);
  });
});
