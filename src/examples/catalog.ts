/**
 * The built-in example gallery: one model per rule, both sides. Built with the project's own
 * model builder; `npm run examples` writes them to public/examples/ with an index.
 * Random weights and BatchNorm statistics are seeded and non-trivial, so a wrong fold shows.
 */
import { randomValues, type DimSpec } from '../core/onnx/builder';
import { batchNorm, linear, model } from './parts';
import { DataType, type ModelProto } from '../core/onnx/types';
import { encodeInts, makeTensor } from '../core/onnx/tensor';
import type { ReasonCode } from '../core/rules/reasons';

export interface Example {
  id: string;
  title: string;
  /** One paragraph for the gallery: what the model shows and why. */
  explanation: string;
  /** Which rule it illustrates, and on which side. */
  rule: ReasonCode | 'VALID';
  /** The verdict for each BatchNormalization, keyed by its output. */
  expect: Record<string, { fusable: boolean; code?: ReasonCode }>;
  build: () => ModelProto;
}

const N: DimSpec = 'batch';

export const EXAMPLES: Example[] = [
  {
    id: 'valid_2d',
    title: 'Valid: Linear → BatchNorm1d on [N, C]',
    explanation:
      'Input (batch, 3) → Linear(3→5) → BatchNorm1d(5). The Linear output has shape [batch, 5]: its 5 features are on the last axis, which for a rank-2 tensor is also axis 1, the axis BatchNormalization normalizes. Each feature gets its own scale γ/√(σ²+ε), so the BatchNorm folds exactly into the weight rows and the bias.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(1, 14, (b, r) => {
      b.input('x', [N, 3]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 3, outF: 5 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 5 });
    }),
  },
  {
    id: 'seed_3d',
    title: 'Not fusable: the seed case (2, 2, 3) → Linear(3→5) → BatchNorm(2)',
    explanation:
      'Input (2, 2, 3) → Linear(3→5) gives [2, 2, 5]: the Linear writes its 5 features on the last axis (axis 2). BatchNorm1d(2) normalizes axis 1, which has 2 channels. The scale belongs to a different axis than the weight’s output features, so there is no way to fold it into the weight — the sizes do not even match (2 vs 5).',
    rule: 'LINEAR_OUTPUT_RANK',
    expect: { y: { fusable: false, code: 'LINEAR_OUTPUT_RANK' } },
    build: model(2, 14, (b, r) => {
      b.input('x', [2, 2, 3]).output('y');
      linear(b, r, 'linear', 'x', 'h', { kind: 'MatMul+Add', inF: 3, outF: 5, biasFirst: true });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 2 });
    }),
  },
  {
    id: 'coincidence_3d',
    title: 'Not fusable: sizes match by coincidence on [N, C, L]',
    explanation:
      'Input (2, 5, 3) → Linear(3→5) gives [2, 5, 5]. BatchNorm1d(5) has 5 channels and the Linear has 5 output features, so a naive check (PyTorch’s out_features == num_features) accepts the fold. But BatchNorm scales axis 1 while the Linear’s features are on axis 2: folding scales the wrong axis. Use “Apply anyway” to see the numbers disagree.',
    rule: 'LINEAR_OUTPUT_RANK',
    expect: { y: { fusable: false, code: 'LINEAR_OUTPUT_RANK' } },
    build: model(3, 14, (b, r) => {
      b.input('x', [2, 5, 3]).output('y');
      linear(b, r, 'linear', 'x', 'h', { kind: 'MatMul+Add', inF: 3, outF: 5 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 5 });
    }),
  },
  {
    id: 'bn2d_4d',
    title: 'Not fusable: BatchNorm2d after a Linear on a 4-D tensor',
    explanation:
      'Input (2, 4, 3, 3) → Linear(3→4) acts on the last axis and gives [2, 4, 3, 4]. BatchNorm2d(4) normalizes axis 1 (4 channels). Again the sizes happen to match, and again the axes differ: the fold would be wrong.',
    rule: 'LINEAR_OUTPUT_RANK',
    expect: { y: { fusable: false, code: 'LINEAR_OUTPUT_RANK' } },
    build: model(4, 14, (b, r) => {
      b.input('x', [2, 4, 3, 3]).output('y');
      linear(b, r, 'linear', 'x', 'h', { kind: 'MatMul', inF: 3, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'shared_pre_bn',
    title: 'Not fusable: the pre-BN value is used twice',
    explanation:
      'The Linear output feeds both the BatchNorm and a second branch (a ReLU). Folding would change the weights, and the second branch would then see normalized values instead of the raw Linear output.',
    rule: 'PRE_BN_VALUE_SHARED',
    expect: { y: { fusable: false, code: 'PRE_BN_VALUE_SHARED' } },
    build: model(5, 14, (b, r) => {
      b.input('x', [N, 6]).output('y').output('side');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
      b.node('Relu', ['h'], ['side'], {}, '/side/Relu');
    }),
  },
  {
    id: 'pre_bn_graph_output',
    title: 'Not fusable: the pre-BN value is a graph output',
    explanation:
      'The Linear output is itself one of the model’s outputs. Folding the BatchNorm into the Linear would change what the model returns there.',
    rule: 'PRE_BN_VALUE_SHARED',
    expect: { y: { fusable: false, code: 'PRE_BN_VALUE_SHARED' } },
    build: model(6, 14, (b, r) => {
      b.input('x', [N, 6]).output('h').output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'nonconst_stats',
    title: 'Not fusable: BatchNorm statistics are graph inputs',
    explanation:
      'The running mean and variance come in as graph inputs, so they are only known at run time. The fold computes new weights ahead of time and needs every parameter to be a constant.',
    rule: 'NON_CONSTANT_PARAMS',
    expect: { y: { fusable: false, code: 'NON_CONSTANT_PARAMS' } },
    build: model(7, 14, (b, r) => {
      b.input('x', [N, 6]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4, inputs: ['mean', 'var'] });
    }),
  },
  {
    id: 'training_mode',
    title: 'Not fusable: BatchNorm in training mode',
    explanation:
      'training_mode=1 and the BatchNorm writes its updated running statistics. In training mode it normalizes each batch with that batch’s own mean and variance, which change with every input — it is not a fixed affine map, so nothing can be folded.',
    rule: 'BN_TRAINING_MODE',
    expect: { y: { fusable: false, code: 'BN_TRAINING_MODE' } },
    build: model(8, 15, (b, r) => {
      b.input('x', [4, 6]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4, training: true });
    }),
  },
  {
    id: 'gemm_transb0',
    title: 'Valid: Gemm with transB=0 (weight stored [in, out])',
    explanation:
      'The weight is stored as [in_features, out_features], so each output feature is a column, not a row. The fold scales columns: W′[:, n] = s[n]·W[:, n].',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(9, 13, (b, r) => {
      b.input('x', [N, 6]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4, transB: 0 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'gemm_alpha_beta',
    title: 'Valid: Gemm with alpha=0.5 and beta=2',
    explanation:
      'Gemm computes α·A·B + β·C. The fold keeps α and β on the node and divides them out of the new weight and bias, so the result equals the original exactly.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(10, 13, (b, r) => {
      b.input('x', [N, 6]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4, alpha: 0.5, beta: 2 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'matmul_add',
    title: 'Valid: MatMul + Add (bias first, as PyTorch exports it)',
    explanation:
      'PyTorch often exports a Linear as MatMul followed by Add with the bias as the first operand. Together they are one Linear on [N, C], so the BatchNorm folds into the MatMul weight and the Add bias.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(11, 14, (b, r) => {
      b.input('x', [N, 6]).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'MatMul+Add', inF: 6, outF: 4, biasFirst: true });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'residual_add',
    title: 'Not a Linear: MatMul + a residual Add',
    explanation:
      'The Add after the MatMul adds a value computed at run time (a skip connection), not a constant bias. MatMul and Add therefore do not form a Linear and the BatchNorm cannot be folded into them.',
    rule: 'NOT_A_LINEAR',
    expect: { y: { fusable: false, code: 'NOT_A_LINEAR' } },
    build: model(12, 14, (b, r) => {
      b.input('x', [N, 4]).output('y');
      linear(b, r, 'fc', 'x', 'mm', { kind: 'MatMul', inF: 4, outF: 4 });
      b.node('Add', ['mm', 'x'], ['h'], {}, '/residual/Add');
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'float16',
    title: 'Valid: float16 weights',
    explanation:
      'The same valid fold in half precision. The new weights are computed in float64 and rounded once to float16, so the fused model matches within float16 tolerance (about 1e-2 relative).',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(13, 14, (b, r) => {
      b.input('x', [N, 6], DataType.FLOAT16).output('y');
      linear(b, r, 'fc', 'x', 'h', { kind: 'Gemm', inF: 6, outF: 4, dtype: DataType.FLOAT16 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4, dtype: DataType.FLOAT16 });
    }),
  },
  {
    id: 'quantized_weight',
    title: 'Not fusable: the weight is stored quantized (int8 → DequantizeLinear)',
    explanation:
      'The MatMul reads its weight from DequantizeLinear: int8 values times a scale. Folding BatchNorm would mean multiplying those integers by a per-feature scale and storing floats — the quantization would be lost, or the weight re-quantized with different numbers. Fold on the float model, then quantize.',
    rule: 'QUANTIZED_WEIGHT',
    expect: { y: { fusable: false, code: 'QUANTIZED_WEIGHT' } },
    build: model(41, 17, (b, r) => {
      b.input('x', [N, 3]).output('y');
      const q = Array.from({ length: 12 }, () => Math.round((r() - 0.5) * 60));
      b.initTensor(makeTensor('fc.weight_q', DataType.INT8, [3, 4], encodeInts(q, DataType.INT8)));
      b.init('fc.weight_scale', [], [0.02]);
      b.initTensor(makeTensor('fc.weight_zero', DataType.INT8, [], encodeInts([0], DataType.INT8)));
      b.node('DequantizeLinear', ['fc.weight_q', 'fc.weight_scale', 'fc.weight_zero'], ['fc.weight'], {}, '/fc/DequantizeLinear');
      b.node('MatMul', ['x', 'fc.weight'], ['h'], {}, '/fc/MatMul');
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'unknown_rank',
    title: 'Not claimed: the rank cannot be known',
    explanation:
      'The Linear reads the result of a Reshape whose target shape is a graph input, so the rank of its output is unknown before the model runs. The tool never guesses: without the rank it cannot tell whether BatchNorm’s axis 1 is the feature axis.',
    rule: 'UNKNOWN_RANK',
    expect: { y: { fusable: false, code: 'UNKNOWN_RANK' } },
    build: model(14, 14, (b, r) => {
      // The shape input's length is not declared either, so nothing tells the rank.
      b.input('x', [N, 6]).input('shape', null, DataType.INT64).output('y');
      b.node('Reshape', ['x', 'shape'], ['xr'], {}, '/reshape/Reshape');
      linear(b, r, 'fc', 'xr', 'h', { kind: 'MatMul', inF: 6, outF: 4 });
      batchNorm(b, r, 'bn', 'h', 'y', { channels: 4 });
    }),
  },
  {
    id: 'conv_bn',
    title: 'Conv → BatchNorm2d: the most common fold in vision models',
    explanation:
      'A Conv2d with 8 filters writes its output channels on axis 1 of [batch, 8, 6, 6], the very axis BatchNorm2d normalizes. Each filter gets its own scale: W′[m] = s[m]·W[m], b′ = s·(b − μ) + β. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(30, 17, (b, r) => {
      b.input('x', [N, 3, 6, 6]).output('y');
      b.init('conv.weight', [8, 3, 3, 3], randomValues(r, 8 * 27, -0.3, 0.3));
      b.init('conv.bias', [8], randomValues(r, 8, -0.1, 0.1));
      b.node('Conv', ['x', 'conv.weight', 'conv.bias'], ['/conv/Conv_output_0'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/conv/Conv');
      batchNorm(b, r, 'bn', '/conv/Conv_output_0', 'y', { channels: 8 });
    }),
  },
  {
    id: 'depthwise_conv_bn',
    title: 'Depthwise Conv (group = channels) → BatchNorm: folds per channel',
    explanation:
      'A depthwise Conv (group 8, one 3×3 filter per channel, no bias) as in MobileNet. Grouping changes which inputs a filter reads, not where it writes: output channel m is still axis 1, so the fold scales filter m and adds a bias. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(31, 17, (b, r) => {
      b.input('x', [N, 8, 6, 6]).output('y');
      b.init('dw.weight', [8, 1, 3, 3], randomValues(r, 72, -0.3, 0.3));
      b.node('Conv', ['x', 'dw.weight'], ['/dw/Conv_output_0'], { group: 8, kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/dw/Conv');
      batchNorm(b, r, 'bn', '/dw/Conv_output_0', 'y', { channels: 8 });
    }),
  },
  {
    id: 'conv_transpose_bn',
    title: 'Grouped ConvTranspose → BatchNorm: the weight is [in, out/group, k, k]',
    explanation:
      'A ConvTranspose (group 2) keeps its output channels on axis 1 of its weight, per group: output channel m = g·(M/g) + j. The fold scales W[c, j] by s of that channel. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(32, 17, (b, r) => {
      b.input('x', [N, 4, 5, 5]).output('y');
      b.init('up.weight', [4, 3, 2, 2], randomValues(r, 48, -0.3, 0.3));
      b.init('up.bias', [6], randomValues(r, 6, -0.1, 0.1));
      b.node('ConvTranspose', ['x', 'up.weight', 'up.bias'], ['/up/ConvTranspose_output_0'], { group: 2, kernel_shape: [2, 2], strides: [2, 2] }, '/up/ConvTranspose');
      batchNorm(b, r, 'bn', '/up/ConvTranspose_output_0', 'y', { channels: 6 });
    }),
  },
  {
    id: 'linear_transpose_bn',
    title: 'Linear → Transpose(0, 2, 1) → BatchNorm1d: a valid fold across a permutation',
    explanation:
      'A sequence model: Linear on [batch, 6, 5] writes 4 features on the last axis; Transpose(0, 2, 1) moves that axis to axis 1, where BatchNorm1d(4) normalizes. Each channel is exactly one feature, so the fold goes through the Transpose. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(33, 17, (b, r) => {
      b.input('x', [N, 6, 5]).output('y');
      linear(b, r, 'fc', 'x', '/fc/Add_output_0', { kind: 'MatMul+Add', inF: 5, outF: 4 });
      b.node('Transpose', ['/fc/Add_output_0'], ['/Transpose_output_0'], { perm: [0, 2, 1] }, '/Transpose');
      batchNorm(b, r, 'bn', '/Transpose_output_0', 'y', { channels: 4 });
    }),
  },
  {
    id: 'transpose_wrong_axis',
    title: 'Linear → Transpose(1, 0) → BatchNorm: the permutation moves the wrong axis',
    explanation:
      'A MatMul on [4, 3] writes 4 features on axis 1; Transpose(1, 0) swaps them to axis 0, and BatchNorm(4) now normalizes the 4 rows. Both sizes are 4, yet every channel mixes all features: not foldable. ONNX Runtime’s MatMul+BatchNormalization fusion checks only the sizes across a Transpose and folds this pattern anyway — its outputs then differ by 50–120 %. Use “Apply anyway” to watch it happen.',
    rule: 'TRANSPOSE_AXIS',
    expect: { y: { fusable: false, code: 'TRANSPOSE_AXIS' } },
    build: model(34, 17, (b, r) => {
      b.input('x', [4, 3]).output('y');
      linear(b, r, 'fc', 'x', '/fc/MatMul_output_0', { kind: 'MatMul', inF: 3, outF: 4 });
      b.node('Transpose', ['/fc/MatMul_output_0'], ['/Transpose_output_0'], { perm: [1, 0] }, '/Transpose');
      batchNorm(b, r, 'bn', '/Transpose_output_0', 'y', { channels: 4 });
    }),
  },
  {
    id: 'linear_reshape_bn',
    title: 'Linear → Reshape [batch, 2, 4] → BatchNorm1d(2): a valid fold across a Reshape',
    explanation:
      'The Linear writes 8 features on [batch, 8]; Reshape makes that [batch, 2, 4], and BatchNorm1d(2) normalizes axis 1. Read in row order, features 0–3 land in channel 0 and features 4–7 in channel 1 — in every row, because 2 channels × 4 elements divide the 8 features. Each feature has one scale, so the fold goes through the Reshape. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(38, 17, (b, r) => {
      b.input('x', [N, 5]).output('y');
      linear(b, r, 'fc', 'x', '/fc/Gemm_output_0', { kind: 'Gemm', inF: 5, outF: 8 });
      b.initInts('/Constant_output_0', [3], [-1, 2, 4]);
      b.node('Reshape', ['/fc/Gemm_output_0', '/Constant_output_0'], ['/Reshape_output_0'], {}, '/Reshape');
      batchNorm(b, r, 'bn', '/Reshape_output_0', 'y', { channels: 2 });
    }),
  },
  {
    id: 'bn_per_token',
    title: 'BatchNorm1d per token: Linear on [batch, 6, 8] → view(batch·6, 8) → BatchNorm1d(8) → view back',
    explanation:
      'The common way to apply BatchNorm1d to every token of a sequence: the Linear writes 8 features on [batch, 6, 8]; the exporter computes the target shape [batch·6, 8] from the input at run time (Shape → Gather → Mul → Unsqueeze → Concat → Reshape); BatchNorm1d(8) normalizes axis 1 of that, and a second Reshape restores [batch, 6, 8]. Shape inference follows the computed shape (batch·6 stays symbolic), so the Reshape rule can decide: 8 channels of 1 element divide the 8 features, each feature keeps its own scale, and the fold goes through. Folds.',
    rule: 'VALID',
    expect: { '/bn/BatchNormalization_output_0': { fusable: true } },
    build: model(39, 17, (b, r) => {
      b.input('x', [N, 6, 5]).output('y');
      linear(b, r, 'fc', 'x', '/fc/Add_output_0', { kind: 'MatMul+Add', inF: 5, outF: 8, biasFirst: true });
      b.node('Shape', ['x'], ['/Shape_output_0'], {}, '/Shape');
      b.initInts('/Constant_output_0', [], [0]).initInts('/Constant_1_output_0', [], [1]).initInts('/Constant_2_output_0', [1], [0]);
      b.node('Gather', ['/Shape_output_0', '/Constant_output_0'], ['/Gather_output_0'], { axis: 0 }, '/Gather');
      b.node('Gather', ['/Shape_output_0', '/Constant_1_output_0'], ['/Gather_1_output_0'], { axis: 0 }, '/Gather_1');
      b.node('Mul', ['/Gather_output_0', '/Gather_1_output_0'], ['/Mul_output_0'], {}, '/Mul');
      b.node('Unsqueeze', ['/Mul_output_0', '/Constant_2_output_0'], ['/Unsqueeze_output_0'], {}, '/Unsqueeze');
      b.initInts('/Constant_3_output_0', [1], [8]);
      b.node('Concat', ['/Unsqueeze_output_0', '/Constant_3_output_0'], ['/Concat_output_0'], { axis: 0 }, '/Concat');
      b.node('Reshape', ['/fc/Add_output_0', '/Concat_output_0'], ['/Reshape_output_0'], {}, '/Reshape');
      batchNorm(b, r, 'bn', '/Reshape_output_0', '/bn/BatchNormalization_output_0', { channels: 8 });
      b.node('Shape', ['/fc/Add_output_0'], ['/Shape_1_output_0'], {}, '/Shape_1');
      b.node('Reshape', ['/bn/BatchNormalization_output_0', '/Shape_1_output_0'], ['y'], {}, '/Reshape_1');
    }),
  },
  {
    id: 'reshape_wrong_axis',
    title: 'Linear → Reshape [2, 4, 2] → BatchNorm(4): a channel mixes features',
    explanation:
      'A MatMul on [4, 3] writes 4 features per row; Reshape to [2, 4, 2] cuts the 16 values into channels of 2 in row order, so feature 0 of row 0 is in channel 0 but feature 0 of row 1 is in channel 2. Both sizes are 4, yet no single scale per feature exists: not foldable. ONNX Runtime’s MatMul+BatchNormalization fusion checks only the sizes across a Reshape and folds it anyway. Use “Apply anyway” to watch it happen.',
    rule: 'RESHAPE_AXIS',
    expect: { y: { fusable: false, code: 'RESHAPE_AXIS' } },
    build: model(39, 17, (b, r) => {
      b.input('x', [4, 3]).output('y');
      linear(b, r, 'fc', 'x', '/fc/MatMul_output_0', { kind: 'MatMul', inF: 3, outF: 4 });
      b.initInts('/Constant_output_0', [3], [2, 4, 2]);
      b.node('Reshape', ['/fc/MatMul_output_0', '/Constant_output_0'], ['/Reshape_output_0'], {}, '/Reshape');
      batchNorm(b, r, 'bn', '/Reshape_output_0', 'y', { channels: 4 });
    }),
  },
  {
    id: 'bn_linear',
    title: 'BatchNorm1d → Linear on [batch, 6]: folded into the next layer',
    explanation:
      'BatchNorm on [batch, 6] is z = s·x + t per feature; the Linear after it (a Gemm whose weight is stored [out, in] = [3, 6]) contracts those 6 features along its columns, so W′ = W·diag(s) and b′ = b + W·t. The BatchNorm disappears into the following layer. Folds.',
    rule: 'VALID',
    expect: { '/fc/Gemm_output_0': { fusable: true } },
    build: model(35, 17, (b, r) => {
      b.input('x', [N, 6]).output('/fc/Gemm_output_0');
      batchNorm(b, r, 'bn', 'x', '/bn/BatchNormalization_output_0', { channels: 6 });
      linear(b, r, 'fc', '/bn/BatchNormalization_output_0', '/fc/Gemm_output_0', { kind: 'Gemm', inF: 6, outF: 3 });
    }),
  },
  {
    id: 'bn_linear_3d',
    title: 'BatchNorm1d → Linear on [batch, 4, 5]: the channels are not the input features',
    explanation:
      'BatchNorm1d(4) normalizes axis 1 of [batch, 4, 5], but the Linear contracts the last axis (5 features). Each input feature mixes all 4 channels, so the normalization cannot move into the weights: not foldable.',
    rule: 'LINEAR_INPUT_RANK',
    expect: { '/fc/MatMul_output_0': { fusable: false, code: 'LINEAR_INPUT_RANK' } },
    build: model(36, 17, (b, r) => {
      b.input('x', [N, 4, 5]).output('/fc/MatMul_output_0');
      batchNorm(b, r, 'bn', 'x', '/bn/BatchNormalization_output_0', { channels: 4 });
      linear(b, r, 'fc', '/bn/BatchNormalization_output_0', '/fc/MatMul_output_0', { kind: 'MatMul', inF: 5, outF: 3 });
    }),
  },
  {
    id: 'single_channel_3d',
    title: 'Linear on [batch, 1, 6] → BatchNorm1d(1): one channel is a uniform scale, so it folds at any rank',
    explanation:
      'The Linear writes 4 features on the last axis of [batch, 1, 4], and BatchNorm1d(1) normalizes axis 1 — a different axis, as in the seed case. But axis 1 has a single channel: the same γ/√(σ²+ε) multiplies every element, so it scales all 4 output features alike and folds into the weights. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(37, 14, (b, r) => {
      b.input('x', [N, 1, 6]).output('y');
      linear(b, r, 'fc', 'x', '/fc/Add_output_0', { kind: 'MatMul+Add', inF: 6, outF: 4, biasFirst: true });
      batchNorm(b, r, 'bn', '/fc/Add_output_0', 'y', { channels: 1 });
    }),
  },
  {
    id: 'mlp',
    title: 'A small MLP: 2 fusable, 2 not',
    explanation:
      'A tabular MLP: Linear → BN → ReLU twice on [batch, features] (both fold), then a sequence branch that lifts the features to [batch, 4, 8] and applies Linear → BatchNorm1d(4) (does not fold: different axes), and a head whose pre-BN value is also returned (does not fold: shared).',
    rule: 'VALID',
    expect: {
      '/body/bn1/BatchNormalization_output_0': { fusable: true },
      '/body/bn2/BatchNormalization_output_0': { fusable: true },
      '/seq/bn/BatchNormalization_output_0': { fusable: false, code: 'LINEAR_OUTPUT_RANK' },
      y: { fusable: false, code: 'PRE_BN_VALUE_SHARED' },
    },
    build: model(15, 14, (b, r) => {
      b.input('x', [N, 20]).output('y').output('logits').output('seq_out');
      linear(b, r, 'body/fc1', 'x', '/body/fc1/Gemm_output_0', { kind: 'Gemm', inF: 20, outF: 32 });
      batchNorm(b, r, 'body/bn1', '/body/fc1/Gemm_output_0', '/body/bn1/BatchNormalization_output_0', { channels: 32 });
      b.node('Relu', ['/body/bn1/BatchNormalization_output_0'], ['/body/relu1/Relu_output_0'], {}, '/body/relu1/Relu');
      linear(b, r, 'body/fc2', '/body/relu1/Relu_output_0', '/body/fc2/Add_output_0', { kind: 'MatMul+Add', inF: 32, outF: 16, biasFirst: true });
      batchNorm(b, r, 'body/bn2', '/body/fc2/Add_output_0', '/body/bn2/BatchNormalization_output_0', { channels: 16 });
      b.node('Relu', ['/body/bn2/BatchNormalization_output_0'], ['/body/relu2/Relu_output_0'], {}, '/body/relu2/Relu');
      b.initInts('seq.shape', [3], [0, 4, 4]);
      b.node('Reshape', ['/body/relu2/Relu_output_0', 'seq.shape'], ['/seq/Reshape_output_0'], {}, '/seq/Reshape');
      linear(b, r, 'seq/fc', '/seq/Reshape_output_0', '/seq/fc/MatMul_output_0', { kind: 'MatMul', inF: 4, outF: 8 });
      batchNorm(b, r, 'seq/bn', '/seq/fc/MatMul_output_0', '/seq/bn/BatchNormalization_output_0', { channels: 4 });
      b.node('Relu', ['/seq/bn/BatchNormalization_output_0'], ['seq_out'], {}, '/seq/Relu');
      linear(b, r, 'head/fc', '/body/relu2/Relu_output_0', 'logits', { kind: 'Gemm', inF: 16, outF: 3 });
      batchNorm(b, r, 'head/bn', 'logits', 'y', { channels: 3 });
    }),
  },
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}

/** The example the app opens with when nothing else is asked for. */
export const DEFAULT_EXAMPLE = 'mlp';
