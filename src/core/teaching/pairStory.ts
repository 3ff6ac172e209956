/**
 * The words around a pair, built from its own data: which axis each op acts on, what matches and
 * what does not (the axis card), and the conclusion sentence. Pure, so the page, the CLI and the
 * tests say the same thing.
 */
import { formatShape } from '../graph/dims';
import { reasonShort, type Reason, type ReasonCode } from '../rules/reasons';
import { axisRuleCode } from '../rules/axisRule';
import { q } from '../rules/common';
import type { PairView } from '../session/types';
import { channelMismatchKind, featureUnit, featureWord } from './pairShapes';
import { constantAlignments, opName, ownAxis } from './constantAxes';

export type CheckState = 'holds' | 'fails' | 'coincidence' | 'unknown';

export interface AxisCheck {
  /** `constant`: one per Add or Mul constant applied to the op's output (BIAS_AXIS is about it). */
  what: 'axis' | 'sizes' | 'constant' | 'other';
  state: CheckState;
  text: string;
}

/** The axis rules that say BN's axis misses the op's features (BIAS_AXIS is about a constant, CONV_PADDING about padding: not these). */
const BN_AXIS_CODES: ReadonlySet<ReasonCode> = new Set(['LINEAR_OUTPUT_RANK', 'LINEAR_INPUT_RANK', 'TRANSPOSE_AXIS', 'RESHAPE_AXIS']);

/** The codes the axis card itself covers (BN's axis, a constant's axis, an unknown rank, a size mismatch); the others are listed as "other conditions". */
const AXIS_CODES: ReadonlySet<ReasonCode> = new Set([...BN_AXIS_CODES, 'BIAS_AXIS', 'UNKNOWN_RANK', 'CHANNEL_MISMATCH']);

function has(pair: PairView, code: string): boolean {
  return pair.reasons.some((r) => r.code === code);
}

/** Which axis each op acts on, in one or two sentences. */
export function axesSentence(pair: PairView): string {
  const c = pair.batchNorm.channels ?? '?';
  const out = formatShape(pair.linear.outputShape);
  const n = pair.features ?? '?';
  switch (pair.pattern) {
    case 'conv-bn':
      return `${pair.linear.kind} writes its ${n} output channels on axis 1 of ${out} — the axis BatchNorm normalizes (${c} channels).`;
    case 'linear-transpose-bn': {
      const perm = pair.transpose?.perm;
      return `${pair.linear.kind} writes its ${n} features on the last axis of ${out}; Transpose ${perm ? `perm [${perm.join(', ')}]` : '(no perm: reverse)'} decides which axis lands on axis 1, where BatchNorm normalizes ${c} channels.`;
    }
    case 'linear-reshape-bn':
      return `${pair.linear.kind} writes its ${n} features on the last axis of ${out}; Reshape to ${formatShape(pair.reshape?.shape ?? null)} cuts the values, in row order, into ${c} channels on axis 1, where BatchNorm normalizes.`;
    case 'linear-bn':
      return `${pair.linear.kind} writes its ${n} features on the last axis of ${out}; BatchNorm normalizes axis 1 (${c} channels).`;
    case 'bn-linear':
      return `BatchNorm normalizes axis 1 (${c} channels) of the value ${pair.linear.kind} reads; the Linear contracts that value’s last axis (${n} input features).`;
    case 'conv-add-bn':
      return `${pair.linear.kind} writes its ${n} output channels on axis 1 of ${out}; the Add’s constant must act on that axis too (one value per channel) before BatchNorm normalizes it (${c} channels).`;
    case 'linear-affine':
      return `${pair.linear.kind} writes its ${n} ${featureWord(pair)} on ${pair.linear.kind === 'Conv' || pair.linear.kind === 'ConvTranspose' ? 'axis 1' : 'the last axis'} of ${out}; the Mul’s (and Add’s) constant must act on that axis too, one value per ${featureUnit(pair)} (${c} values here).`;
    case 'bn-conv':
      return `BatchNorm normalizes axis 1 (${c} channels) of the value ${pair.linear.kind} reads, which is the Conv’s input-channel axis (${n} input channels)${has(pair, 'CONV_PADDING') ? '; the Conv’s zero padding is added after BatchNorm’s shift' : ''}.`;
  }
}

