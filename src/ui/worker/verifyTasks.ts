/**
 * What the verification worker does for each request (protocol.ts: `VerifyRequest`), apart from the
 * worker itself so the store's tests run the same code in Node; decoding an image needs the DOM and
 * is passed in. It keeps the open model's original session (keptOriginal.ts) between verifies, and
 * the session of the model on screen, made ahead after each fold, undo or redo.
 */
import { runAhead, verify } from '../../core/verify/verify';
import { verifyPerValue } from '../../core/verify/perValue';
import { ortCheck } from '../../core/verify/ortCheck';
import { givenInputs, type GivenInput } from '../../core/verify/givenInputs';
import { producerIds } from '../../core/verify/valueNodes';
import { readModel } from '../../core/onnx/modelIO';
import type { ModelProto } from '../../core/onnx/types';
import type { Pixels } from '../../core/tensorFiles/imageTensor';
import { KeptOriginal } from '../../core/verify/keptOriginal';
import { startRuntime, webEngine, type OrtEngine } from '../../core/verify/ortSession';
import type { FusedJob, PageInputs, PrepareJob, VerifyOutcome, VerifyTask } from './protocol';

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

/**
 * Above this (the model and its data files), a model's session (the original's, the fused one's) is neither made ahead nor kept
 * between verifies: it would hold that much of the wasm heap (4 GB at most, a tab often less) while
 * the fused model's session needs as much again, and a per-value comparison two more.
 */
export const KEEP_LIMIT_BYTES = 256 * 2 ** 20;

type ExternalData = { path: string; data: Uint8Array }[];
const externalOf = (job: { externalData: { path: string; data: ArrayBuffer }[] }): ExternalData => job.externalData.map((e) => ({ path: e.path, data: new Uint8Array(e.data) }));
const sizeOf = (bytes: Uint8Array, externalData: ExternalData) => externalData.reduce((n, e) => n + e.data.byteLength, bytes.byteLength);

