/**
 * The page store in Node: a fake worker client runs the real InspectorSession in-process (and can
 * hold replies back to deliver them out of order), a fake verifier and a fake browser environment.
 */
import { describe, expect, it, vi } from 'vitest';
import { writeModel } from '../../core/onnx/modelIO';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InspectorSession } from '../../core/session/inspectorSession';
import { verifyFailureOf } from '../../core/verify/verify';
import { VerifyFailedError } from '../../core/verify/verifyFailure';
import { ModelBuilder } from '../../core/onnx/builder';
import { WorkerError, type InspectorApiClient } from '../worker/client';
import type { FusedJob, Method, Params, Result, VerifyJob, VerifyOutcome, VerifyTask } from '../worker/protocol';
import { VerifyTasks, type ImageDecoder } from '../worker/verifyTasks';
import type { VerifierLike } from '../worker/verifier';
import type { HashState } from '../urlState';
import type { PageEnv } from './environment';
import { VerifyingStore } from './verifyingStore';
import { sileroLike } from '../../core/testing/sileroLike';
import { analyzeModel } from '../../core/analysis';
import { readModel } from '../../core/onnx/modelIO';
import { moveToExternal } from '../../core/onnx/externalData';
import { producerIds } from '../../core/verify/valueNodes';
import { buildPlayground } from '../../examples/playground';
import { LESSONS } from '../../examples/lessons';
import { isCurrent, noCurrentModel, verifyIsCurrent } from './pageState';
import { syntheticModel } from '../../examples/synthetic';
import { openableGroups } from './wholeLayout';

const PUBLIC = resolve(fileURLToPath(import.meta.url), '../../../../public');

/** Runs the session in-process; methods in `hold` wait until `release` is called. */
class FakeClient implements InspectorApiClient {
  readonly session = new InspectorSession();
  readonly hold = new Set<Method>();
  readonly fail = new Map<Method, string | Error>();
  private held: { method: Method; params: unknown; run: () => void }[] = [];
  private next = 1;
  /** The methods asked for, in the order asked. */
  readonly calls: Method[] = [];
  /** The number of the model's state, moved with every change as the worker does (protocol.ts: `FusedJob`). */
  revision = 0;
  private changed<T>(snapshot: T): T {
    this.revision++;
    return snapshot;
  }

  private exec(method: Method, params: unknown): unknown {
    const s = this.session;
    switch (method) {
      case 'open': {
        const o = params as Params<'open'>;
        return this.changed(s.open(o.fileName, new Uint8Array(o.bytes as ArrayBuffer)));
      }
      case 'fuse': {
        const f = params as Params<'fuse'>;
        return this.changed(s.fuse(f.only, f.ignoreAxisRule ?? false));
      }
      case 'setDensity':
        s.setDensity((params as Params<'setDensity'>).density);
        return null;
      case 'layout':
        return s.relayout((params as Params<'layout'>).expanded);
      case 'undo':
        return this.changed(s.undo());
      case 'redo':
        return this.changed(s.redo());
      case 'details':
        return s.nodeDetails((params as Params<'details'>).nodeId);
      case 'preview':
        return s.foldPreview((params as Params<'preview'>).pairId);
      case 'verifyJob':
        return { ...this.fusedJob(), original: s.originalBytes().slice().buffer } satisfies VerifyJob;
      case 'fusedJob':
        return this.fusedJob();
      case 'setVerify':
        s.setVerify((params as Params<'setVerify'>).report);
        return { incorrect: s.snapshot().incorrect };
      case 'compare':
        return s.compare((params as Params<'compare'>).expanded);
      case 'report':
        return s.report();
      case 'download': {
        const d = s.download();
        return { ...d, bytes: d.bytes.slice().buffer };
      }
      case 'cancel':
        return null;
      case 'warm':
        return null;
      case 'playground':
        return this.changed(s.open('playground.onnx', writeModel(buildPlayground((params as Params<'playground'>).spec))));
      case 'attach': {
        // The files arrive read (in `start`), by the locations the model names.
        const files = params as { read: ReadonlyMap<string, Uint8Array> };
        const bytes = s.originalBytes();
        return this.changed(s.open(s.openFileName(), bytes, () => {}, { model: readModel(bytes), external: new Map([...s.providedExternalFiles(), ...files.read]) }));
      }
    }
  }

