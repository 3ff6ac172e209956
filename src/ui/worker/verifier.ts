/** The page's handle on the verification worker: one job at a time, cancellable, with the work it can do ahead. */
import type { FusedJob, PrepareJob, VerifyJob, VerifyMessage, VerifyOutcome, VerifyRequest, VerifyTask } from './protocol';
import { describeVerifyFailure, VerifyFailedError } from '../../core/verify/verifyFailure';
import { QuietQueue } from '../idle';

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
  }
}

/** What the store needs of verification; tests use a fake. */
export interface VerifierLike {
  /** A verify, a per-value comparison or onnxruntime's optimizer check (protocol.ts). */
  run(task: VerifyTask, onProgress: (stage: string, fraction: number) => void): Promise<VerifyOutcome>;
  /** Stops the running verification, if any; says whether there was one. */
  cancel(): boolean;
  /** Starts the worker and onnxruntime in it ahead of time, once the page is quiet (its script is then fetched, and kept for offline use). */
  warm(): void;
  /** A model starts opening: what waits for the page to be quiet waits from now (it would take a core from the open). */
  busy(): void;
  /**
   * Model `model` is open: once the page is quiet, its original's session is made in the worker and
   * kept while it stays open (`job` gives its bytes: a copy, transferred there).
   */
  prepare(model: number, job: () => Promise<VerifyJob>): void;
  /**
   * The model on screen changed (a fold, undo or redo) while model `model` is open: its session is
   * made in the worker at once, replacing the one of the state before (`job` gives its bytes).
   */
  prepareFused(model: number, job: () => Promise<FusedJob>): void;
  /** The open model is closed or replaced: the worker releases what it keeps for it. */
  release(): void;
}

/**
 * How long after a model opened the worker may start and make its session: compiling onnxruntime's
 * wasm and making a session take both cores of a small machine for a while, and doubled a first
 * view drawn meanwhile (MobileNetV3 61 → 126 ms, measured); past this a user has read the graph.
 * A fold, an undo or a verify does not wait for it.
 */
const QUIET_MS = 3000;

export class Verifier implements VerifierLike {
  private worker: Worker | null = null;
  private abort: (() => void) | null = null;
  /** The model the page last asked to prepare; a job that arrives for an older one is dropped. */
  private wanted: number | null = null;
  /** The latest state of the model on screen asked to prepare; an older one's bytes arriving late are dropped. */
  private wantedFused = 0;

  /** What waits for the page to be quiet: the worker's start and the original's session. */
  private readonly quiet = new QuietQueue(QUIET_MS);

  private post(req: VerifyRequest, transfer: Transferable[] = []): void {
    this.startWorker();
    this.worker!.postMessage(req, transfer);
  }

  private startWorker(): void {
    if (this.worker) return;
    this.worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    this.worker.postMessage({ kind: 'start' } satisfies VerifyRequest);
  }

  warm(): void {
    this.quiet.add(() => this.startWorker());
  }

  busy(): void {
    this.quiet.busy();
  }

  prepare(model: number, job: () => Promise<VerifyJob>): void {
    this.wanted = model;
    // Asked for at once, so the inspector worker copies them before what the user asks next (a fold
    // of a big model would hold them back by seconds); handed on once the page is quiet.
    const bytes = job();
    this.quiet.add(() =>
      bytes.then(
        (j) => {
          if (this.wanted !== model) return;
          const p: PrepareJob = { model, original: j.original, externalData: j.externalData };
          this.post({ kind: 'prepare', job: p }, [p.original, ...p.externalData.map((e) => e.data)]);
        },
        // Made ahead or not, the verify makes what is missing (and says why it fails).
        () => {},
      ),
    );
  }

  prepareFused(model: number, job: () => Promise<FusedJob>): void {
    const ask = ++this.wantedFused;
    // The user is on the way to a verify: the original's session first, then this one.
    this.quiet.flush();
    // Not when idle: the first verify after a fold waits for this session, and the page's thread only
    // hands the bytes on (transferred) while the inspector worker lays the fold out.
    job().then(
      (j) => {
        if (this.wanted !== model || this.wantedFused !== ask) return;
        this.post({ kind: 'prepare-fused', model, job: j }, [j.fused, ...j.externalData.map((e) => e.data)]);
      },
      () => {},
    );
  }

  release(): void {
    this.wanted = null;
    this.wantedFused++;
    this.worker?.postMessage({ kind: 'release' } satisfies VerifyRequest);
  }

  run(task: VerifyTask, onProgress: (stage: string, fraction: number) => void): Promise<VerifyOutcome> {
    // Kept between runs so onnxruntime-web's wasm is compiled once, and the open model's session with it; replaced after a cancel.
    this.quiet.flush();
    this.startWorker();
    const w = this.worker!;
    const drop = () => {
      w.terminate();
      if (this.worker === w) this.worker = null;
    };
    return new Promise<VerifyOutcome>((resolve, reject) => {
      this.abort = () => {
        drop();
        reject(new CancelledError());
      };
      w.onmessage = (ev: MessageEvent<VerifyMessage>) => {
        const m = ev.data;
        if ('progress' in m) return onProgress(m.progress.stage, m.progress.fraction);
        this.abort = null;
        if ('outcome' in m) resolve(m.outcome);
        else reject(new VerifyFailedError(m.error));
      };
      w.onerror = (ev) => {
        ev.preventDefault();
        this.abort = null;
        drop();
        reject(new VerifyFailedError(describeVerifyFailure(`The verification worker failed: ${ev.message || 'unknown error'}`, null)));
      };
      const job = task.job;
      // Transferred, not copied: the page's thread never copies a model.
      this.post({ kind: 'task', task }, [job.original, job.fused, ...job.externalData.map((e) => e.data)]);
    });
  }

  cancel(): boolean {
    if (!this.abort) return false;
    const a = this.abort;
    this.abort = null;
    a();
    return true;
  }
}