export class VerifyTasks {
  /** The open model's original session, with its last inputs' outputs. */
  private kept: KeptOriginal | null = null;
  /** The session of the model on screen, keyed by its state's number (`FusedJob.revision`), and the open model's: a newer state replaces it. */
  private fused: { model: number; kept: KeptOriginal } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly engine: OrtEngine = webEngine) {}

  /** In the order posted, one at a time: a release never takes a session from under a running verify. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const r = this.queue.then(op);
    this.queue = r.catch(() => {});
    return r;
  }

  /** The model kept now (tests read it): its number, or null. */
  get keptModel(): number | null {
    return this.kept?.key ?? null;
  }

  /** The state of the model on screen whose session is kept now (tests read it), or null. */
  get keptFused(): number | null {
    return this.fused?.kept.key ?? null;
  }

  /** Starts onnxruntime ahead of the first verify; a failure is said by that verify. */
  start(): void {
    startRuntime(this.engine).catch(() => {});
  }

  /**
   * Makes the session of the open model's original ahead of its first verify, and runs it on the
   * inputs that verify feeds it when the user chose none (seeded random, default dims): a new model
   * starts with no choices. In the queue, so a verify arriving meanwhile waits for these runs rather than repeating them.
   */
  prepare(job: PrepareJob): Promise<void> {
    return this.serial(async () => {
      const original = new Uint8Array(job.original);
      const kept = this.keptFor(job.model, original, externalOf(job));
      if (!kept) return;
      kept.makeAhead();
      // A model whose inputs cannot be invented (integers) is run when its values are typed.
      await runAhead(kept, readModel(original), { engine: this.engine }).catch(() => {});
    });
  }

  /**
   * The same for the model on screen after a fold, undo or redo, so the first verify after it makes
   * no session at all (and, with no inputs chosen, runs nothing). The session kept for an earlier state is released.
   */
  prepareFused(model: number, job: FusedJob): Promise<void> {
    this.newest(job.revision);
    // Undo then fold again: the undone state's session would only delay the fold's, which the click waits for.
    const superseded = () => job.revision !== this.newestState;
    return this.serial(async () => {
      if (superseded()) return;
      const bytes = new Uint8Array(job.fused);
      const kept = this.fusedFor(model, job.revision, bytes, externalOf(job));
      if (!kept) return;
      // A failure is said by the verify that needs this session (it tries again); integer inputs run when their values are typed.
      const made = await kept.session().then(
        () => true,
        () => false,
      );
      if (!made || superseded()) return;
      await runAhead(kept, readModel(bytes), { engine: this.engine }).catch(() => {});
    });
  }

  /** The newest state of the model on screen named so far (a prepare or a verify): revisions only grow. */
  private newestState = -1;
  private newest(revision: number): void {
    this.newestState = Math.max(this.newestState, revision);
  }

  /** The model was closed or another opened. */
  release(): Promise<void> {
    return this.serial(async () => {
      await this.drop();
      await this.dropFused();
    });
  }

  run(t: VerifyTask, onProgress: (stage: string, fraction: number) => void, decode: ImageDecoder): Promise<VerifyOutcome> {
    this.newest(t.job.revision);
    // Timed from the request: one in line behind a session made ahead waits for the start there.
    const runtimeStart = startRuntime(this.engine);
    runtimeStart.catch(() => {});
    return this.serial(() => this.runNow(t, runtimeStart, onProgress, decode));
  }

  private async drop(): Promise<void> {
    const k = this.kept;
    this.kept = null;
    await k?.release();
  }

  private async dropFused(): Promise<void> {
    const k = this.fused;
    this.fused = null;
    await k?.kept.release();
  }

  /** The kept session of state `revision` of the model on screen (model `model` open), made from these bytes if it is not kept yet; null above the limit. */
  private fusedFor(model: number, revision: number, fused: Uint8Array, externalData: ExternalData): KeptOriginal | null {
    if (this.fused?.kept.key === revision) return this.fused.kept;
    void this.dropFused();
    if (sizeOf(fused, externalData) > KEEP_LIMIT_BYTES) return null;
    this.fused = { model, kept: new KeptOriginal(revision, this.engine, fused, externalData) };
    return this.fused.kept;
  }

  /** The kept original of `model`, made from these bytes if it is not kept yet; null above the limit. */
  private keptFor(model: number, original: Uint8Array, externalData: ExternalData): KeptOriginal | null {
    if (this.kept?.key === model) return this.kept;
    void this.drop();
    // Another model opened: what was kept of the one before goes too (the page says `release` first, a test may not).
    if (this.fused && this.fused.model !== model) void this.dropFused();
    if (sizeOf(original, externalData) > KEEP_LIMIT_BYTES) return null;
    this.kept = new KeptOriginal(model, this.engine, original, externalData);
    return this.kept;
  }

  private async runNow(t: VerifyTask, runtimeStart: Promise<number>, onProgress: (stage: string, fraction: number) => void, decode: ImageDecoder): Promise<VerifyOutcome> {
    const engine = this.engine;
    const fused = new Uint8Array(t.job.fused);
    const externalData = externalOf(t.job);
    if (t.kind === 'ort-check') {
      const { inputs } = await readGiven(readModel(fused), t.given, decode);
      return { kind: 'ort-check', report: await ortCheck(fused, { level: t.level, dims: t.given.dims, inputs, externalData, onProgress, engine }) };
    }
    onProgress('Reading the inputs', 0.01);
    const original = t.reference.kind === 'file' ? await bytesOf(t.reference.file) : new Uint8Array(t.job.original);
    const { inputs, expected } = await readGiven(readModel(original), t.given, decode);
    const base = { dims: t.given.dims, inputs, externalData, onProgress, engine, runtimeStart };
    switch (t.kind) {
      case 'verify': {
        // Against another file, the original is not the open model's: nothing kept is used, nor dropped.
        const kept = t.reference.kind === 'original' ? (this.keptFor(t.model, original, externalData) ?? undefined) : undefined;
        // The model on screen is the fused side whatever it is compared with.
        const keptFused = this.fusedFor(t.model, t.job.revision, fused, externalData) ?? undefined;
        return { kind: 'verify', report: await verify(original, fused, { ...base, expected, kept, keptFused }) };
      }
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
}
