/**
 * The onnxruntime that runs the models, behind one small interface (`OrtEngine`). The core knows
 * only onnxruntime-web (`webEngine`), the one engine of the page, in a worker: wasm, or its WebGPU
 * build when the worker hands one in (`setWebBackend`, webBackend.ts says which). The CLI may
 * hand verify another — onnxruntime-node, native — from a Node-only module (src/cli/nodeEngine.ts),
 * so the page bundle never imports it. Sessions are created with graph optimizations disabled so
 * that onnxruntime's own rewrites (including its MatMul+BatchNormalization fold) never touch what
 * we compare.
 */
import * as ort from 'onnxruntime-web';
import { ModelBuilder } from '../onnx/builder';
import { writeModel } from '../onnx/modelIO';
import type { TensorDtype, TensorValue } from '../tensorFiles/tensorValue';
import { backendText, threadCount, type WebBackend } from './webBackend';

export type OrtModule = typeof ort;
export type OrtTensor = ort.Tensor;
/** What verify uses of a session; onnxruntime-web's and onnxruntime-node's both have it (onnxruntime-common's types). */
export type OrtSession = Pick<ort.InferenceSession, 'run' | 'release' | 'inputNames' | 'outputNames'>;

/** onnxruntime's graph optimization levels; `disabled` everywhere but ort-check, which compares a model with its optimized self. */
export type OrtOptimization = 'disabled' | 'basic' | 'extended' | 'all';

/** The tensor types onnxruntime takes as inputs (strings aside). */
export type OrtTensorType = TensorDtype;

export type EngineName = 'web' | 'node';
export const ENGINE_NAMES: readonly EngineName[] = ['web', 'node'];

/** Which engine ran, as reports say it. */
export interface EngineInfo {
  name: EngineName;
  /** The package: `onnxruntime-web`, `onnxruntime-node`. */
  package: string;
  version: string;
  /** How it runs the models: `wasm`, `native CPU`. */
  backend: string;
}

export type ExternalFiles = readonly { path: string; data: Uint8Array }[];

/** Whether an engine can write the model its optimizer made (ort-check counts what is left in it). */
export type OptimizedModelWriter =
  | { kind: 'writes'; write(bytes: Uint8Array, externalData: ExternalFiles, level: Exclude<OrtOptimization, 'disabled'>): Promise<Uint8Array> }
  | { kind: 'cannot'; why: string };

export interface OrtEngine {
  info: EngineInfo;
  createSession(bytes: Uint8Array, externalData: ExternalFiles, optimization: OrtOptimization): Promise<OrtSession>;
  /** Tensors are the engine's own: each build carries its own copy of onnxruntime-common's Tensor class. */
  tensor(type: OrtTensorType, data: ort.Tensor.DataType, dims: readonly number[]): OrtTensor;
  optimizedModel: OptimizedModelWriter;
}

/**
 * What the page's worker chose (webBackend.ts). Node and the CLI keep onnxruntime-web's defaults:
 * `wasm`. WebGPU is a second onnxruntime-web build, with its own Tensor class and wasm: both models
 * of a verify are run by it, so they are always compared on the same backend.
 */
type WebSetup = { kind: 'default' } | { kind: 'wasm'; backend: WebBackend & { kind: 'wasm' } } | { kind: 'webgpu'; ort: OrtModule };
let webSetup: WebSetup = { kind: 'default' };

function webModule(): OrtModule {
  return webSetup.kind === 'webgpu' ? webSetup.ort : ort;
}

function webBackendText(): string {
  switch (webSetup.kind) {
    case 'default':
      return 'wasm';
    case 'wasm':
      return backendText(webSetup.backend);
    case 'webgpu':
      return backendText({ kind: 'webgpu' });
    default:
      return webSetup satisfies never;
  }
}

export const webEngine: OrtEngine = {
  get info(): EngineInfo {
    return { name: 'web', package: 'onnxruntime-web', version: ort.env.versions.web ?? ort.env.versions.common, backend: webBackendText() };
  },
  createSession: (bytes, externalData, optimization) =>
    webModule().InferenceSession.create(bytes, {
      graphOptimizationLevel: optimization,
      executionProviders: [webSetup.kind === 'webgpu' ? 'webgpu' : 'wasm'],
      ...(externalData.length > 0 ? { externalData: [...externalData] } : {}),
    }),
  tensor: (type, data, dims) => new (webModule().Tensor)(type, data as never, dims),
  // Measured, and kept checked by ortCheck.test.ts: with `optimizedModelFilePath` set, creating a
  // session in onnxruntime-web 1.30 under Node fails ("Cannot read properties of null (reading 'push')").
  optimizedModel: { kind: 'cannot', why: 'onnxruntime-web cannot write its optimized model (a session with optimizedModelFilePath fails to load in its wasm build); --engine node can' },
};

/**
 * The page's backend, set once by the verification worker before its first session: wasm with its
 * threads, or WebGPU with the module of onnxruntime-web's WebGPU build (imported only then).
 */
export function setWebBackend(choice: { kind: 'wasm'; backend: WebBackend & { kind: 'wasm' } } | { kind: 'webgpu'; ort: OrtModule }): void {
  switch (choice.kind) {
    case 'wasm':
      ort.env.wasm.numThreads = threadCount(choice.backend.threads);
      break;
    case 'webgpu':
      break;
    default:
      choice satisfies never;
  }
  webSetup = choice;
}

/** Inputs as the engine's own tensors (each onnxruntime build checks for its own Tensor class). */
export function feedsFor(engine: OrtEngine, tensors: Record<string, TensorValue>): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  for (const [name, t] of Object.entries(tensors)) feeds[name] = engine.tensor(t.dtype, t.data, t.dims);
  return feeds;
}

/** `externalData`: the files a model's external tensors point at, by the location the model writes. */
export async function createSession(bytes: Uint8Array, externalData: ExternalFiles = [], optimization: OrtOptimization = 'disabled', engine: OrtEngine = webEngine): Promise<OrtSession> {
  return engine.createSession(bytes, externalData, optimization);
}

/** An onnxruntime-web tensor (the page's engine); verify makes its feeds with its engine's `tensor`. */
export function makeOrtTensor(type: OrtTensorType, data: ort.Tensor.DataType, dims: readonly number[]): OrtTensor {
  return webEngine.tensor(type, data, dims);
}

const runtimeStarted = new Map<OrtEngine, Promise<number>>();
const runtimeRunning = new Set<OrtEngine>();

/**
 * Starts an engine (onnxruntime-web's wasm module loads on the first session; onnxruntime-node's
 * native library on its first) with a one-node model, once per process, and says how long the
 * caller waits for it: the whole start-up for the first call, the rest of it for a call made while
 * it is under way (a verify clicked as the page starts it ahead), 0 once it runs. Timing it apart
 * keeps the first model's "session create" from carrying the runtime's start-up.
 */
export function startRuntime(engine: OrtEngine = webEngine): Promise<number> {
  const t0 = performance.now();
  const waited = () => performance.now() - t0;
  const started = runtimeStarted.get(engine);
  if (started) return runtimeRunning.has(engine) ? Promise.resolve(0) : started.then(waited);
  const bytes = writeModel(new ModelBuilder('start').opset(13).input('x', [1]).output('y', [1]).node('Identity', ['x'], ['y']).build());
  const starting = engine.createSession(bytes, [], 'disabled').then(async (s) => {
    await s.release();
    runtimeRunning.add(engine);
    return waited();
  });
  runtimeStarted.set(engine, starting);
  starting.catch(() => runtimeStarted.delete(engine));
  return starting;
}
