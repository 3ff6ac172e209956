/**
 * "Apply anyway" performs the wrong fold a size-only check performs. Across a Transpose or Reshape
 * that is ONNX Runtime's own MatMul+BatchNormalization fusion: the model we write must compute what
 * onnxruntime computes after its optimizer folded the original — and both differ from the original.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { analyzeModel } from '../analysis';
import { fuse } from './fuse';
import { naiveFoldProblem, refusedByAxisRuleOnly } from './naiveFold';
import { exampleById } from '../../examples/catalog';
import { writeModel } from '../onnx/modelIO';
import { verify } from '../verify/verify';

async function run(bytes: Uint8Array, level: 'disabled' | 'all', x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level });
  const out = await session.run({ x: new ort.Tensor('float32', x, dims) });
  return out.y.data as Float32Array;
}

function maxRel(a: Float32Array, b: Float32Array): number {
  const ref = Math.max(...Array.from(a, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / ref;
}

describe('apply anyway across a Transpose or Reshape is the fold ONNX Runtime performs', () => {
  for (const [id, code] of [
    ['transpose_wrong_axis', 'TRANSPOSE_AXIS'],
    ['reshape_wrong_axis', 'RESHAPE_AXIS'],
  ] as const) {
    it(`${id}: our naive fold computes what onnxruntime's optimizer computes, and verify fails`, async () => {
      const model = exampleById(id)!.build();
      const a = analyzeModel(model);
      const pair = a.pairs[0];
      expect(pair.reasons.map((r) => r.code)).toEqual([code]);
      expect(refusedByAxisRuleOnly(pair)).toBe(true);
      expect(naiveFoldProblem(pair)).toBeNull();
      const res = fuse(a, { ignoreAxisRule: true });
      expect(res.incorrect).toBe(true);
      expect(res.folded.map((f) => f.id)).toEqual([pair.id]);
      expect(res.model.graph!.node.map((n) => n.opType)).not.toContain('BatchNormalization');

      const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
      const original = writeModel(model);
      const plain = await run(original, 'disabled', x, [4, 3]);
      const ortFolded = await run(original, 'all', x, [4, 3]);
      const ours = await run(writeModel(res.model), 'disabled', x, [4, 3]);
      // ONNX Runtime's optimizer really changes the output…
      expect(maxRel(plain, ortFolded)).toBeGreaterThan(0.1);
      // …and our "apply anyway" changes it the same way.
      expect(maxRel(ortFolded, ours)).toBeLessThan(1e-5);
      const report = await verify(original, writeModel(res.model), { runs: 1 });
      expect(report.pass).toBe(false);
    });
  }

  it('a correct fold is never replaced by the naive one: fusable pairs fold the same with ignoreAxisRule', async () => {
    const model = exampleById('linear_reshape_bn')!.build();
    const res = fuse(analyzeModel(model), { ignoreAxisRule: true });
    expect(res.incorrect).toBe(false);
    const report = await verify(writeModel(model), writeModel(res.model), { runs: 1 });
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('says why a naive fold cannot be formed', () => {
    const bnLinear3d = analyzeModel(exampleById('bn_linear_3d')!.build()).pairs[0];
    expect(refusedByAxisRuleOnly(bnLinear3d)).toBe(true);
    expect(naiveFoldProblem(bnLinear3d)).toContain('4 scale values');
    const conv = analyzeModel(exampleById('conv_bn')!.build()).pairs[0];
    expect(naiveFoldProblem(conv)).toContain('no axis rule');
    const shared = analyzeModel(exampleById('shared_pre_bn')!.build()).pairs[0];
    expect(refusedByAxisRuleOnly(shared)).toBe(false);
    expect(naiveFoldProblem(shared)).toContain('not refused by it');
  });
});
