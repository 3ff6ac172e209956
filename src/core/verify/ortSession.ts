/**
 * onnxruntime-web, the one engine used everywhere: in the browser (wasm, via a worker) and in
 * Node (tests, CLI). Sessions are created with graph optimizations disabled so that onnxruntime's
 * own rewrites (including its MatMul+BatchNormalization fold) never touch what we compare.
 */
import * as ort from 'onnxruntime-web';
import { ModelBuilder } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import type { TensorDtype } from '../tensorFiles/tensorValue';

export type OrtModule = typeof ort;
export type OrtTensor = ort.Tensor;
export type OrtSession = ort.InferenceSession;

/** onnxruntime's graph optimization levels; `disabled` everywhere but ort-check, which compares a model with its optimized self. */
export type OrtOptimization = 'disabled' | 'basic' | 'extended' | 'all';

/** `externalData`: the files a model's external tensors point at, by the location the model writes. */
export async function createSession(bytes: Uint8Array, externalData: readonly { path: string; data: Uint8Array }[] = [], optimization: OrtOptimization = 'disabled'): Promise<OrtSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: optimization, executionProviders: ['wasm'], ...(externalData.length > 0 ? { externalData } : {}) });
}

/** Lets the page point onnxruntime-web at the wasm files it serves itself (no CDN). */
export function configureOrtWasm(opts: { wasmPaths?: string; numThreads?: number }): void {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  if (opts.numThreads !== undefined) ort.env.wasm.numThreads = opts.numThreads;
}

/** The tensor types onnxruntime-web takes as inputs (strings aside). */
export type OrtTensorType = TensorDtype;

export function makeOrtTensor(type: OrtTensorType, data: ort.Tensor.DataType, dims: readonly number[]): OrtTensor {
  return new ort.Tensor(type, data as never, dims);
}

let runtimeStarted: Promise<number> | null = null;

/**
 * Starts onnxruntime (its wasm module loads on the first session) with a one-node model, once per
 * process, and says how long that took — 0 when it was already running. Timing it apart keeps the
 * first model's "session create" from carrying the runtime's start-up.
 */
export function startRuntime(): Promise<number> {
  if (runtimeStarted) return runtimeStarted.then(() => 0);
  const bytes = writeModel(new ModelBuilder('start').opset(13).input('x', [1]).output('y', [1]).node('Identity', ['x'], ['y']).build());
  const t0 = performance.now();
  runtimeStarted = createSession(bytes).then(async (s) => {
    await s.release();
    return performance.now() - t0;
  });
  runtimeStarted.catch(() => (runtimeStarted = null));
  return runtimeStarted;
}
