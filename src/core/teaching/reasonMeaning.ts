/**
 * What each reason code means for the student: why the condition blocks a fold, and what would
 * lift it — said on the pair's own names and shapes. The reason's message says *what* was found;
 * this says *why it matters* and *what to change*.
 */
import { formatShape } from '../graph/dims';
import type { Reason, ReasonCode } from '../rules/reasons';
import type { PairView } from '../session/types';

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

export function teachReason(pair: PairView, reason: Reason): ReasonTeaching {
  const lin = `${pair.linear.kind} ${q(pair.linear.nodes.join(' + '))}`;
  const bn = `BatchNormalization ${q(pair.batchNorm.node)}`;
  const out = formatShape(pair.linear.outputShape);
  const c = pair.batchNorm.channels ?? '?';
  const n = pair.features ?? '?';
  const base = { code: reason.code, found: reason.message };
  switch (reason.code) {
    case 'LINEAR_OUTPUT_RANK':
      return {
        ...base,
        why: `A fold multiplies each of the weight’s ${n} output features by one number. On ${out} BatchNorm’s channel c is a position on axis 1 and holds all ${n} features, so channel c’s scale would have to apply to only part of each feature: no single number per feature exists.`,
        fix: `Make the Linear’s output rank 2 (flatten to [N, ${n}] before the Linear), or normalize the feature axis instead (a Transpose that moves axis ${(pair.linear.outputShape?.length ?? 3) - 1} to axis 1 before BatchNorm, as in the Transpose lesson).`,
      };
    case 'LINEAR_INPUT_RANK':
      return {
        ...base,
        why: `Folding BatchNorm into the next Linear scales the weight’s input features, one number each. BatchNorm’s channels are on axis 1 of a rank > 2 value, while the Linear reads its features from the last axis: each channel’s scale would touch part of every feature.`,
        fix: `Give the Linear a rank-2 input [N, ${c}], or fold BatchNorm into the op before it instead.`,
      };
    case 'TRANSPOSE_AXIS':
      return {
        ...base,
        why: `After the Transpose, axis 1 is not the Linear’s feature axis, so each BatchNorm channel holds every feature (see the map below). A per-channel scale cannot be written as one number per weight column.`,
        fix: `Only a permutation with perm[1] equal to the feature axis (${(pair.linear.outputShape?.length ?? 2) - 1}) lets the fold through; ONNX Runtime’s optimizer folds this case anyway — try “Apply anyway” to see its error.`,
      };
    case 'RESHAPE_AXIS':
      return {
        ...base,
        why: `The Reshape cuts the rows of ${out} into channels in row order; here the same feature lands in different channels in different rows (see the map below), so it would need a different scale per row — the weight has only one.`,
        fix: `Reshape so that C·R divides the ${n} features (each channel then holds whole features), or use a single channel. ONNX Runtime’s optimizer folds this case anyway — try “Apply anyway”.`,
      };
    case 'CHANNEL_MISMATCH':
      return {
        ...base,
        why: `s = γ/√(σ²+ε) has ${c} values; the weight has ${n} ${pair.pattern === 'bn-linear' ? 'input' : 'output'} features. A per-feature fold needs exactly one s per feature, so the two cannot be paired.`,
        fix: `BatchNorm’s channel count must equal the Linear’s features (${n}), or be 1.`,
      };
    case 'UNKNOWN_RANK':
      return {
        ...base,
        why: `Whether the fold is exact depends on the Linear output’s rank (axis 1 must be the last axis). With the rank unknown, the tool cannot tell — and never claims “fusable” on a guess.`,
        fix: `Give the model’s inputs a shape of fixed rank (export with example inputs; only sizes such as the batch need be symbolic), or add value_info for the value between the Linear and BatchNorm; then shape inference can follow it.`,
      };
    case 'PRE_BN_VALUE_SHARED':
      return {
        ...base,
        why: `The fold removes ${bn} and makes ${lin} write the normalized numbers directly. Every other reader of the Linear’s output would then read normalized numbers instead of the raw ones it reads today: the model would compute something else.`,
        fix: `Give the other reader its own copy of the Linear (duplicate the node and its weight), then the copy feeding BatchNorm can be folded.`,
      };
    case 'NON_CONSTANT_PARAMS':
      return {
        ...base,
        why: `A fold computes W′ and b′ once, before the model runs, and stores them. A parameter that is a graph input, or computed while the model runs, can differ on every run, so there is no fixed W′ to store.`,
        fix: `Export the parameters as initializers (constants), e.g. do not list them as graph inputs; then the fold can read their values.`,
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
      return { ...base, why: `The op before BatchNorm is not a Linear the fold can rewrite (its weight, bias or attributes do not have the form the fold needs).`, fix: `Nothing to fold here: the formula applies only to a Gemm, a MatMul with a constant weight (and a constant-bias Add), or a Conv.` };
    case 'UNSUPPORTED_OPSET':
      return { ...base, why: `This opset version of the op behaves differently from the one the fold’s formula describes.`, fix: `Convert the model to a current opset (onnx.version_converter) and open it again.` };
    case 'REWRITE_CONFLICT':
      return { ...base, why: `This pair shares nodes with other folds, and they could not be ordered within the pass limit.`, fix: `Fold the pairs one at a time, in the order the panel lists them.` };
    case 'REWRITE_INVALID':
      return { ...base, why: `The rewritten model failed the model check, so the fold was refused rather than written.`, fix: `Report the model: this is a case the rewrite does not handle.` };
  }
}