/** The axis card: does BN's axis meet the features, do the sizes match, does each constant act on the op's axis, does anything else block. */
export function axisChecks(pair: PairView): AxisCheck[] {
  // Linear/Conv → Mul [→ Add] has no BatchNorm: its constants are the whole question.
  const checks: AxisCheck[] = pair.pattern === 'linear-affine' ? affineSizes(pair) : bnChecks(pair);
  checks.push(...constantChecks(pair));
  const others = pair.reasons.filter((r) => !AXIS_CODES.has(r.code));
  if (others.length > 0) checks.push({ what: 'other', state: 'fails', text: `Other conditions: ${others.map(reasonShort).join(', ')}.` });
  else checks.push({ what: 'other', state: 'holds', text: 'Other conditions (constant parameters, inference mode, no other reader): met.' });
  return checks;
}

/** BatchNorm's axis against the op's features, and their sizes. */
function bnChecks(pair: PairView): AxisCheck[] {
  const c = pair.batchNorm.channels;
  const n = pair.features;
  const checks: AxisCheck[] = [];
  const axisCode = axisRuleCode(pair.pattern);
  const axisFails = axisCode !== null && BN_AXIS_CODES.has(axisCode) && has(pair, axisCode);
  const unknown = has(pair, 'UNKNOWN_RANK');
  const what = featureWord(pair);
  const whose = `the ${opName(pair)}’s ${what}`;
  if (unknown) checks.push({ what: 'axis', state: 'unknown', text: 'Same axis? Unknown: the shapes needed cannot be determined.' });
  else if (axisFails && pair.pattern === 'linear-reshape-bn') checks.push({ what: 'axis', state: 'fails', text: 'Whole features per channel? No: after the Reshape one feature lands in several channels.' });
  else if (axisFails) checks.push({ what: 'axis', state: 'fails', text: `Same axis? No: BatchNorm’s channels and ${whose} are on different axes.` });
  else if (c === 1) checks.push({ what: 'axis', state: 'holds', text: `Same axis? Not needed: one channel scales every ${featureUnit(pair)} alike.` });
  else if (pair.pattern === 'linear-reshape-bn' && c !== null && n !== null && c !== n)
    // Through a Reshape a channel holds F/C whole features (C·R divides F), not one.
    checks.push({ what: 'axis', state: 'holds', text: `Whole features per channel? Yes: each of BatchNorm’s ${c} channels holds ${n / c} whole features, the same ones in every row.` });
  else checks.push({ what: 'axis', state: 'holds', text: `Same axis? Yes: each of BatchNorm’s channels is one of ${whose}.` });

  if (c === null || n === null) checks.push({ what: 'sizes', state: 'unknown', text: `Sizes: ${c ?? '?'} channels, ${n ?? '?'} ${what}.` });
  else if (pair.pattern === 'linear-reshape-bn' && !has(pair, 'CHANNEL_MISMATCH') && c !== n)
    checks.push(
      axisFails
        ? { what: 'sizes', state: 'fails', text: `Sizes: ${c} channels for ${n} ${what} — through a Reshape a channel may hold several whole features, but here it does not.` }
        : { what: 'sizes', state: 'holds', text: `Sizes: s has ${c} values for ${n} ${what}: each value scales the ${n / c} features of its channel.` },
    );
  else if (c === n || c === 1)
    checks.push({
      what: 'sizes',
      state: axisFails || unknown ? 'coincidence' : 'holds',
      text: axisFails || unknown ? `Sizes: ${c} channels and ${n} ${what} — equal, but ${unknown ? 'the axes are unknown' : `the channels are not the ${what}`}: a coincidence, not a match.` : `Sizes: s has ${c} value${c === 1 ? '' : 's'} for ${n} ${what}.`,
    });
  else checks.push({ what: 'sizes', state: 'fails', text: `Sizes: s has ${c} values but there are ${n} ${what}.` });
  return checks;
}

