/**
 * What each reason code means for the student: why the condition blocks a fold, and what would
 * lift it — said on the pair's own names and shapes. The reason's message says *what* was found;
 * this says *why it matters* and *what to change*.
 */
import { formatShape } from '../graph/dims';
import { axisRuleCode } from '../rules/axisRule';
import type { Reason, ReasonCode } from '../rules/reasons';
import type { PairView } from '../session/types';
import { channelMismatchKind, featuresToAxis1, featureUnit, featureWord, flattened, linearInputShape, reshapeR } from './pairShapes';

export interface ReasonTeaching {
  code: ReasonCode;
  /** What was found, quoting the model (the reason's own message). */
  found: string;
  /** Why that blocks the fold, on this pair. */
  why: string;
  /** What would make the pair fusable (or why nothing can). */
  fix: string;
}

const q = (s: string) => `“${s}”`;

/** The sentence every change of axis ends with: BatchNorm would normalize something else. */
function retrain(now: string, then: string, sizes: string): string {
  return `Either way BatchNorm then normalizes ${then} instead of ${now}: ${sizes}. The model computes something else, so it must be retrained (or at least its BatchNorm statistics re-calibrated on data) before the fold applies.`;
}

/** BN's parameters against what it would normalize after the change. */
function sizesAfter(c: number | '?', n: number | '?', unit: string): string {
  return c === n ? `its ${c} γ, β, μ, σ² keep their length but were learnt for other numbers` : `it needs ${n} channels (one per ${unit}) where it has ${c}`;
}

/** The pair's "Apply anyway" sentence, when the page offers it. */
function applyAnyway(pair: PairView): string {
  return pair.axisRuleOnly && pair.naiveProblem === null ? ' ONNX Runtime’s optimizer folds this case anyway, because the sizes match — try “Apply anyway” to see the error it causes.' : '';
}

