/**
 * The gallery's examples of the folds beyond Linear→BatchNorm: Conv→BN (plain, depthwise,
 * ConvTranspose), Linear→Transpose→BN and Linear→Reshape→BN (valid and wrong-axis), BN→Linear.
 * The catalog places them after the Linear→BN examples.
 */
import { randomValues } from '../core/onnx/builder';
import { batchNorm, linear, model } from './parts';
import { N, type Example } from './example';

export const FOLDS_BEYOND_LINEAR_BN: Example[] = [
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
];
