/** The words a student reads: a sentence for every reason, checks that never call a coincidence a match, and the feature map. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { pairView } from '../session/pairView';
import { EXAMPLES, exampleById } from '../../examples/catalog';
import { REASON_CODES, type ReasonCode } from '../rules/reasons';
import type { PairView } from '../session/types';
import { teachReason } from './reasonMeaning';
import { axesSentence, axisChecks, conclusion } from './pairStory';
import { featureMap } from './featureMap';

function views(id: string): PairView[] {
  return analyzeModel(exampleById(id)!.build()).pairs.map(pairView);
}
const only = (id: string) => views(id)[0];

describe('teaching text', () => {
  const all = EXAMPLES.flatMap((e) => views(e.id));

  it('every pair gets a conclusion sentence, not a bare code', () => {
    for (const p of all) {
      const c = conclusion(p);
      expect(c).toMatch(/^[A-Z].{30,}\.$/);
      for (const code of REASON_CODES) expect(c).not.toContain(code);
    }
  });

  it('every reason code has its own why and fix, quoting the pair when it can', () => {
    const p = only('coincidence_3d');
    const seen = new Set<string>();
    for (const code of REASON_CODES) {
      const t = teachReason(p, { code, message: 'found' });
      expect(t.why.length, code).toBeGreaterThan(40);
      expect(t.fix.length, code).toBeGreaterThan(20);
      expect(seen.has(t.why), `${code} repeats another code's text`).toBe(false);
      seen.add(t.why);
    }
    expect(teachReason(p, p.reasons[0]).why).toContain('[2, 5, 5]');
    const shared = only('shared_pre_bn');
    expect(teachReason(shared, shared.reasons[0]).why).toContain('/bn/BatchNormalization');
  });

  it('the examples cover each reason code the gallery shows, with that code’s sentence in the conclusion', () => {
    const covered = new Map<ReasonCode, PairView>();
    for (const p of all) for (const r of p.reasons) if (!covered.has(r.code)) covered.set(r.code, p);
    expect([...covered.keys()].sort()).toEqual(
      ['BN_TRAINING_MODE', 'CHANNEL_MISMATCH', 'LINEAR_INPUT_RANK', 'LINEAR_OUTPUT_RANK', 'NON_CONSTANT_PARAMS', 'NOT_A_LINEAR', 'PRE_BN_VALUE_SHARED', 'QUANTIZED_WEIGHT', 'RESHAPE_AXIS', 'TRANSPOSE_AXIS', 'UNKNOWN_RANK'].sort(),
    );
    expect(conclusion(only('training_mode'))).toContain('training mode');
    expect(conclusion(only('nonconst_stats'))).toContain('not constants');
    expect(conclusion(only('transpose_wrong_axis'))).toContain('every channel mixes all features');
  });

  it('the axis card calls equal sizes on different axes a coincidence, and flags other reasons', () => {
    const coincidence = axisChecks(only('coincidence_3d'));
    expect(coincidence.map((c) => c.state)).toEqual(['fails', 'coincidence', 'holds']);
    const shared = axisChecks(only('shared_pre_bn'));
    expect(shared.map((c) => c.state)).toEqual(['holds', 'holds', 'fails']);
    expect(shared[2].text).toContain('intermediate value shared');
    expect(axisChecks(only('valid_2d')).every((c) => c.state === 'holds')).toBe(true);
    expect(axisChecks(only('unknown_rank'))[0].state).toBe('unknown');
    expect(axisChecks(only('seed_3d'))[1].state).toBe('fails');
    // BN→Linear compares BN's channels with the Linear's *input* features (6 here; it has 3 outputs).
    const bnLinear = only('bn_linear');
    expect(axisChecks(bnLinear).map((c) => c.state)).toEqual(['holds', 'holds', 'holds']);
    expect(axesSentence(bnLinear)).toContain('6 input features');
    // Through a Reshape the sizes need not match, yet the Linear's feature count is still stated.
    expect(axesSentence(only('reshape_wrong_axis'))).toContain('writes its 4 features');
    expect(axisChecks(only('reshape_wrong_axis'))[1].text).toContain('4 channels and 4 features');
  });
});

describe('feature map', () => {
  it('rank 2: feature n is channel n', () => {
    const m = featureMap(only('valid_2d'))!;
    expect(m.oneChannelEach).toBe(true);
    expect(m.channelsOf).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('rank 3 and a wrong Transpose: every feature in every channel', () => {
    expect(featureMap(only('coincidence_3d'))!.channelsOf[0]).toEqual([0, 1, 2, 3, 4]);
    const t = featureMap(only('transpose_wrong_axis'))!;
    expect(t.oneChannelEach).toBe(false);
    expect(t.channelsOf[3]).toEqual([0, 1, 2, 3]);
    expect(featureMap(only('linear_transpose_bn'))!.oneChannelEach).toBe(true);
  });

  it('Reshape: feature n → channel ⌊(m·F + n)/R⌋ mod C over the rows', () => {
    const ok = featureMap(only('linear_reshape_bn'))!;
    expect(ok.oneChannelEach).toBe(true);
    expect(ok.channelsOf).toEqual([[0], [0], [0], [0], [1], [1], [1], [1]]);
    const bad = featureMap(only('reshape_wrong_axis'))!;
    expect(bad.oneChannelEach).toBe(false);
    // [4, 4] → [2, 4, 2]: feature 0 is element 0 (channel 0) in row 0 and element 4 (channel 2) in row 1.
    expect(bad.channelsOf[0]).toEqual([0, 2]);
  });

  it('agrees with the verdict on every example with a Linear before BN and known sizes', () => {
    for (const p of EXAMPLES.flatMap((e) => views(e.id))) {
      const m = featureMap(p);
      if (!m || p.reasons.some((r) => r.code !== 'LINEAR_OUTPUT_RANK' && r.code !== 'TRANSPOSE_AXIS' && r.code !== 'RESHAPE_AXIS' && r.code !== 'CHANNEL_MISMATCH')) continue;
      expect(m.oneChannelEach, p.id).toBe(p.fusable);
    }
  });
});