/** Linear/Conv → Mul [→ Add]: the constants' value count against the op's channels (features). */
function affineSizes(pair: PairView): AxisCheck[] {
  const c = pair.batchNorm.channels;
  const n = pair.features;
  const what = featureWord(pair);
  if (c === null || n === null) return [{ what: 'sizes', state: 'unknown', text: `Sizes: ${c ?? '?'} values, ${n ?? '?'} ${what}.` }];
  if (c !== n && c !== 1) return [{ what: 'sizes', state: 'fails', text: `Sizes: s has ${c} values but there are ${n} ${what}.` }];
  // Equal counts are a match only when the constants lie on the op's axis.
  const offAxis = constantAlignments(pair).some((k) => !k.onOwnAxis);
  return [
    offAxis
      ? { what: 'sizes', state: 'coincidence', text: `Sizes: ${c} values and ${n} ${what} — equal, but the values do not lie along the ${what}: a coincidence, not a match.` }
      : { what: 'sizes', state: 'holds', text: `Sizes: s has ${c} value${c === 1 ? '' : 's'} for ${n} ${what}.` },
  ];
}

/** Each Add or Mul constant on the op's output: does it vary along the op's own axis only? */
function constantChecks(pair: PairView): AxisCheck[] {
  const own = ownAxis(pair);
  const whose = `the ${opName(pair)}’s ${pair.features ?? '?'} ${featureWord(pair)}`;
  const where = own === null ? '' : ` on axis ${own}`;
  const onAxis = `on the ${opName(pair)}’s axis?`;
  const found = constantAlignments(pair).map((k): AxisCheck => {
    const name = `The ${k.role}’s ${q(k.constant.constant)} ${formatShape(k.constant.shape)}`;
    if (!k.fits) return { what: 'constant', state: k.onOwnAxis ? 'holds' : 'fails', text: `${name}: ${k.onOwnAxis ? 'one value for every position' : `does not line up with ${whose}${where}`}.` };
    if (k.varies.length === 0) return { what: 'constant', state: 'holds', text: `${name} ${onAxis} Not needed: it is one value for every position.` };
    const along = k.varies.map((a) => `axis ${a}`).join(' and ');
    if (k.onOwnAxis) return { what: 'constant', state: 'holds', text: `${name} ${onAxis} Yes: lined up from the last axis, it varies along ${along} only, where ${whose} are.` };
    const size = k.varies.length === 1 ? pair.linear.outputShape?.[k.varies[0]] : undefined;
    const same = typeof size === 'number' && size === pair.features ? ` (that axis also has ${size} positions: a coincidence)` : '';
    return { what: 'constant', state: 'fails', text: `${name} ${onAxis} No: lined up from the last axis, it varies along ${along}${same}, while ${whose} are${where}.` };
  });
  // A Linear's own bias Add (MatMul + Add) is not carried in the view: say what the reason says.
  if (found.length === 0 && has(pair, 'BIAS_AXIS')) return [{ what: 'constant', state: 'fails', text: `The bias Add’s constant ${onAxis} No: it varies along another axis than ${whose}.` }];
  return found;
}

