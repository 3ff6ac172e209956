/**
 * Which onnxruntime-web build the page's verify runs on, with how many threads, and why — chosen
 * from what the verification worker sees of its browser (passed in: this module reads no globals),
 * and said in words in the report's engine (`EngineInfo.backend`).
 */

/** What `navigator.gpu` offers that the choice needs. */
export interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** What the worker sees: `crossOriginIsolated`, `navigator.hardwareConcurrency`, `navigator.gpu`. */
export interface BrowserFacts {
  isolated: boolean;
  cores: number | undefined;
  gpu: GpuLike | undefined;
}

export type WasmThreads =
  | { kind: 'threads'; threads: number }
  /** No SharedArrayBuffer without cross-origin isolation, so onnxruntime-web cannot start threads. */
  | { kind: 'not-isolated' }
  /** Half the cores is one: on two cores the verify keeps to one thread. */
  | { kind: 'few-cores'; cores: number };

export type NoWebGpu = 'not-supported' | 'no-adapter' | 'adapter-failed' | 'load-failed';

export type WebBackend = { kind: 'webgpu' } | { kind: 'wasm'; threads: WasmThreads; noWebGpu: NoWebGpu };

/**
 * Half the cores, at most 4 (onnxruntime-web's own default). Measured on this project's 2-core
 * machine, shared with other work (load 6-10; click → result, interleaved runs, medians): 2 threads
 * were slower than 1 on both models — ViT 4.3 s vs 2.4 s, MobileNetV3 1.2 s vs 0.44 s; its fused
 * ViT run 460-1220 ms vs 170-340 ms — since onnxruntime's threads spin while waiting and so fight
 * the page, the other worker and everything else for the cores. Half leaves the rest that room.
 */
export function wasmThreads(isolated: boolean, cores: number | undefined): WasmThreads {
  if (!isolated) return { kind: 'not-isolated' };
  const c = Math.max(1, cores ?? 1);
  const n = Math.min(4, Math.ceil(c / 2));
  return n <= 1 ? { kind: 'few-cores', cores: c } : { kind: 'threads', threads: n };
}

export function threadCount(t: WasmThreads): number {
  switch (t.kind) {
    case 'threads':
      return t.threads;
    case 'not-isolated':
    case 'few-cores':
      return 1;
    default:
      return t satisfies never;
  }
}

/** Whether WebGPU can run here: a browser with `navigator.gpu` and an adapter it hands out. */
export async function webGpuAdapter(gpu: GpuLike | undefined): Promise<{ kind: 'adapter' } | { kind: 'none'; why: NoWebGpu }> {
  if (gpu === undefined || typeof gpu.requestAdapter !== 'function') return { kind: 'none', why: 'not-supported' };
  try {
    return (await gpu.requestAdapter()) ? { kind: 'adapter' } : { kind: 'none', why: 'no-adapter' };
  } catch {
    return { kind: 'none', why: 'adapter-failed' };
  }
}

/** The backend to try first; `webgpu` falls back to wasm (`load-failed`) if its build cannot be loaded. */
export async function chooseWebBackend(facts: BrowserFacts): Promise<WebBackend> {
  const gpu = await webGpuAdapter(facts.gpu);
  switch (gpu.kind) {
    case 'adapter':
      return { kind: 'webgpu' };
    case 'none':
      return { kind: 'wasm', threads: wasmThreads(facts.isolated, facts.cores), noWebGpu: gpu.why };
    default:
      return gpu satisfies never;
  }
}

function threadsText(t: WasmThreads): string {
  switch (t.kind) {
    case 'threads':
      return `${t.threads} threads`;
    case 'not-isolated':
      return '1 thread (not cross-origin isolated: the host sends no COOP/COEP headers)';
    case 'few-cores':
      return `1 thread (${t.cores === 1 ? '1 core' : `${t.cores} cores`}: verify uses half)`;
    default:
      return t satisfies never;
  }
}

function noWebGpuText(why: NoWebGpu): string {
  switch (why) {
    case 'not-supported':
      return 'this browser has no WebGPU';
    case 'no-adapter':
      return 'no WebGPU adapter';
    case 'adapter-failed':
      return 'the WebGPU adapter request failed';
    case 'load-failed':
      return "onnxruntime-web's WebGPU build failed to load";
    default:
      return why satisfies never;
  }
}

/** As the report names it: `webgpu`, `wasm, 2 threads; not WebGPU: no WebGPU adapter`. */
export function backendText(b: WebBackend): string {
  switch (b.kind) {
    case 'webgpu':
      return 'webgpu';
    case 'wasm':
      return `wasm, ${threadsText(b.threads)}; not WebGPU: ${noWebGpuText(b.noWebGpu)}`;
    default:
      return b satisfies never;
  }
}
