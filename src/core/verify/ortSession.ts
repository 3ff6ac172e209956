/**
 * onnxruntime-web, the one engine used everywhere: in the browser (wasm, via a worker) and in
 * Node (tests, CLI). Sessions are created with graph optimizations disabled so that onnxruntime's
 * own rewrites (including its MatMul+BatchNormalization fold) never touch what we compare.
 */
import * as ort from 'onnxruntime-web';

export type OrtModule = typeof ort;
export type OrtTensor = ort.Tensor;
export type OrtSession = ort.InferenceSession;

/** `externalData`: the files a model's external tensors point at, by the location the model writes. */
export async function createSession(bytes: Uint8Array, externalData: readonly { path: string; data: Uint8Array }[] = []): Promise<OrtSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', executionProviders: ['wasm'], ...(externalData.length > 0 ? { externalData } : {}) });
}

/** Lets the page point onnxruntime-web at the wasm files it serves itself (no CDN). */
export function configureOrtWasm(opts: { wasmPaths?: string; numThreads?: number }): void {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  if (opts.numThreads !== undefined) ort.env.wasm.numThreads = opts.numThreads;
}

export type OrtTensorType = 'float32' | 'float16' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';

export function makeOrtTensor(type: OrtTensorType, data: ort.Tensor.DataType, dims: readonly number[]): OrtTensor {
  return new ort.Tensor(type, data as never, dims);
}