export function teachReason(pair: PairView, reason: Reason): ReasonTeaching {
  const lin = `${pair.linear.kind} ${q(pair.linear.nodes.join(' + '))}`;
  const bn = `BatchNormalization ${q(pair.batchNorm.node)}`;
  const outShape = pair.linear.outputShape;
  const out = formatShape(outShape);
  const rank = outShape?.length ?? null;
  const c = pair.batchNorm.channels ?? '?';
  const n = pair.features ?? '?';
  const k = pair.inFeatures ?? '?';
  const base = { code: reason.code, found: reason.message };
  switch (reason.code) {
    case 'LINEAR_OUTPUT_RANK': {
      const input = linearInputShape(pair);
      const r = rank ?? 3;
      return {
        ...base,
        why: `A fold multiplies each of the weight’s ${n} output features by one number. On ${out} BatchNorm’s channel c is position c on axis 1, and each of its ${c} positions holds all ${n} features: feature n would be scaled by s[0] at position 0, by s[1] at position 1, and so on — a different number per position, so no single number per feature exists.`,
        fix:
          `Flatten the leading axes before the Linear, so its input ${formatShape(input)} becomes ${input ? formatShape(flattened(input)) : '[?]'} ([N·L, in_features]) and its output ${outShape ? formatShape(flattened(outShape)) : '[?]'}: axis 1 is then the ${n} features. ` +
          `Or keep the shape and move the features to axis 1 with a Transpose perm [${featuresToAxis1(r).join(', ')}] before BatchNorm, as in the Transpose lesson. ` +
          retrain(`the ${c} positions of axis 1`, `each of the ${n} features`, sizesAfter(c, n, 'feature')),
      };
    }
    case 'LINEAR_INPUT_RANK': {
      // BN reads what the Linear reads: the Linear's output with its input features on the last axis.
      const x = linearInputShape(pair);
      return {
        ...base,
        why: `Folding BatchNorm into the next Linear scales each of the weight’s ${k} input features by one number. BatchNorm normalizes axis 1 of ${formatShape(x)} (${c} positions), while ${lin} reads its ${k} input features from the last axis: input feature k would be scaled by s[0] at position 0, by s[1] at position 1, and so on, so no single number per input feature exists.`,
        fix:
          `Flatten the leading axes before BatchNorm, so it reads ${x ? formatShape(flattened(x)) : '[?]'} ([N·L, in_features]) and its channels are the ${k} input features (the Linear then gives ${outShape ? formatShape(flattened(outShape)) : '[?]'}). ` +
          retrain(`the ${c} positions of axis 1`, `each of the ${k} input features`, sizesAfter(c, k, 'input feature')) +
          ` If the op before BatchNorm is a Conv (it writes its channels on axis 1), BatchNorm folds into that Conv instead, unchanged.`,
      };
    }
    case 'TRANSPOSE_AXIS': {
      const r = rank ?? 2;
      const perm = pair.transpose?.perm ?? null;
      const fixPerm = featuresToAxis1(r);
      const from = perm?.[1] ?? '?';
      return {
        ...base,
        why: `After the Transpose${perm ? ` perm [${perm.join(', ')}]` : ''}, axis 1 is axis ${from} of ${out}, not the Linear’s ${n} features (axis ${r - 1}), so each of BatchNorm’s ${c} channels holds every feature (see the map below). A per-channel scale cannot be written as one number per feature of the weight.`,
        fix:
          `Only a permutation with perm[1] = ${r - 1}, the feature axis, lets the fold through (perm [${fixPerm.join(', ')}]${r === 2 ? ', that is no Transpose at all' : ''}). ` +
          retrain(`the ${c} positions of axis ${from}`, `each of the ${n} features`, sizesAfter(c, n, 'feature')) +
          applyAnyway(pair),
      };
    }
    case 'RESHAPE_AXIS': {
      const rr = reshapeR(pair) ?? '?';
      const to = formatShape(pair.reshape?.shape ?? null);
      const cr = typeof c === 'number' && typeof rr === 'number' ? c * rr : '?';
      return {
        ...base,
        why: `The Reshape to ${to} cuts each row of ${out} into channels in row order: ${c} channels of R = ${rr} element${rr === 1 ? '' : 's'}. C·R = ${cr} does not divide the ${n} features, so the same feature lands in different channels in different rows (see the map below): it would need a different scale in each row, and the weight has one number per feature.`,
        fix:
          `Reshape so that C·R divides the ${n} features (each channel then holds whole features), or to a single channel. ` +
          retrain(`the ${c} channels it normalizes now`, 'whole features', 'it needs parameters for the new channels') +
          applyAnyway(pair),
      };
    }
    case 'CHANNEL_MISMATCH': {
      const what = featureWord(pair);
      const m = channelMismatchKind(pair);
      switch (m.kind) {
        case 'reshape-axis1':
          return {
            ...base,
            why: `BatchNorm’s parameters have ${c} values, but the Reshape to ${formatShape(pair.reshape?.shape ?? null)} puts ${m.axis1 ?? '?'} channels on axis 1: BatchNorm does not fit the value it normalizes, so there is no scale per channel to fold.`,
            fix: `Give BatchNorm ${m.axis1 ?? '?'} channels (the size of axis 1 after the Reshape), or reshape to ${c} channels; check the export, since such a BatchNorm does not run as it is.`,
          };
        case 'parameter-lengths':
          return {
            ...base,
            why: `BatchNorm’s scale, bias, mean and variance must have one value each per channel; here their lengths differ, so s = γ/√(σ²+ε) and t = β − s·μ are not defined per channel.`,
            fix: `Give all four parameters ${c} values (one per channel); check the export.`,
          };
        case 'channels-vs-features': {
          const axisCode = axisRuleCode(pair.pattern);
          const axis = axisCode !== null && pair.reasons.some((r) => r.code === axisCode);
          return {
            ...base,
            why: `s = γ/√(σ²+ε) has ${c} values; the weight has ${n} ${what}. A per-feature fold needs exactly one s per ${featureUnit(pair)}, so the two cannot be paired.`,
            fix: axis
              ? `The sizes differ because BatchNorm’s ${c} channels are positions on axis 1, not the ${what}: the fix for ${axisCode} above gives BatchNorm ${n} channels, one per ${featureUnit(pair)} — new parameters, to be retrained.`
              : `BatchNorm needs one channel per ${featureUnit(pair)} (${n}), or a single one; with ${c} it does not fit the value it normalizes: check the export.`,
          };
        }
      }
      break;
    }
    case 'UNKNOWN_RANK':
      return {
        ...base,
        why: `Whether the fold is exact depends on which axis of the value BatchNorm normalizes is axis 1, and whether that is the Linear’s ${featureWord(pair)}. With the shape unknown, the tool cannot tell — and never claims “fusable” on a guess.`,
        fix: `Give the model’s inputs a shape of fixed rank (export with example inputs; only sizes such as the batch need be symbolic), or add value_info for the values between the Linear and BatchNorm; then shape inference can follow them.`,
      };
    case 'PRE_BN_VALUE_SHARED':
      return pair.pattern === 'bn-linear'
        ? {
            ...base,
            why: `The fold removes ${bn} and makes ${lin} read BatchNorm’s input directly, so the normalized value BatchNorm writes no longer exists. Its other reader (or the graph output that returns it) would get nothing, or the raw numbers instead of the normalized ones: the model would compute something else.`,
            fix: `Give the other reader its own copy of the BatchNorm (duplicate the node and its parameters); then the copy feeding the Linear can be folded.`,
          }
        : {
            ...base,
            why: `The fold removes ${bn} and makes ${lin} write the normalized numbers directly. Every other reader of the value between them (and the graph output, if it is one) would then get normalized numbers instead of the raw ones it gets today: the model would compute something else.`,
            fix: `Give the other reader (or the graph output) its own copy of the Linear (duplicate the node and its weight); then the copy feeding BatchNorm can be folded.`,
          };
    case 'NON_CONSTANT_PARAMS':
      return {
        ...base,
        why: `A fold computes W′ and b′ once, before the model runs, and stores them. A parameter that is a graph input, or computed while the model runs, can differ on every run, so there is no fixed W′ to store.`,
        fix: `Export the parameters as initializers (constants), not as graph inputs; then the fold can read their values.`,
      };
    case 'BN_TRAINING_MODE':
      return {
        ...base,
        why: `In training mode BatchNorm normalizes with the mean and variance of the batch it receives, not its stored running statistics, and updates those statistics. The scale and shift change with every batch, so no fixed W′ exists.`,
        fix: `Export the model in inference mode (PyTorch: model.eval() before torch.onnx.export), so training_mode is 0 and the running statistics are used.`,
      };
    case 'UNSUPPORTED_DTYPE':
      return { ...base, why: `The fold is arithmetic on floating-point tensors; other element types (or parameters that are not 1-D) have no exact folded form here.`, fix: `Fold in a float32/float16 model before quantizing or casting.` };
    case 'QUANTIZED_WEIGHT':
      return { ...base, why: `The weight is stored quantized (integers with a scale): multiplying it by s would need re-quantizing, which changes the numbers.`, fix: `Fold on the float model, then quantize the folded model.` };
    case 'NOT_A_LINEAR':
      return { ...base, why: `The op before BatchNorm is not a Linear the fold can rewrite (its weight, bias or attributes do not have the form the fold needs).`, fix: `Nothing to fold here: the formula applies only to a Gemm (transA = 0), a MatMul with a constant 2-D weight (and a constant-bias Add), a Conv or a ConvTranspose.` };
    case 'UNSUPPORTED_OPSET':
      return { ...base, why: `This opset version of the op behaves differently from the one the fold’s formula describes.`, fix: `Convert the model to a current opset (onnx.version_converter) and open it again.` };
    case 'REWRITE_CONFLICT':
      return { ...base, why: `This pair shares nodes with other folds, and they could not be ordered within the pass limit.`, fix: `Fuse the result again: each fuse folds at least one more of the pairs.` };
    case 'REWRITE_INVALID':
      return { ...base, why: `The rewritten model failed the model check, so the fold was refused rather than written.`, fix: `Report the model: this is a case the rewrite does not handle.` };
    case 'BIAS_AXIS': {
      const conv = pair.linear.kind === 'Conv' || pair.linear.kind === 'ConvTranspose';
      const tail = rank !== null && rank > 2 ? `, ${Array(rank - 2).fill('1').join(', ')}` : '';
      return {
        ...base,
        why: conv
          ? `A bias is one number per output channel, and ${lin} keeps its ${n} output channels on axis 1 of ${out}. A constant broadcasts from the last axes: unless every axis but axis 1 has size 1 in it, its values change along another axis (a [${n}] constant runs along the last axis, W), so no single number per channel exists to add to the bias.`
          : `A bias is one number per output feature, and ${lin} keeps its ${n} features on the last axis of ${out}. This constant changes along another axis, so it adds a different number to the same feature at different positions, and no single number per feature exists.`,
        fix: conv
          ? `If the constant was meant per channel, store it as [${n}${tail}] or [1, ${n}${tail}] (one value per channel on axis 1); then it folds into the bias. As it is, it adds along the other axis, and folding it per channel would compute something else.`
          : `If the constant was meant per feature, store it as [${n}] or [1, ${n}]; then it is the Linear’s bias and folds. As it is, it is not a bias, and no fold can carry it.` + applyAnyway(pair),
      };
    }
    case 'CONV_PADDING':
      return {
        ...base,
        why: `BatchNorm shifts every input value by t = β − γ·μ/√(σ²+ε) before ${lin} reads it, but the Conv pads its input with zeros after that: the border positions read 0, not the shifted value. Folded into the Conv, the shift would also be added at the border, so the output there changes by t times the border weights.`,
        fix: `A Conv without padding (pads all 0, auto_pad NOTSET or VALID) takes the fold exactly. Otherwise keep the BatchNorm, or move the padding out of the Conv into a Pad with the shifted value per channel before it (a Pad node whose value depends on the channel is not a plain Pad).` + applyAnyway(pair),
      };
  }
}
