/**
 * ort-check: a model against its own onnxruntime-optimized self. The traps differ and name their
 * pair (confirmed by our naive fold reproducing onnxruntime's outputs); real exports stay equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { writeModel } from '../onnx/modelIO';
import { exampleById } from '../../examples/catalog';
import { ortCheck } from './ortCheck';
import { CORPUS_DIR, corpusIt } from '../testing/corpus';

const corpus = (f: string) => new Uint8Array(readFileSync(join(CORPUS_DIR, f)));

describe('ortCheck', () => {
  for (const [id, code] of [
    ['transpose_wrong_axis', 'TRANSPOSE_AXIS'],
    ['reshape_wrong_axis', 'RESHAPE_AXIS'],
  ] as const) {
    it(`${id}: onnxruntime's optimizer changes the output, and the ${code} pair is named as the confirmed cause`, async () => {
      const r = await ortCheck(writeModel(exampleById(id)!.build()), { level: 'basic' });
      expect(r.pass).toBe(false);
      expect(r.comparison.outputs[0].maxRelError).toBeGreaterThan(0.1);
      expect(r.axisRefused).toMatchObject([{ id: 'y', code, ortFolds: true }]);
      expect(r.cause).toMatchObject({ kind: 'confirmed', pairs: ['y'] });
      expect(r.optimizedModel.kind).toBe('not-written');
    });
  }

  it('a refused pair onnxruntime leaves alone is named as not folded, and the outputs stay equal', async () => {
    const r = await ortCheck(writeModel(exampleById('coincidence_3d')!.build()), { level: 'all' });
    expect(r.pass).toBe(true);
    expect(r.cause.kind).toBe('equal');
    expect(r.axisRefused).toMatchObject([{ code: 'LINEAR_OUTPUT_RANK', ortFolds: false }]);
  });

  for (const f of ['mobilenet_v3_small.onnx', 'vit_tiny_encoder12.onnx']) {
    corpusIt(`${f}: equal at level all`, { timeout: 60_000 }, async () => {
      const r = await ortCheck(corpus(f), { level: 'all' });
      expect(r.pass, JSON.stringify(r.comparison.outputs)).toBe(true);
      expect(r.cause.kind).toBe('equal');
    });
  }

  it('onnxruntime-web still cannot write its optimized model (when it can, count its BatchNormalizations instead)', async () => {
    const bytes = writeModel(exampleById('transpose_wrong_axis')!.build());
    await expect(ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'basic', executionProviders: ['wasm'], optimizedModelFilePath: 'optimized.onnx' })).rejects.toThrow();
  });
});
