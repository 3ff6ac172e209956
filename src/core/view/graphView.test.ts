import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { EXAMPLES } from '../../examples/catalog';
import { betweenNode } from '../rules/pair';
import { buildGraphView, pairRole, type ViewNode } from './graphView';
import { nodeId } from './ids';

describe('graph view', () => {
  it("a pair's nodes share one mark, and each node's part in it is read from its op type", () => {
    let checked = 0;
    const roles = new Set<string>();
    for (const ex of EXAMPLES) {
      const a = analyzeModel(ex.build());
      const view = buildGraphView(a);
      const byId = new Map<string, ViewNode>(view.nodes.map((n) => [n.id, n]));
      for (const p of a.pairs) {
        const between = betweenNode(p);
        const parts: [number, 'linear' | 'bn'][] = [...p.linear.nodeIndices.map((i): [number, 'linear'] => [i, 'linear']), ...(between ? [[between.nodeIndex, 'linear'] as [number, 'linear']] : []), [p.batchNorm.nodeIndex, 'bn']];
        const marks = new Set<unknown>();
        for (const [i, role] of parts) {
          const n = byId.get(nodeId(i));
          expect(n, `${ex.id} ${p.id} node ${i}`).toBeDefined();
          expect(pairRole(n!), `${ex.id} ${p.id} ${n!.opType}`).toBe(role);
          roles.add(role);
          // A node of two pairs shows the fusable one (a mark of another pair, then).
          if (n!.pair?.id === p.id) marks.add(n!.pair);
          else expect(n!.pair?.fusable, `${ex.id} ${p.id}: ${n!.id} shows ${n!.pair?.id}`).toBe(true);
          checked++;
        }
        expect(marks.size, `${ex.id} ${p.id}`).toBeLessThanOrEqual(1);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect([...roles].sort()).toEqual(['bn', 'linear']);
  });
});

describe('a refused pair’s short reason', () => {
  it('BIAS_AXIS says which constant is on another axis: a Mul’s is multiplied, an Add’s added (as the reason’s own message says)', () => {
    const seen = new Set<string>();
    for (const ex of EXAMPLES) {
      const a = analyzeModel(ex.build());
      const view = buildGraphView(a);
      for (const p of a.pairs) {
        const bias = p.reasons.filter((r) => r.code === 'BIAS_AXIS');
        if (bias.length === 0) continue;
        const short = view.nodes.find((n) => n.id === nodeId(p.batchNorm.nodeIndex))!.pair!.short;
        for (const [verb, words] of [
          [' multiplies ', 'multiplied constant on another axis'],
          [' adds ', 'added constant on another axis'],
        ] as const) {
          const said = bias.some((r) => r.message.includes(verb));
          expect(short.includes(words), `${ex.id} ${p.id}: “${short}” for ${bias.map((r) => r.message).join(' | ')}`).toBe(said);
          if (said) seen.add(words);
        }
      }
    }
    // Both kinds occur among the examples (LayerScale's Mul on the wrong axis; a Conv's [C] bias on W).
    expect([...seen].sort()).toEqual(['added constant on another axis', 'multiplied constant on another axis']);
  });
});
