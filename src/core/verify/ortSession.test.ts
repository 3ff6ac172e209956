/** onnxruntime's one-time start is timed apart from the models' sessions, so the first model does not look slow to load. */
import { describe, expect, it } from 'vitest';
import { verify } from './verify';
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
});