/** Why this reason blocks, as a clause for the conclusion. */
function clause(pair: PairView, r: Reason): string {
  const out = formatShape(pair.linear.outputShape);
  const rank = pair.linear.outputShape?.length ?? 0;
  const c = pair.batchNorm.channels ?? '?';
  const n = pair.features ?? '?';
  switch (r.code) {
    case 'LINEAR_OUTPUT_RANK':
      return `on ${out} BatchNorm scales axis 1 but the Linear’s features live on axis ${rank - 1}, so the scale cannot be folded into the weight${pair.features !== null && pair.features === pair.batchNorm.channels ? ' — even though the sizes match' : ''}`;
    case 'LINEAR_INPUT_RANK':
      return 'BatchNorm’s channels are on axis 1 while the Linear reads its features from the last axis';
    case 'TRANSPOSE_AXIS':
      return `the Transpose puts axis ${pair.transpose?.perm?.[1] ?? '?'} of ${out}, not the features (axis ${rank - 1}), on BatchNorm’s axis 1, so every channel mixes all features`;
    case 'RESHAPE_AXIS':
      return `the Reshape to ${formatShape(pair.reshape?.shape ?? null)} puts the same feature in different channels in different rows`;
    case 'CHANNEL_MISMATCH': {
      const m = channelMismatchKind(pair);
      switch (m.kind) {
        case 'reshape-axis1':
          return `BatchNorm has ${c} channels but the Reshape puts ${m.axis1 ?? '?'} on axis 1, so its parameters do not fit the value it normalizes`;
        case 'parameter-lengths':
          return 'BatchNorm’s parameters differ in length, so there is no scale per channel';
        case 'channels-vs-features':
          return `BatchNorm has ${c} channels for ${n} ${featureWord(pair)}, so there is no scale per ${featureUnit(pair)}`;
      }
      break;
    }
    case 'UNKNOWN_RANK':
      return 'the rank of the value BatchNorm reads is unknown, so the axes cannot be compared';
    case 'PRE_BN_VALUE_SHARED':
      return 'the value between the Linear and BatchNorm is also read elsewhere, and folding would change what that reader sees';
    case 'NON_CONSTANT_PARAMS':
      return 'some parameters are not constants, so there are no fixed numbers to fold';
    case 'BN_TRAINING_MODE':
      return 'BatchNorm runs in training mode, normalizing with each batch’s own statistics';
    case 'UNSUPPORTED_DTYPE':
      return 'the tensors are not of a floating-point type the fold can compute in';
    case 'QUANTIZED_WEIGHT':
      return 'the weight is stored quantized, and scaling it would need re-quantizing';
    case 'NOT_A_LINEAR':
      return `the op before BatchNorm is not a Linear the fold can rewrite (${pair.linear.kind} ${pair.linear.nodes.join(' + ')})`;
    case 'UNSUPPORTED_OPSET':
      return 'this opset version of the op behaves differently from what the fold assumes';
    case 'REWRITE_CONFLICT':
      return 'it shares nodes with other folds that could not be ordered';
    case 'REWRITE_INVALID':
      return 'the rewritten model would fail the model check';
    case 'BIAS_AXIS': {
      const off = constantAlignments(pair).filter((k) => !k.onOwnAxis);
      const which = off.length > 0 ? off.map((k) => `the ${k.role}’s constant ${formatShape(k.constant.shape)}`).join(' and ') : 'the added constant';
      return `${which} broadcasts along another axis of ${out} than the ${pair.features ?? '?'} ${featureWord(pair)}, so it is not one value per ${featureUnit(pair)}`;
    }
    case 'CONV_PADDING':
      return 'the Conv pads its input with zeros after BatchNorm’s shift, so the border would change';
  }
}

/** One sentence: why the pair folds, or why it does not. */
export function conclusion(pair: PairView): string {
  if (!pair.fusable) {
    const parts = pair.reasons.map((r) => clause(pair, r));
    const first = parts[0] ?? 'a condition fails';
    return `Not fusable: ${[first.charAt(0).toUpperCase() + first.slice(1), ...parts.slice(1)].join('; and ')}.`;
  }
  const n = pair.features ?? '?';
  if (pair.batchNorm.channels === 1) return 'BatchNorm has a single channel, so its scale is one number for every feature and the fold is exact.';
  switch (pair.pattern) {
    case 'linear-bn':
      return `On ${formatShape(pair.linear.outputShape)} axis 1 is also the last axis, so each of the ${n} features gets its own scale and the fold is exact.`;
    case 'conv-bn':
      return 'Each output channel gets its own scale, whatever the group count, so the fold is exact.';
    case 'linear-transpose-bn':
      return 'The permutation puts the feature axis on axis 1, so each channel is one feature and the fold is exact.';
    case 'linear-reshape-bn':
      return 'C·R divides the feature count, so every feature stays in one channel in every row: one scale per feature, and the fold is exact.';
    case 'bn-linear':
      return 'On a rank-2 input the channels are the input features, so the normalization moves into the weights exactly.';
    case 'conv-add-bn':
      return 'The Add’s constant is one value per output channel, so it joins the bias, and each channel gets its own scale: the fold is exact.';
    case 'linear-affine':
      return `The Mul’s${pair.norm.op === 'Mul' && pair.norm.shift ? ' and Add’s constants are' : ' constant is'} one value per ${featureUnit(pair)} (or one), so the scale moves into the weight${pair.norm.op === 'Mul' && pair.norm.shift ? ' and the shift into the bias' : ''}: the fold is exact.`;
    case 'bn-conv':
      return 'The Conv has no padding, so every position it reads is a shifted input: the scale moves into each input channel’s weights and the shift into the bias, exactly.';
  }
}
