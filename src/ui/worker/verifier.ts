/** The page's handle on the verification worker: one job at a time, cancellable. */
import type { VerifyJob, VerifyMessage } from './verify.worker';
import type { VerifyReport } from '../../core/verify/verify';

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
  }
}

let worker: Worker | null = null;
let abort: (() => void) | null = null;

export function runVerification(job: VerifyJob, onProgress: (stage: string, fraction: number) => void): Promise<VerifyReport> {
  // Kept between runs so onnxruntime-web's wasm is compiled once; replaced after a cancel.
  worker ??= new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  const w = worker;
  return new Promise<VerifyReport>((resolve, reject) => {
    abort = () => {
      w.terminate();
      if (worker === w) worker = null;
      reject(new CancelledError());
    };
    w.onmessage = (ev: MessageEvent<VerifyMessage>) => {
      const m = ev.data;
      if ('progress' in m) return onProgress(m.progress.stage, m.progress.fraction);
      abort = null;
      if ('report' in m) resolve(m.report);
      else reject(new Error(m.error));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      abort = null;
      w.terminate();
      if (worker === w) worker = null;
      reject(new Error(`The verification worker failed: ${ev.message || 'unknown error'}`));
    };
    w.postMessage(job, [job.original, job.fused, ...job.externalData.map((e) => e.data)]);
  });
}

/** Stops the running verification, if any. */
export function cancelVerification(): boolean {
  if (!abort) return false;
  const a = abort;
  abort = null;
  a();
  return true;
}
