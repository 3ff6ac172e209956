/** The words a student reads: a sentence for every reason, checks that never call a coincidence a match, and the feature map. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { pairView } from '../session/pairView';
import { EXAMPLES, exampleById } from '../../examples/catalog';
import { REASON_CODES, type Reason, type ReasonCode } from '../rules/reasons';
import type { PairView } from '../session/types';
import { teachReason } from './reasonMeaning';
import { axesSentence, axisChecks, conclusion } from './pairStory';
import { featureMap } from './featureMap';
import { formatShape, product } from '../graph/dims';
import { naiveFoldProblem } from '../rewrite/naiveFold';
import { COLOUR_WORDS } from '../testing/colourWords';
import { LESSONS } from '../../examples/lessons';

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
      const t = teachReason(p, stated(code));
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
      ['BIAS_AXIS', 'BN_TRAINING_MODE', 'CHANNEL_MISMATCH', 'CONV_PADDING', 'LINEAR_INPUT_RANK', 'LINEAR_OUTPUT_RANK', 'NON_CONSTANT_PARAMS', 'NOT_A_LINEAR', 'PRE_BN_VALUE_SHARED', 'QUANTIZED_WEIGHT', 'RESHAPE_AXIS', 'TRANSPOSE_AXIS', 'UNKNOWN_RANK'].sort(),
    );
    expect(conclusion(only('conv_add_on_w'))).toContain('not one value per output channel');
    expect(conclusion(only('bn_conv_padded'))).toContain('pads its input with zeros after BatchNorm');
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

/** A reason with `code` stated as found (BIAS_AXIS's about an added constant). */
function stated(code: ReasonCode): Reason {
  return code === 'BIAS_AXIS' ? { code, message: 'found', constant: 'added' } : { code, message: 'found' };
}

/** The pair refused for `code` in an example, or the example pair given with `code` stated as its reason (for codes no example shows). */
function refusedFor(code: ReasonCode, fallback = 'coincidence_3d'): { p: PairView; text: { why: string; fix: string } } {
  const p = EXAMPLES.flatMap((e) => views(e.id)).find((x) => x.reasons.some((r) => r.code === code)) ?? only(fallback);
  const r = p.reasons.find((x) => x.code === code) ?? stated(code);
  return { p, text: teachReason(p, r) };
}

/** A MatMul weight's input and output features, read from its [K, N] shape (not from the pair's counts). */
function weightSides(p: PairView): { k: number; n: number } {
  expect(p.linear.kind).toMatch(/^MatMul/);
  const w = p.weightShape as number[];
  return { k: w[0], n: w[1] };
}

/** Every number a sentence quotes, outside names in quotes. */
function numbersIn(text: string): number[] {
  return [...text.replace(/“[^”]*”/g, '').replace(/float(16|32)/g, '').matchAll(/\d+/g)].map((m) => Number(m[0]));
}

