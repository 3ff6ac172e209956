/** The notice after a fuse says what happened to each BatchNormalization, from the fold the session really made. */
import { describe, expect, it } from 'vitest';
import { InspectorSession } from './inspectorSession';
import { writeModel } from '../onnx/modelIO';
import { batchNorm, linear, model } from '../../examples/parts';
import { exampleById } from '../../examples/catalog';
import { fuseNotice } from './fuseNotice';

/** MatMul without bias → Transpose → BatchNormalization: the fold gives the MatMul a bias Add, so the node count stays. */
const matmulTransposeBn = model(7, 17, (b, r) => {
  b.input('x', ['batch', 6, 5]).output('y');
  linear(b, r, 'fc', 'x', '/fc/MatMul_output_0', { kind: 'MatMul', inF: 5, outF: 4 });
  b.node('Transpose', ['/fc/MatMul_output_0'], ['/Transpose_output_0'], { perm: [0, 2, 1] }, '/Transpose');
  batchNorm(b, r, 'bn', '/Transpose_output_0', 'y', { channels: 4 });
});

function fused(name: string, bytes: Uint8Array) {
  const s = new InspectorSession();
  const before = s.open(name, bytes).summary.nodeCount;
  const snap = s.fuse(undefined);
  const ops = snap.nodes.filter((n) => n.kind === 'op').map((n) => n.opType);
  return { before, snap, ops, notice: fuseNotice(snap.lastFuse!, snap.summary.nodeCount) };
}

describe('fuse notice', () => {
  it('MatMul (no bias) → Transpose → BN: says the BatchNormalization was replaced by a bias Add, not "0 nodes removed"', () => {
    const { before, snap, ops, notice } = fused('mtb.onnx', writeModel(matmulTransposeBn()));
    expect(snap.summary.nodeCount).toBe(before);
    expect(ops).not.toContain('BatchNormalization');
    expect(ops).toContain('Add');
    expect(notice).toBe(`Folded 1 pair: BatchNormalization replaced by a bias Add (the MatMul had no bias); weight rescaled (${before} → ${before} nodes).`);
    expect(notice).not.toMatch(/0 nodes? removed/);
  });

  it('a Linear with a bias: the BatchNormalization is removed and the count drops by one per fold', () => {
    const { before, snap, notice } = fused('mlp.onnx', writeModel(exampleById('mlp')!.build()));
    expect(before - snap.summary.nodeCount).toBe(2);
    expect(notice).toBe(`Folded 2 pairs: 2 BatchNormalizations removed; weights rescaled (${before} → ${snap.summary.nodeCount} nodes).`);
  });
});
