/** The constant strip and the card's words for the exporters' folds (Conv → Add → BN, Linear/Conv → Mul [→ Add], BN → Conv). */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { pairView } from '../session/pairView';
import { EXAMPLES, exampleById } from '../../examples/catalog';
import type { PairView } from '../session/types';
import { constantAlignments, isConvKind, ownAxis } from './constantAxes';
import { axesSentence, axisChecks, conclusion } from './pairStory';
import { normParamsText } from './normText';
import { float32Text } from '../numberText';

const only = (id: string): PairView => pairView(analyzeModel(exampleById(id)!.build()).pairs[0]);
const all = EXAMPLES.flatMap((e) => analyzeModel(e.build()).pairs.map(pairView));

describe('constants lined up under the output', () => {
  it('a [6] on [batch, 6, 6, 6] sits under axis 3 and varies there; [1, 8, 1, 1] under axis 1', () => {
    const w = constantAlignments(only('conv_add_on_w'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ role: 'Add', onOwnAxis: false, fits: true, cells: [null, null, null, 6], varies: [3] });
    const ok = constantAlignments(only('conv_add_bn'));
    expect(ok[0]).toMatchObject({ role: 'Add', onOwnAxis: true, cells: [1, 8, 1, 1], varies: [1] });
    // A Linear keeps its features last: LayerScale's [4] on [batch, 5, 4] varies along axis 2, its own.
    const ls = only('linear_layerscale');
    expect(ownAxis(ls)).toBe(2);
    expect(constantAlignments(ls)[0]).toMatchObject({ role: 'Mul', onOwnAxis: true, varies: [2] });
    expect(constantAlignments(only('conv_mul_add')).map((k) => k.role)).toEqual(['Mul', 'Add']);
  });

  it('a constant is off its axis exactly when the pair is refused with BIAS_AXIS', () => {
    const withConstants = all.filter((p) => constantAlignments(p).length > 0);
    expect(withConstants.length).toBeGreaterThanOrEqual(5);
    for (const p of withConstants) {
      const off = constantAlignments(p).some((k) => !k.onOwnAxis);
      expect(off, p.id).toBe(p.reasons.some((r) => r.code === 'BIAS_AXIS'));
    }
  });
});

describe('the card’s words for the exporters’ folds', () => {
  it('a Conv pair’s card names the Conv, never the Linear; a Mul pair’s card names no BatchNorm', () => {
    for (const p of all) {
      const text = axisChecks(p).map((c) => c.text).join(' ');
      if (isConvKind(p)) expect(text, p.id).not.toContain('Linear’s');
      if (p.pattern === 'linear-affine') expect(text, p.id).not.toContain('BatchNorm');
    }
    expect(axisChecks(only('conv_add_bn'))[0].text).toContain('the Conv’s output channels');
  });

  it('a constant on W fails its own check, naming the coincidence; BatchNorm’s axis still holds', () => {
    const checks = axisChecks(only('conv_add_on_w'));
    expect(checks.map((c) => [c.what, c.state])).toEqual([
      ['axis', 'holds'],
      ['sizes', 'holds'],
      ['constant', 'fails'],
      ['other', 'holds'],
    ]);
    expect(checks[2].text).toContain('varies along axis 3 (that axis also has 6 positions: a coincidence)');
    expect(axisChecks(only('conv_mul_on_w')).find((c) => c.what === 'sizes')?.state).toBe('coincidence');
    // A Linear's own bias Add on the rows is no longer hidden under "other conditions: met".
    expect(axisChecks(only('linear_add_per_row')).find((c) => c.what === 'constant')?.state).toBe('fails');
  });

  it('BN → Conv with padding: the axes hold, the padding is the condition that fails; without padding none is mentioned', () => {
    const padded = axisChecks(only('bn_conv_padded'));
    expect(padded[0].state).toBe('holds');
    expect(padded.find((c) => c.what === 'other')).toMatchObject({ state: 'fails' });
    expect(axesSentence(only('bn_conv_padded'))).toContain('zero padding');
    expect(axesSentence(only('bn_conv'))).not.toContain('padding');
  });

  it('a Linear’s LayerScale concludes per output feature, a Conv’s Mul per output channel', () => {
    expect(conclusion(only('linear_layerscale'))).toContain('one value per output feature');
    expect(conclusion(only('linear_layerscale'))).not.toContain('shift');
    expect(conclusion(only('conv_mul_add'))).toContain('one value per output channel');
    expect(conclusion(only('conv_mul_on_w'))).toContain('The Mul’s constant [6] broadcasts');
  });
});

describe('what normalizes, under the formulas', () => {
  it('a Mul shows its own constants and shapes, no ε, γ, μ, σ²; a BatchNorm its ε as stored', () => {
    for (const p of all) {
      const text = normParamsText(p.norm, p.batchNorm.channels);
      switch (p.norm.op) {
        case 'Mul':
          expect(text, p.id).not.toMatch(/[εγμσ]/);
          expect(text, p.id).toContain(p.norm.scale.constant);
          break;
        case 'BatchNormalization':
          expect(text, p.id).toContain(`ε = ${float32Text(p.norm.epsilon)}`);
          break;
      }
    }
    expect(normParamsText(only('conv_mul_add').norm, 6)).toBe('s = "bn.s" [1, 6, 1, 1], the Mul’s constant; t = "bn.t" [1, 6, 1, 1], the Add’s constant');
    expect(normParamsText(only('linear_layerscale').norm, 4)).toContain('no Add after it, so t = 0');
  });
});