describe('each reason code’s why and fix quote the pair’s own shapes and numbers', () => {
  it('LINEAR_OUTPUT_RANK: flatten to [N·L, in_features] with the pair’s in-features, and say BatchNorm then normalizes something else', () => {
    for (const id of ['seed_3d', 'coincidence_3d', 'bn2d_4d']) {
      const p = only(id);
      const t = teachReason(p, p.reasons.find((r) => r.code === 'LINEAR_OUTPUT_RANK')!);
      const out = p.linear.outputShape as number[];
      const { k, n } = weightSides(p);
      const lead = product(out.slice(0, -1))!;
      expect(t.fix, id).toContain(formatShape([...out.slice(0, -1), k]));
      expect(t.fix, id).toContain(`[${lead}, ${k}]`);
      expect(t.fix, id).toContain(`[${lead}, ${n}]`);
      expect(t.fix, id).toContain(`perm [0, ${out.length - 1}, ${Array.from({ length: out.length - 2 }, (_, i) => i + 1).join(', ')}]`);
      expect(t.fix, id).toMatch(/retrained/);
      expect(t.fix, id).toContain(`the ${out[1]} positions of axis 1`);
      expect(t.why, id).toContain(formatShape(out));
    }
  });

  it('LINEAR_INPUT_RANK: BatchNorm reads [.., in_features]; flattening gives [N·L, in_features], not [N, channels]', () => {
    const { p, text } = refusedFor('LINEAR_INPUT_RANK');
    const out = p.linear.outputShape!;
    const { k } = weightSides(p);
    const x = [...out.slice(0, -1), k];
    expect(text.why).toContain(formatShape(x));
    expect(text.why).toContain(`${k} input features`);
    expect(text.fix).toContain(`[${out.slice(0, -1).join('·')}, ${k}]`);
    expect(text.fix).not.toContain(`[N, ${p.batchNorm.channels}]`);
    expect(text.fix).toMatch(/retrained/);
  });

  it('TRANSPOSE_AXIS: names the perm and the axis it puts on axis 1; offers “Apply anyway” only when the page does', () => {
    const { p, text } = refusedFor('TRANSPOSE_AXIS');
    const perm = p.transpose!.perm!;
    const rank = p.linear.outputShape!.length;
    expect(text.why).toContain(`perm [${perm.join(', ')}]`);
    expect(text.why).toContain(`axis ${perm[1]} of ${formatShape(p.linear.outputShape)}`);
    expect(text.fix).toContain(`perm[1] = ${rank - 1}`);
    expect(text.fix).toMatch(/retrained/);
    expect(text.fix.includes('Apply anyway')).toBe(p.axisRuleOnly && p.naiveProblem === null);
    const changed = teachReason({ ...p, axisRuleOnly: false }, p.reasons[0]);
    expect(changed.fix).not.toContain('Apply anyway');
  });

  it('RESHAPE_AXIS: quotes R, C and C·R of the Reshape, and that C·R does not divide the features', () => {
    const { p, text } = refusedFor('RESHAPE_AXIS');
    const to = p.reshape!.shape as number[];
    const r = product(to.slice(2))!;
    const c = to[1];
    expect(p.outFeatures! % (c * r)).not.toBe(0);
    expect(text.why).toContain(`${c} channels of R = ${r} elements`);
    expect(text.why).toContain(`C·R = ${c * r} does not divide the ${p.outFeatures} features`);
    expect(text.fix).toMatch(/retrained/);
  });

  it('CHANNEL_MISMATCH: the channel count and the features on the side the fold scales (inputs for BN→Linear)', () => {
    for (const id of ['seed_3d', 'bn_linear_3d']) {
      const p = only(id);
      const t = teachReason(p, p.reasons.find((r) => r.code === 'CHANNEL_MISMATCH')!);
      const { k, n } = weightSides(p);
      const side = p.pattern === 'bn-linear' ? `${k} input features` : `${n} features`;
      expect(t.why, id).toContain(`${p.batchNorm.channels} values`);
      expect(t.why, id).toContain(side);
      // The sizes differ because of the axis: the fix points at the axis reason, not at resizing BatchNorm alone.
      expect(t.fix, id).toContain(p.reasons[0].code);
    }
  });

  it('PRE_BN_VALUE_SHARED: names the pair’s nodes; for BN→Linear the value lost is BatchNorm’s output', () => {
    const { p, text } = refusedFor('PRE_BN_VALUE_SHARED');
    expect(text.why).toContain(p.batchNorm.node);
    expect(text.why).toContain(p.linear.nodes.join(' + '));
    const bnLin = only('bn_linear');
    const t = teachReason(bnLin, { code: 'PRE_BN_VALUE_SHARED', message: 'found' });
    expect(t.why).toContain('read BatchNorm’s input directly');
    expect(t.fix).toContain('copy of the BatchNorm');
  });

  for (const code of ['UNKNOWN_RANK', 'NON_CONSTANT_PARAMS', 'BN_TRAINING_MODE', 'UNSUPPORTED_DTYPE', 'QUANTIZED_WEIGHT', 'NOT_A_LINEAR', 'UNSUPPORTED_OPSET', 'REWRITE_CONFLICT', 'REWRITE_INVALID'] as const) {
    it(`${code}: quotes no number that is not the pair’s`, () => {
      const { p, text } = refusedFor(code);
      const own = new Set([0, 1, 2, p.batchNorm.channels, p.features, p.inFeatures, p.outFeatures, ...(p.linear.outputShape ?? []), ...(p.weightShape ?? [])]);
      for (const x of [...numbersIn(text.why), ...numbersIn(text.fix)]) expect(own.has(x), `${code} quotes ${x}`).toBe(true);
    });
  }

  it('the naive fold’s refusal counts BN→Linear’s input features, in the rows or columns they are', () => {
    const p = analyzeModel(exampleById('bn_linear_3d')!.build()).pairs[0];
    const { k } = weightSides(pairView(p));
    expect(naiveFoldProblem(p)).toContain(`the weight has ${k} input features`);
    expect(naiveFoldProblem(p)).toContain(`${k} weight rows`);
  });
});

describe('the axis card agrees with the feature map', () => {
  it('through a Reshape a channel holds F/C whole features, not one', () => {
    const p = only('linear_reshape_bn');
    const m = featureMap(p)!;
    const perChannel = new Map<number, number>();
    for (const cs of m.channelsOf) for (const c of cs) perChannel.set(c, (perChannel.get(c) ?? 0) + 1);
    const checks = axisChecks(p);
    expect(checks[0].text).not.toContain('is one of the features');
    for (const [, n] of perChannel) expect(checks[0].text).toContain(`holds ${n} whole features`);
    expect(checks[1].text).toContain(`the ${[...perChannel.values()][0]} features of its channel`);
  });

  it('wherever the card says each channel is one feature, the map puts each feature in its own channel', () => {
    for (const p of EXAMPLES.flatMap((e) => views(e.id))) {
      const m = featureMap(p);
      if (!m || !axisChecks(p)[0].text.includes('is one of the')) continue;
      expect(m.channelsOf.every((cs, n) => cs.length === 1 && cs[0] === n), p.id).toBe(true);
    }
  });
});

describe('no colour words in what a student reads', () => {
  it('lessons, conclusions, checks and reasons name labels by their words', () => {
    const texts = LESSONS.flatMap((l) => [l.title, l.text, l.tryIt]);
    for (const p of EXAMPLES.flatMap((e) => views(e.id))) {
      texts.push(conclusion(p), axesSentence(p), ...axisChecks(p).map((c) => c.text));
      for (const r of p.reasons) texts.push(teachReason(p, r).why, teachReason(p, r).fix);
    }
    for (const t of texts) expect(t).not.toMatch(COLOUR_WORDS);
  });
});
