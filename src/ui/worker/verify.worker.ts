/// <reference lib="webworker" />
/**
 * Verification in a worker of its own: onnxruntime-web's runs cannot be interrupted, so cancelling
 * means terminating this worker, which leaves the inspector worker (and the open model) untouched.
 */
import { configureOrtWasm } from '../../core/verify/ortSession';
import { verify, verifyFailureOf } from '../../core/verify/verify';
import type { VerifyJob, VerifyMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;


// One thread: the page keeps the other core.
configureOrtWasm({ numThreads: 1 });

self.onmessage = async (ev: MessageEvent<VerifyJob>) => {
  const job = ev.data;
  try {
    const report = await verify(new Uint8Array(job.original), new Uint8Array(job.fused), {
      dims: job.dims,
      externalData: job.externalData.map((e) => ({ path: e.path, data: new Uint8Array(e.data) })),
      onProgress: (stage, fraction) => self.postMessage({ progress: { stage, fraction } } satisfies VerifyMessage),
    });
    self.postMessage({ report } satisfies VerifyMessage);
  } catch (e) {
    // In words, with onnxruntime's own text kept for the page's details.
    self.postMessage({ error: verifyFailureOf(e) } satisfies VerifyMessage);
  }
};
