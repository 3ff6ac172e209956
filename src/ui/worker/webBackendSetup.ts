/**
 * The verification worker's choice of onnxruntime-web backend (core/verify/webBackend.ts), from what
 * this worker sees of the browser. onnxruntime-web's WebGPU build — its own 27 MB wasm — is imported
 * only when the browser hands out a WebGPU adapter, so no other page ever fetches it.
 */
import { setWebBackend } from '../../core/verify/ortSession';
import { chooseWebBackend, wasmThreads, type GpuLike } from '../../core/verify/webBackend';

export async function setUpWebBackend(scope: { crossOriginIsolated: boolean; navigator: { hardwareConcurrency: number } }): Promise<void> {
  // `navigator.gpu` is not in TypeScript's lib for workers.
  const gpu = (scope.navigator as { gpu?: GpuLike }).gpu;
  const facts = { isolated: scope.crossOriginIsolated, cores: scope.navigator.hardwareConcurrency, gpu };
  const backend = await chooseWebBackend(facts);
  switch (backend.kind) {
    case 'webgpu':
      try {
        setWebBackend({ kind: 'webgpu', ort: await import('onnxruntime-web/webgpu') });
      } catch {
        setWebBackend({ kind: 'wasm', backend: { kind: 'wasm', threads: wasmThreads(facts.isolated, facts.cores), noWebGpu: 'load-failed' } });
      }
      return;
    case 'wasm':
      return setWebBackend({ kind: 'wasm', backend });
    default:
      return backend satisfies never;
  }
}
