/// <reference lib="webworker" />
/**
 * Verification in a worker of its own: onnxruntime-web's runs cannot be interrupted, so cancelling
 * means terminating this worker, which leaves the inspector worker (and the open model) untouched.
 * The user's files are read and their images decoded here too, off the page's thread.
 */
import { verifyFailureOf } from '../../core/verify/verify';
import { decodeImage } from './decodeImage';
import { setUpWebBackend } from './webBackendSetup';
import { VerifyTasks } from './verifyTasks';
import type { VerifyMessage, VerifyRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

// WebGPU, or wasm with threads when the page is cross-origin isolated (webBackend.ts); every
// request waits for the choice, made before the first session.
const backendReady = setUpWebBackend(self);

const tasks = new VerifyTasks();

self.onmessage = async (ev: MessageEvent<VerifyRequest>) => {
  await backendReady;
  const req = ev.data;
  switch (req.kind) {
    case 'start':
      return tasks.start();
    // Work ahead: a failure is said by the verify that needs it.
    case 'prepare':
      return tasks.prepare(req.job).catch(() => {});
    case 'prepare-fused':
      return tasks.prepareFused(req.model, req.job).catch(() => {});
    case 'release':
      return tasks.release().catch(() => {});
    case 'task':
      try {
        const outcome = await tasks.run(req.task, (stage, fraction) => self.postMessage({ progress: { stage, fraction } } satisfies VerifyMessage), decodeImage);
        self.postMessage({ outcome } satisfies VerifyMessage);
      } catch (e) {
        // In words, with onnxruntime's own text kept for the page's details.
        self.postMessage({ error: verifyFailureOf(e) } satisfies VerifyMessage);
      }
      return;
    default:
      return req satisfies never;
  }
};
