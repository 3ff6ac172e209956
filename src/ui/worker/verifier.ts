/** The page's handle on the verification worker: one job at a time, cancellable. */
import type { VerifyMessage, VerifyOutcome, VerifyTask } from './protocol';
import { describeVerifyFailure, VerifyFailedError } from '../../core/verify/verifyFailure';

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
  /** Starts the worker ahead of time (its script is then fetched, and kept for offline use). */
  warm(): void;
}

export class Verifier implements VerifierLike {
  private worker: Worker | null = null;
  private abort: (() => void) | null = null;

  warm(): void {
    this.worker ??= new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  }

  run(task: VerifyTask, onProgress: (stage: string, fraction: number) => void): Promise<VerifyOutcome> {
    // Kept between runs so onnxruntime-web's wasm is compiled once; replaced after a cancel.
    this.warm();
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
      w.postMessage(task, [job.original, job.fused, ...job.externalData.map((e) => e.data)]);
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