  private fusedJob(): FusedJob {
    const s = this.session;
    return { revision: this.revision, fused: s.currentBytes().slice().buffer, externalData: s.externalData().map((e) => ({ path: e.path, data: e.data.slice().buffer })) };
  }

  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.start(method, params).done;
  }

  start<M extends Method>(method: M, params: Params<M>): { id: number; done: Promise<Result<M>> } {
    const id = this.next++;
    this.calls.push(method);
    const done = new Promise<Result<M>>((resolvePromise, reject) => {
      const run = async () => {
        const error = this.fail.get(method);
        if (error) return reject(typeof error === 'string' ? new Error(error) : error);
        try {
          // A picked File is read in the worker, as the real one does.
          const o = params as Params<'open'>;
          const a = params as Params<'attach'>;
          const p =
            method === 'open' && o.bytes instanceof Blob
              ? { ...o, bytes: await o.bytes.arrayBuffer() }
              : method === 'attach'
                ? { read: new Map(await Promise.all(a.files.map(async (f) => [f.path, new Uint8Array(await f.file.arrayBuffer())] as const))) }
                : params;
          resolvePromise(this.exec(method, p) as Result<M>);
        } catch (e) {
          reject(e as Error);
        }
      };
      if (this.hold.has(method)) this.held.push({ method, params, run: () => void run() });
      else queueMicrotask(() => void run());
    });
    return { id, done };
  }

  cancel(): void {}

  /** Delivers these held replies, in the given order of their requests (0 = first held); the rest stay held. */
  release(order: number[]): void {
    const held = this.held;
    this.held = held.filter((_, i) => !order.includes(i));
    for (const i of order) held[i].run();
  }
}

/** Verification with onnxruntime-web in Node, as the page's worker runs it (verifyTasks.ts); images are decoded by `decode`. */
class NodeVerifier implements VerifierLike {
  readonly tasks: VerifyTask[] = [];
  /** What the worker was told, in order: `prepare N` (made ahead, as the page does when idle) and `release`. */
  readonly told: string[] = [];
  readonly worker = new VerifyTasks();
  /** The last prepare's job handed to the worker. */
  prepared: Promise<void> = Promise.resolve();
  decode: ImageDecoder = () => Promise.reject(new Error('no image decoding in Node'));
  run(task: VerifyTask): Promise<VerifyOutcome> {
    this.tasks.push(task);
    // A failure comes back as the worker sends it: in words, onnxruntime's text beside them.
    return this.worker.run(task, () => {}, this.decode).catch((e: unknown) => {
      throw new VerifyFailedError(verifyFailureOf(e));
    });
  }
  cancel(): boolean {
    return false;
  }
  warm(): void {
    this.worker.start();
  }
  prepare(model: number, job: () => Promise<VerifyJob>): void {
    this.told.push(`prepare ${model}`);
    this.prepared = job().then((j) => this.worker.prepare({ model, original: j.original, externalData: j.externalData }));
  }
  /** The last fused prepare's job handed to the worker. */
  preparedFused: Promise<void> = Promise.resolve();
  prepareFused(model: number, job: () => Promise<FusedJob>): void {
    this.told.push(`prepare-fused ${model}`);
    this.preparedFused = job().then((j) => this.worker.prepareFused(model, j));
  }
  release(): void {
    this.told.push('release');
    void this.worker.release();
  }
}

