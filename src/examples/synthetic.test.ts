import { describe, expect, it } from 'vitest';
import { syntheticModel } from './synthetic';
import { analyzeModel } from '../core/analysis';
import { writeModel } from '../core/onnx/modelIO';
import { fuse } from '../core/rewrite/fuse';
import { verify } from '../core/verify/verify';

describe('synthetic models', () => {
  it('have about the asked node count, pairs on both sides, and run in onnxruntime', async () => {
    const m = syntheticModel({ nodes: 300 });
    const n = m.graph!.node.length;
    expect(n).toBeGreaterThan(250);
    expect(n).toBeLessThan(350);
    const a = analyzeModel(m);
    expect(a.pairs.some((p) => p.fusable)).toBe(true);
    expect(a.pairs.some((p) => p.reasons.some((r) => r.code === 'LINEAR_OUTPUT_RANK'))).toBe(true);
    const report = await verify(writeModel(m), writeModel(fuse(a).model), { runs: 1 });
    expect(report.pass, JSON.stringify(report)).toBe(true);
  });
});
