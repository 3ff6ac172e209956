/**
 * What the page store's tests run it with in Node: a fake worker client that runs the real
 * InspectorSession in-process (and can hold replies back to deliver them out of order), a verifier
 * running onnxruntime-web as the page's worker does, and a fake browser environment.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeModel, readModel } from '../../../core/onnx/modelIO';
import { InspectorSession } from '../../../core/session/inspectorSession';
import { verifyFailureOf } from '../../../core/verify/verify';
import { VerifyFailedError } from '../../../core/verify/verifyFailure';
import type { InspectorApiClient } from '../../worker/client';
import type { FusedJob, Method, Params, Result, VerifyJob, VerifyOutcome, VerifyTask } from '../../worker/protocol';
import { VerifyTasks, type ImageDecoder } from '../../worker/verifyTasks';
import type { VerifierLike } from '../../worker/verifier';
import type { HashState } from '../../urlState';
import type { PageEnv } from '../environment';
import { VerifyingStore } from '../verifyingStore';
import { buildPlayground } from '../../../examples/playground';

/** The page's public folder (the built-in examples). */
export const PUBLIC = resolve(fileURLToPath(import.meta.url), '../../../../../public');

/** Runs the session in-process; methods in `hold` wait until `release` is called. */
export class FakeClient implements InspectorApiClient {
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
export class NodeVerifier implements VerifierLike {
  readonly tasks: VerifyTask[] = [];
  /** What the worker was told, in order: `busy` (a model opening), `prepare N` (made ahead, as the page does when idle) and `release`. */
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
  busy(): void {
    this.told.push('busy');
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

export class FakeEnv implements PageEnv {
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
export function client0(store: VerifyingStore): Uint8Array {
  return (store as unknown as { client: FakeClient }).client.session.currentBytes();
}

export async function started(env = new FakeEnv(), client = new FakeClient()) {
  const verifier = new NodeVerifier();
  const store = new VerifyingStore(client, verifier, env, '/examples/');
  await store.init();
  return { store, client, env, verifier, state: () => store.getState() };
}