class FakeEnv implements PageEnv {
  origin = 'http://localhost';
  hash: HashState;
  saved: string[] = [];
  constructor(model: string | null = null, hash: HashState = { node: null, pair: null, open: [] }) {
    if (model) this.search = { model };
    this.hash = hash;
  }
  resolve(url: string): URL {
    return new URL(url, 'http://localhost/');
  }
  async fetchBytes(url: URL): Promise<ArrayBuffer> {
    if (url.origin !== this.origin) throw new Error('cross-origin');
    const b = readFileSync(resolve(PUBLIC, `.${decodeURIComponent(url.pathname)}`));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  search: Record<string, string> = {};
  settings = new Map<string, string>();
  get modelUrl(): string | null {
    return this.search.model ?? null;
  }
  searchParam(name: string): string | null {
    return this.search[name] ?? null;
  }
  setSearch(params: Record<string, string>): void {
    this.search = { ...params };
  }
  loadSetting(key: string): string | null {
    return this.settings.get(key) ?? null;
  }
  saveSetting(key: string, value: string): void {
    this.settings.set(key, value);
  }
  dark = false;
  theme: 'light' | 'dark' | null = null;
  prefersDark(): boolean {
    return this.dark;
  }
  applyTheme(theme: 'light' | 'dark'): void {
    this.theme = theme;
  }
  readHash(): HashState {
    return this.hash;
  }
  writeHash(h: HashState): void {
    this.hash = h;
  }
  save(_blob: Blob, name: string): void {
    this.saved.push(name);
  }
  confirm(): boolean {
    return true;
  }
  async svgToPng(): Promise<Blob> {
    return new Blob([]);
  }
  mark(): void {}
}

/** The bytes of the model on screen, as the session holds them. */
function client0(store: VerifyingStore): Uint8Array {
  return (store as unknown as { client: FakeClient }).client.session.currentBytes();
}

async function started(env = new FakeEnv(), client = new FakeClient()) {
  const verifier = new NodeVerifier();
  const store = new VerifyingStore(client, verifier, env, '/examples/');
  await store.init();
  return { store, client, env, verifier, state: () => store.getState() };
}

describe('the page store', () => {
  it('opens the default example, or the ?model= one', async () => {
    const a = await started();
    expect(a.state().snapshot?.fileName).toBe('mlp.onnx');
    const b = await started(new FakeEnv('/examples/seed_3d.onnx'));
    expect(b.state().snapshot?.fileName).toBe('seed_3d.onnx');
    expect(b.state().error).toBeNull();
  });

  it('a late reply for an earlier request is dropped (details of A arriving after B was clicked)', async () => {
    const { store, client, state } = await started();
    const [a, b] = state().snapshot!.nodes.filter((n) => n.kind === 'op');
    client.hold.add('details');
    const first = store.selectNode(a.id);
    const second = store.selectNode(b.id);
    client.release([1, 0]); // B's reply first, then A's
    await Promise.all([first, second]);
    expect(state().selectedNode).toBe(b.id);
    expect(state().details?.id).toBe(b.id);
  });

  it("a node's details show progress only when slow (the worker reading the model again), and the banner goes with the reply", async () => {
    const { store, client, state } = await started();
    const seen: (string | null)[] = [];
    store.subscribe(() => seen.push(state().busy?.what ?? null));
    const [a, b] = state().snapshot!.nodes.filter((n) => n.kind === 'op');
    await store.selectNode(a.id);
    expect(state().details?.id).toBe(a.id);
    expect(seen.filter((w) => w !== null)).toEqual([]);
    client.hold.add('details');
    const slow = store.selectNode(b.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(state().busy).toBeNull();
    await new Promise((r) => setTimeout(r, 250));
    expect(state().busy?.what).toBe('Reading the node');
    client.release([0]);
    await slow;
    expect(state().busy).toBeNull();
    expect(state().details?.id).toBe(b.id);
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

  it('a layout shows progress only when slow, never takes away a later banner, and when cancelled or failed keeps the groups that were open', async () => {
    const { store, client, state } = await started();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const seen: (string | null)[] = [];
    store.subscribe(() => seen.push(state().busy?.what ?? null));
    const open = state().expanded;
    // A quick layout: never a banner.
    await expect(store.applyExpanded([...open])).resolves.toBe(true);
    expect(seen.filter((w) => w !== null)).toEqual([]);
    // A slow one: a banner with Cancel after 150 ms.
    client.hold.add('layout');
    const slow = store.applyExpanded([...open, 'some-group']);
    await sleep(50);
    expect(state().busy).toBeNull();
    await sleep(250);
    expect(state().busy?.what).toBe('Laying out');
    expect(state().busy?.cancel).toBeTypeOf('function');
    // Fusing takes the banner; the layout ending under it leaves the banner to Fusing.
    client.hold.add('fuse');
    const fusing = store.fuse(undefined);
    await Promise.resolve();
    expect(state().busy?.what).toBe('Fusing');
    client.release([0]);
    await expect(slow).resolves.toBe(true);
    expect(state().busy?.what).toBe('Fusing');
    client.hold.delete('layout');
    client.release([0]);
    await fusing;
    expect(state().busy).toBeNull();
    client.hold.clear();
    // Cancelled, then failed: the groups open before stay open.
    const before = state().expanded;
    client.fail.set('layout', new WorkerError({ code: 'CANCELLED', message: 'cancelled' }));
    await expect(store.applyExpanded([...before, 'another-group'])).resolves.toBe(false);
    expect(state().expanded).toEqual(before);
    expect(state().notice).toBe('Layout cancelled; the previous view is kept.');
    expect(state().error).toBeNull();
    client.fail.set('layout', 'the worker ran out of memory');
    await expect(store.applyExpanded([...before, 'another-group'])).resolves.toBe(false);
    expect(state().expanded).toEqual(before);
    expect(state().error).toEqual({ title: 'Could not lay out the graph', message: 'the worker ran out of memory' });
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
    expect(verifier.told).toEqual(['release', 'prepare 1']);
    await store.openUrl('/examples/seed_3d.onnx');
    expect(verifier.told).toEqual(['release', 'prepare 1', 'release', 'prepare 2']);
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
    expect(verifier.told).toEqual(['release', `prepare ${opened + 1}`]);
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

  it('while the playground’s form has an error, no model is current: fuse, verify, download and compare do nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { store, env, state } = await started(new FakeEnv());
      await store.openPlayground();
      expect(noCurrentModel(state())).toBeNull();
      store.setPlaygroundField('input', 'batch, 5, 3'); // Gemm on rank 3: refused
      expect(noCurrentModel(state())).toBe('The form has an error: no model is built.');
      await store.fuse(undefined);
      expect(state().snapshot?.step).toBe(0);
      await store.verify();
      expect(state().verify).toBeNull();
      await store.download();
      expect(env.saved).toEqual([]);
      await store.toggleCompare();
      expect(state().comparison).toBeNull();
      // Fixed, the model is current again and the actions act on it.
      store.setPlaygroundField('input', 'batch, 3');
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(state().busy).toBeNull());
      await store.fuse(undefined);
      expect(state().snapshot?.step).toBe(1);
    } finally {
      vi.useRealTimers();
    }
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

  it('the hash the page was opened with is applied once, to the first model', async () => {
    const env = new FakeEnv('/examples/mlp.onnx', { node: null, pair: 'y', open: [] });
    const { state } = await started(env);
    expect(state().selectedPair).toBe('y');
    expect(env.hash.pair).toBe('y');
  });

  it('a lesson opens its example with its pair selected, is remembered as seen, and lives in the URL', async () => {
    const { store, env, state } = await started(new FakeEnv());
    await store.openLesson('coincidence');
    expect(state().snapshot?.fileName).toBe('coincidence_3d.onnx');
    expect(state().selectedPair).toBe('y');
    expect(state().lesson).toBe('coincidence');
    expect(env.search).toEqual({ lesson: 'coincidence' });
    expect(JSON.parse(env.settings.get('fusion-inspector.lessons-visited')!)).toEqual(['coincidence']);
    store.stepLesson(1);
    await vi.waitFor(() => expect(state().snapshot?.fileName).toBe(`${LESSONS[3].example}.onnx`));
    expect(state().lesson).toBe(LESSONS[3].id);
    // A reload with ?lesson= reopens it, with the progress kept.
    const again = new FakeEnv();
    again.search = { lesson: 'seed' };
    again.settings = env.settings;
    const b = await started(again);
    expect(b.state().lesson).toBe('seed');
    expect(b.state().selectedPair).toBe('y');
    expect(b.state().visitedLessons).toEqual(['coincidence', LESSONS[3].id, 'seed']);
    // Picking a plain example leaves the path.
    await b.store.pickExample(b.state().examples!.examples[0]);
    expect(b.state().lesson).toBeNull();
  });

  it('an unknown lesson in the URL falls back to the default model; an unknown id asked for is an error', async () => {
    const env = new FakeEnv();
    env.search = { lesson: 'nope' };
    const { store, state } = await started(env);
    expect(state().snapshot?.fileName).toBe('mlp.onnx');
    await store.openLesson('nope');
    expect(state().error?.title).toBe('No such lesson');
  });

  it('the playground rebuilds on a valid form, shows problems for an invalid one, and keeps the form in the URL', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { store, env, state } = await started(new FakeEnv());
      await store.openPlayground();
      expect(state().snapshot?.fileName).toBe('playground.onnx');
      expect(state().snapshot?.pairs[0].fusable).toBe(true);
      expect(state().selectedPair).toBe(state().snapshot?.pairs[0].id);
      const openSeq = state().openSeq;
      store.setPlaygroundField('input', 'batch, 5, 3');
      expect(state().playground?.problems.join(' ')).toContain('Gemm takes a 2-D input');
      await vi.advanceTimersByTimeAsync(500);
      expect(state().openSeq).toBe(openSeq);
      store.setPlaygroundField('linear', 'MatMul');
      expect(state().playground?.problems).toEqual([]);
      expect(env.search).toMatchObject({ play: '1', in: 'batch, 5, 3', lin: 'MatMul' });
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(state().openSeq).toBe(openSeq + 1));
      expect(state().snapshot?.pairs[0].reasons.map((r) => r.code)).toEqual(['LINEAR_OUTPUT_RANK']);
      store.closePlayground();
      expect(state().playground).toBeNull();
      expect(env.search).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it('Expand all draws the whole layout asked for while the page was idle, without asking the worker; a fold or the other density asks again', async () => {
    const { store, client, state } = await started();
    const idle = () => new Promise((r) => setTimeout(r, 20));
    const layouts: string[][] = [];
    const start = client.start.bind(client);
    client.start = ((method, params) => {
      if (method === 'layout') layouts.push((params as Params<'layout'>).expanded);
      return start(method, params);
    }) as typeof client.start;
    await store.openFile(new File([writeModel(syntheticModel({ nodes: 300 })).slice()], 'synthetic.onnx'));
    const all = openableGroups(state().snapshot!);
    expect(state().expanded.length).toBeLessThan(all.length);
    await idle();
    // Asked once, ahead, with every group open.
    expect(layouts).toEqual([all]);
    await store.expandAll();
    expect(layouts).toHaveLength(1);
    expect(state().expanded).toEqual(all);
    const { items, edges } = client.session.relayout(all);
    expect(state().layout).toMatchObject({ items, edges });
    // Centred on the first pair, as a laid-out-on-request Expand all is.
    const pair = state().snapshot!.pairs[0];
    expect(state().focus).toMatchObject({ nodeIds: [...pair.linearNodeIds, pair.bnNodeId], place: 'start' });
    // A fold: the old whole layout is not the new model's.
    await store.collapseAll();
    await store.fuse(undefined);
    await idle();
    const fused = openableGroups(state().snapshot!);
    const asked = layouts.length;
    await store.expandAll();
    expect(layouts).toHaveLength(asked);
    expect(state().layout).toMatchObject({ items: client.session.relayout(fused).items });
    // The other density: drawn in it even when asked for at once, before the new whole layout is back.
    await store.collapseAll();
    const switching = store.setDensity('detailed');
    await switching;
    await store.expandAll();
    expect(state().layout?.density).toBe('detailed');
  });

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
});
