/**
 * Pairs that share a node fold in successive passes, each found again in the rewritten model by its
 * nodes. Every two-pair chain of the patterns that can share a node, checked against onnxruntime.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import type { ModelProto } from '../onnx/types';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import { fuse } from './fuse';

type Stage =
  | { op: 'bn'; c: number }
  | { op: 'gemm'; k: number; n: number }
  | { op: 'matmul'; k: number; n: number; bias: boolean }
  | { op: 'conv'; cin: number; cout: number }
  | { op: 'transpose'; perm: number[] }
  | { op: 'reshape'; shape: number[] };

/** x → stage → stage → … → y; each stage writes `s<i>` (the last one writes `y`). */
function chain(input: number[], stages: Stage[], seed = 5): ModelProto {
  const r = seededRandom(seed);
  const b = new ModelBuilder().opset(17);
  b.input('x', input).output('y');
  let x = 'x';
  stages.forEach((s, i) => {
    const y = i === stages.length - 1 ? 'y' : `s${i}`;
    const t = `p${i}`;
    switch (s.op) {
      case 'bn':
        b.init(`${t}.s`, [s.c], randomValues(r, s.c, 0.5, 1.5)).init(`${t}.b`, [s.c], randomValues(r, s.c));
        b.init(`${t}.m`, [s.c], randomValues(r, s.c)).init(`${t}.v`, [s.c], randomValues(r, s.c, 0.2, 2));
        b.node('BatchNormalization', [x, `${t}.s`, `${t}.b`, `${t}.m`, `${t}.v`], [y], {}, `/bn${i}/BatchNormalization`);
        break;
      case 'gemm':
        b.init(`${t}.w`, [s.n, s.k], randomValues(r, s.n * s.k)).init(`${t}.c`, [s.n], randomValues(r, s.n));
        b.node('Gemm', [x, `${t}.w`, `${t}.c`], [y], { transB: 1 }, `/fc${i}/Gemm`);
        break;
      case 'matmul':
        b.init(`${t}.w`, [s.k, s.n], randomValues(r, s.k * s.n));
        if (s.bias) {
          b.init(`${t}.c`, [s.n], randomValues(r, s.n));
          b.node('MatMul', [x, `${t}.w`], [`${t}.mm`], {}, `/fc${i}/MatMul`);
          b.node('Add', [`${t}.c`, `${t}.mm`], [y], {}, `/fc${i}/Add`);
        } else b.node('MatMul', [x, `${t}.w`], [y], {}, `/fc${i}/MatMul`);
        break;
      case 'conv':
        b.init(`${t}.w`, [s.cout, s.cin, 3, 3], randomValues(r, s.cout * s.cin * 9));
        b.node('Conv', [x, `${t}.w`], [y], { pads: [1, 1, 1, 1] }, `/conv${i}/Conv`);
        break;
      case 'transpose':
        b.node('Transpose', [x], [y], { perm: s.perm }, `/t${i}/Transpose`);
        break;
      case 'reshape':
        b.initInts(`${t}.shape`, [s.shape.length], s.shape);
        b.node('Reshape', [x, `${t}.shape`], [y], {}, `/r${i}/Reshape`);
        break;
    }
    x = y;
  });
  return b.build();
}

const opsOf = (m: ModelProto) => m.graph!.node.map((n) => n.opType);

