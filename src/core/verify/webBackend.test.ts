import { describe, expect, it } from 'vitest';
import { backendText, chooseWebBackend, threadCount, wasmThreads, type GpuLike } from './webBackend';
import { setWebBackend, webEngine } from './ortSession';

const gpu = (requestAdapter: () => Promise<unknown>): GpuLike => ({ requestAdapter });

describe('the page verify backend', () => {
  it('takes WebGPU only when the browser hands out an adapter, else wasm with the reason', async () => {
    const isolated4 = { isolated: true, cores: 4 };
    expect(await chooseWebBackend({ ...isolated4, gpu: gpu(async () => ({ features: new Set() })) })).toEqual({ kind: 'webgpu' });
    expect(await chooseWebBackend({ ...isolated4, gpu: undefined })).toEqual({ kind: 'wasm', threads: { kind: 'threads', threads: 2 }, noWebGpu: 'not-supported' });
    // A `navigator.gpu` that is not WebGPU's (an old polyfill, a stub) is no WebGPU either.
    expect(await chooseWebBackend({ ...isolated4, gpu: {} as GpuLike })).toMatchObject({ kind: 'wasm', noWebGpu: 'not-supported' });
    // Chromium with --disable-gpu, as the e2e runs: navigator.gpu is there, its adapter is null.
    expect(await chooseWebBackend({ ...isolated4, gpu: gpu(async () => null) })).toMatchObject({ kind: 'wasm', noWebGpu: 'no-adapter' });
    expect(await chooseWebBackend({ ...isolated4, gpu: gpu(() => Promise.reject(new Error('lost'))) })).toMatchObject({ kind: 'wasm', noWebGpu: 'adapter-failed' });
  });

  it('runs threads only when cross-origin isolated, on half the cores, at most 4', () => {
    expect(wasmThreads(false, 8)).toEqual({ kind: 'not-isolated' });
    expect(wasmThreads(true, 1)).toEqual({ kind: 'few-cores', cores: 1 });
    expect(wasmThreads(true, undefined)).toEqual({ kind: 'few-cores', cores: 1 });
    expect(wasmThreads(true, 2)).toEqual({ kind: 'few-cores', cores: 2 });
    expect(wasmThreads(true, 3)).toEqual({ kind: 'threads', threads: 2 });
    expect(wasmThreads(true, 8)).toEqual({ kind: 'threads', threads: 4 });
    expect(wasmThreads(true, 16)).toEqual({ kind: 'threads', threads: 4 });
    expect([wasmThreads(false, 8), wasmThreads(true, 2), wasmThreads(true, 6)].map(threadCount)).toEqual([1, 1, 3]);
  });

  it('says which backend and why in words', () => {
    expect(backendText({ kind: 'webgpu' })).toBe('webgpu');
    expect(backendText({ kind: 'wasm', threads: { kind: 'threads', threads: 2 }, noWebGpu: 'no-adapter' })).toBe('wasm, 2 threads; not WebGPU: no WebGPU adapter');
    expect(backendText({ kind: 'wasm', threads: { kind: 'not-isolated' }, noWebGpu: 'not-supported' })).toBe(
      'wasm, 1 thread (not cross-origin isolated: the host sends no COOP/COEP headers); not WebGPU: this browser has no WebGPU',
    );
    expect(backendText({ kind: 'wasm', threads: { kind: 'few-cores', cores: 2 }, noWebGpu: 'load-failed' })).toBe("wasm, 1 thread (2 cores: verify uses half); not WebGPU: onnxruntime-web's WebGPU build failed to load");
  });

  it('the engine reports the backend the worker chose (what the page and the exported report print)', async () => {
    expect(webEngine.info.backend).toBe('wasm');
    const backend = await chooseWebBackend({ isolated: false, cores: 2, gpu: gpu(async () => null) });
    if (backend.kind !== 'wasm') throw new Error('expected wasm');
    setWebBackend({ kind: 'wasm', backend });
    expect(webEngine.info).toMatchObject({ name: 'web', package: 'onnxruntime-web', backend: backendText(backend) });
  });
});
