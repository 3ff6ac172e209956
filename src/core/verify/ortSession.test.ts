/** onnxruntime's one-time start is timed apart from the models' sessions, so the first model does not look slow to load. */
import { describe, expect, it } from 'vitest';
import { verify } from './verify';
import { startRuntime, webEngine, type OrtEngine } from './ortSession';
import { writeModel } from '../onnx/modelIO';
import { exampleById } from '../../examples/catalog';

describe('runtime start', () => {
  it('is reported once, by the first verification, and not in session create', async () => {
    const bytes = writeModel(exampleById('valid_2d')!.build());
    const first = await verify(bytes, bytes, { runs: 1 });
    const second = await verify(bytes, bytes, { runs: 1 });
    expect(first.runtimeStartMs).toBeGreaterThan(0);
    expect(second.runtimeStartMs).toBe(0);
    // The same model: without the start-up taken out, the first create was many times the second.
    expect(first.original.createMs, JSON.stringify([first.runtimeStartMs, first.original, first.fused])).toBeLessThan(5 * first.fused.createMs + 20);
  });

  it('a call made while it starts waits for the rest of the start-up, and says so', async () => {
    // An engine whose sessions take 300 ms more to make (its first is the start-up).
    const slow: OrtEngine = {
      ...webEngine,
      createSession: (bytes, externalData, optimization) => new Promise((r) => setTimeout(r, 300)).then(() => webEngine.createSession(bytes, externalData, optimization)),
    };
    const whole = startRuntime(slow);
    await new Promise((r) => setTimeout(r, 100));
    const rest = await startRuntime(slow);
    expect(await whole).toBeGreaterThanOrEqual(300);
    expect(rest).toBeGreaterThan(50);
    expect(rest).toBeLessThan(await whole);
    expect(await startRuntime(slow)).toBe(0);
  });
});