describe('chains of two pairs sharing a node', () => {
  const both: [string, number[], Stage[]][] = [
    ['BN → Gemm → BN', [2, 3], [{ op: 'bn', c: 3 }, { op: 'gemm', k: 3, n: 4 }, { op: 'bn', c: 4 }]],
    ['BN → MatMul+Add → BN', [2, 3], [{ op: 'bn', c: 3 }, { op: 'matmul', k: 3, n: 4, bias: true }, { op: 'bn', c: 4 }]],
    ['BN → MatMul → BN', [2, 3], [{ op: 'bn', c: 3 }, { op: 'matmul', k: 3, n: 4, bias: false }, { op: 'bn', c: 4 }]],
    ['BN → Gemm → Reshape → BN', [2, 3], [{ op: 'bn', c: 3 }, { op: 'gemm', k: 3, n: 4 }, { op: 'reshape', shape: [2, 4, 1] }, { op: 'bn', c: 4 }]],
    ['BN → MatMul → Reshape → BN', [2, 3], [{ op: 'bn', c: 3 }, { op: 'matmul', k: 3, n: 4, bias: false }, { op: 'reshape', shape: [2, 2, 2] }, { op: 'bn', c: 2 }]],
  ];
  for (const [name, input, stages] of both) {
    it(`${name}: both pairs fold in one call, and onnxruntime agrees`, async () => {
      const m = chain(input, stages);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.length).toBe(2);
      expect(pairs.every((p) => p.fusable), JSON.stringify(pairs.map((p) => p.reasons))).toBe(true);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.map((f) => f.id).sort()).toEqual(pairs.map((p) => p.id).sort());
      expect(res.superseded).toEqual([]);
      expect(res.skipped).toEqual([]);
      expect(opsOf(res.model)).not.toContain('BatchNormalization');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      // Nothing is left for a second call.
      expect(fuse(res.model).folded).toEqual([]);
    });
  }

  const oneBn: [string, number[], Stage[]][] = [
    ['Gemm → BN → Gemm', [2, 3], [{ op: 'gemm', k: 3, n: 4 }, { op: 'bn', c: 4 }, { op: 'gemm', k: 4, n: 2 }]],
    ['MatMul+Add → BN → MatMul', [2, 3], [{ op: 'matmul', k: 3, n: 4, bias: true }, { op: 'bn', c: 4 }, { op: 'matmul', k: 4, n: 2, bias: false }]],
    ['MatMul → Reshape → BN → Gemm', [2, 4], [{ op: 'matmul', k: 4, n: 4, bias: false }, { op: 'reshape', shape: [4, 2] }, { op: 'bn', c: 2 }, { op: 'gemm', k: 2, n: 3 }]],
  ];
  for (const [name, input, stages] of oneBn) {
    it(`${name}: both pairs fold the same BN, so one folds and the other is truly superseded`, async () => {
      const m = chain(input, stages);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.length).toBe(2);
      expect(pairs.every((p) => p.fusable), JSON.stringify(pairs.map((p) => p.reasons))).toBe(true);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.length).toBe(1);
      expect(res.superseded.length).toBe(1);
      expect([...res.folded.map((f) => f.id), ...res.superseded].sort()).toEqual(pairs.map((p) => p.id).sort());
      expect(opsOf(res.model)).not.toContain('BatchNormalization');
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    });
  }

  const refused: [string, number[], Stage[], string][] = [
    ['BN → Gemm → Transpose → BN (rank 2: the Transpose moves the batch axis)', [2, 3], [{ op: 'bn', c: 3 }, { op: 'gemm', k: 3, n: 2 }, { op: 'transpose', perm: [1, 0] }, { op: 'bn', c: 2 }], 'TRANSPOSE_AXIS'],
    ['Conv → BN → MatMul (BN output of rank 4)', [1, 2, 4, 4], [{ op: 'conv', cin: 2, cout: 4 }, { op: 'bn', c: 4 }, { op: 'matmul', k: 4, n: 4, bias: false }], 'LINEAR_INPUT_RANK'],
  ];
  for (const [name, input, stages, code] of refused) {
    it(`${name}: the valid pair folds, the other is skipped with ${code}`, async () => {
      const m = chain(input, stages);
      const pairs = analyzeModel(m).pairs;
      expect(pairs.length).toBe(2);
      const bad = pairs.find((p) => !p.fusable)!;
      expect(bad.reasons.map((r) => r.code)).toContain(code);
      const { res, report } = await fuseAndVerify(m);
      expect(res.folded.map((f) => f.id)).toEqual(pairs.filter((p) => p.fusable).map((p) => p.id));
      expect(res.skipped.map((s) => s.id)).toEqual([bad.id]);
      expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
    });
  }

  it('BN → Gemm → BN → Gemm: three pairs, two folds over two passes, one superseded; no BN left', async () => {
    const m = chain([2, 3], [{ op: 'bn', c: 3 }, { op: 'gemm', k: 3, n: 4 }, { op: 'bn', c: 4 }, { op: 'gemm', k: 4, n: 2 }]);
    expect(analyzeModel(m).pairs.length).toBe(3);
    const { res, report } = await fuseAndVerify(m);
    expect(res.folded.length).toBe(2);
    expect(res.superseded.length).toBe(1);
    expect(opsOf(res.model)).not.toContain('BatchNormalization');
    expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
  });

  it('a pair still waiting when the pass limit is reached is skipped with REWRITE_CONFLICT, never dropped', () => {
    const m = chain([2, 3], [{ op: 'bn', c: 3 }, { op: 'gemm', k: 3, n: 4 }, { op: 'bn', c: 4 }]);
    const res = fuse(m, { maxPasses: 1 });
    expect(res.folded.length).toBe(1);
    expect(res.skipped.map((s) => s.reasons[0].code)).toEqual(['REWRITE_CONFLICT']);
    expect(res.folded.length + res.skipped.length).toBe(2);
  });
});
