/**
 * The gallery's examples of the folds as exporters write them (issue 35): a Conv's bias as its own
 * Add of a constant before BatchNorm (paddle2onnx; PP-OCR's ConvTranspose → Add [1, C, 1, 1] → BN),
 * the same Add with a constant that broadcasts along another axis, a Linear's "bias" that is not one
 * value per feature, BatchNorm → Conv with and without padding, and a Conv or Linear followed by a
 * Mul [+ Add] of constants (BatchNorm decomposed, LayerScale) on either side of the axis rule.
 */
import { randomValues } from '../core/onnx/builder';
import { batchNorm, model } from './parts';
import { N, type Example } from './example';

export const FOLDS_AS_EXPORTED: Example[] = [
  {
    id: 'conv_add_bn',
    title: 'Conv → Add [1, C, 1, 1] → BatchNorm: the bias as its own Add folds',
    explanation:
      'Some exporters (paddle2onnx among them) write a Conv’s bias as a separate Add of a [1, 8, 1, 1] constant. Broadcasting lines shapes up from the last axis, so [1, 8, 1, 1] on [batch, 8, 6, 6] is one value per output channel on axis 1: it joins the bias, b′ = s·(b + a − μ) + β, and the BatchNorm folds as usual. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(40, 17, (b, r) => {
      b.input('x', [N, 3, 6, 6]).output('y');
      b.init('conv.weight', [8, 3, 3, 3], randomValues(r, 8 * 27, -0.3, 0.3));
      b.node('Conv', ['x', 'conv.weight'], ['/conv/Conv_output_0'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/conv/Conv');
      b.init('conv.bias_add', [1, 8, 1, 1], randomValues(r, 8, -0.3, 0.3));
      b.node('Add', ['/conv/Conv_output_0', 'conv.bias_add'], ['/conv/Add_output_0'], {}, '/conv/Add');
      batchNorm(b, r, 'bn', '/conv/Add_output_0', 'y', { channels: 8 });
    }),
  },
  {
    id: 'ppocr_convtranspose_add_bn',
    title: 'PP-OCR’s shape: ConvTranspose → Add [1, C, 1, 1] → BatchNorm folds',
    explanation:
      'PaddleOCR’s text detector upsamples with a ConvTranspose (stride 2, no bias) whose bias paddle2onnx writes as an Add of a [1, 4, 1, 1] constant, then a BatchNorm. ONNX Runtime’s ConvAddFusion takes only a Conv with an [M, 1, 1] constant, so its optimizer leaves this BatchNorm in place. The constant is one value per output channel on axis 1, so both fold into the ConvTranspose: its weight [8, 4, 2, 2] scaled per output channel, and a new bias. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(41, 11, (b, r) => {
      b.input('x', [N, 8, 5, 5]).output('y');
      b.init('up.weight', [8, 4, 2, 2], randomValues(r, 128, -0.3, 0.3));
      b.node('ConvTranspose', ['x', 'up.weight'], ['/up/ConvTranspose_output_0'], { kernel_shape: [2, 2], strides: [2, 2] }, '/up/ConvTranspose');
      b.init('up.bias_add', [1, 4, 1, 1], randomValues(r, 4, -0.3, 0.3));
      b.node('Add', ['/up/ConvTranspose_output_0', 'up.bias_add'], ['/up/Add_output_0'], {}, '/up/Add');
      batchNorm(b, r, 'bn', '/up/Add_output_0', 'y', { channels: 4 });
    }),
  },
  {
    id: 'conv_add_on_w',
    title: 'Not fusable: a [C] constant added to a Conv output acts on W — sizes equal by coincidence',
    explanation:
      'Conv(3→6, 3×3, no padding) on [batch, 3, 8, 8] gives [batch, 6, 6, 6]; an Add of a [6] constant follows. Broadcasting lines shapes up from the LAST axis, so the 6 values run along W (axis 3), not along the 6 channels on axis 1 — it only runs because W happens to be 6 too. A size check (6 values, 6 channels) would fold it into the bias; that adds value w to every channel at column w instead of value c to channel c. After a Linear the same [F] constant is one value per feature and folds; after a Conv it needs the shape [6, 1, 1] or [1, 6, 1, 1]. Use “Apply anyway” to see the numbers disagree.',
    rule: 'BIAS_AXIS',
    expect: { y: { fusable: false, code: 'BIAS_AXIS' } },
    build: model(42, 17, (b, r) => {
      b.input('x', [N, 3, 8, 8]).output('y');
      b.init('conv.weight', [6, 3, 3, 3], randomValues(r, 6 * 27, -0.3, 0.3));
      b.node('Conv', ['x', 'conv.weight'], ['/conv/Conv_output_0'], { kernel_shape: [3, 3] }, '/conv/Conv');
      b.init('conv.shift', [6], randomValues(r, 6, -0.5, 0.5));
      b.node('Add', ['/conv/Conv_output_0', 'conv.shift'], ['/conv/Add_output_0'], {}, '/conv/Add');
      batchNorm(b, r, 'bn', '/conv/Add_output_0', 'y', { channels: 6 });
    }),
  },
  {
    id: 'linear_add_per_row',
    title: 'Not fusable: a Linear’s Add whose constant is one value per row, not per feature',
    explanation:
      'MatMul(3→5) on a fixed batch [4, 3] gives [4, 5]; the Add after it adds a [4, 1] constant — one value per row (axis 0), the same for all 5 features. That is not a bias: a bias is one number per output feature on the last axis ([5] or [1, 5]), and only then can it fold. The BatchNorm stays.',
    rule: 'BIAS_AXIS',
    expect: { y: { fusable: false, code: 'BIAS_AXIS' } },
    build: model(43, 17, (b, r) => {
      b.input('x', [4, 3]).output('y');
      b.init('fc.weight_t', [3, 5], randomValues(r, 15, -0.5, 0.5));
      b.node('MatMul', ['x', 'fc.weight_t'], ['/fc/MatMul_output_0'], {}, '/fc/MatMul');
      b.init('fc.row_shift', [4, 1], randomValues(r, 4, -0.5, 0.5));
      b.node('Add', ['/fc/MatMul_output_0', 'fc.row_shift'], ['/fc/Add_output_0'], {}, '/fc/Add');
      batchNorm(b, r, 'bn', '/fc/Add_output_0', 'y', { channels: 5 });
    }),
  },
  {
    id: 'bn_conv',
    title: 'BatchNorm → Conv without padding: the normalization folds into the Conv after it',
    explanation:
      'Input normalization: BatchNorm2d(3) on [batch, 3, 8, 8], then a 3×3 Conv with no padding. BatchNorm’s z = s·x + t per input channel moves into the Conv: every weight reading channel c is scaled by s[c], and the shift, carried through each filter, becomes the bias b′[m] = b[m] + Σ W[m, c, …]·t[c]. With no padding every position the Conv reads is a normalized input, so the fold is exact. Folds.',
    rule: 'VALID',
    expect: { y: { fusable: true } },
    build: model(44, 17, (b, r) => {
      b.input('x', [N, 3, 8, 8]).output('y');
      batchNorm(b, r, 'bn', 'x', '/bn/BatchNormalization_output_0', { channels: 3 });
      b.init('conv.weight', [4, 3, 3, 3], randomValues(r, 4 * 27, -0.3, 0.3));
      b.init('conv.bias', [4], randomValues(r, 4, -0.1, 0.1));
      b.node('Conv', ['/bn/BatchNormalization_output_0', 'conv.weight', 'conv.bias'], ['y'], { kernel_shape: [3, 3] }, '/conv/Conv');
    }),
  },
  {
    id: 'bn_conv_padded',
    title: 'Not fusable: BatchNorm → Conv with padding — the zeros come after the shift',
    explanation:
      'The same BatchNorm → Conv, but the Conv pads by 1. The Conv adds its zero padding after BatchNorm has shifted the input, so at the border it reads 0, not the shift t = β − γ·μ/√(σ²+ε). Folded, the shift would be carried through every weight of a filter, those on the padding included: each border output would be off by t times the border weights. The channels match (3 and 3) and the fold still is wrong. Use “Apply anyway” to see the border differ.',
    rule: 'CONV_PADDING',
    expect: { y: { fusable: false, code: 'CONV_PADDING' } },
    build: model(45, 17, (b, r) => {
      b.input('x', [N, 3, 8, 8]).output('y');
      batchNorm(b, r, 'bn', 'x', '/bn/BatchNormalization_output_0', { channels: 3 });
      b.init('conv.weight', [4, 3, 3, 3], randomValues(r, 4 * 27, -0.3, 0.3));
      b.node('Conv', ['/bn/BatchNormalization_output_0', 'conv.weight'], ['y'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/conv/Conv');
    }),
  },
  {
    id: 'conv_mul_add',
    title: 'Conv → Mul [1, C, 1, 1] → Add [1, C, 1, 1]: BatchNorm as simplifiers write it folds',
    explanation:
      'Some exporters and simplifiers write an inference BatchNorm as its affine map: a Mul by s = γ/√(σ²+ε) and an Add of t = β − s·μ, each shaped [1, 6, 1, 1]. On the Conv output [batch, 6, 6, 6] both are one value per channel on axis 1, so the Mul scales filter m by s[m] and the Add joins the bias: b′ = s·b + t. There is no BatchNormalization node at all. Folds.',
    rule: 'VALID',
    expect: { '/bn/Add_output_0': { fusable: true } },
    build: model(46, 17, (b, r) => {
      b.input('x', [N, 3, 8, 8]).output('/bn/Add_output_0');
      b.init('conv.weight', [6, 3, 3, 3], randomValues(r, 6 * 27, -0.3, 0.3));
      b.init('conv.bias', [6], randomValues(r, 6, -0.1, 0.1));
      b.node('Conv', ['x', 'conv.weight', 'conv.bias'], ['/conv/Conv_output_0'], { kernel_shape: [3, 3] }, '/conv/Conv');
      b.init('bn.s', [1, 6, 1, 1], randomValues(r, 6, 0.5, 1.5));
      b.node('Mul', ['/conv/Conv_output_0', 'bn.s'], ['/bn/Mul_output_0'], {}, '/bn/Mul');
      b.init('bn.t', [1, 6, 1, 1], randomValues(r, 6, -0.5, 0.5));
      b.node('Add', ['/bn/Mul_output_0', 'bn.t'], ['/bn/Add_output_0'], {}, '/bn/Add');
    }),
  },
  {
    id: 'linear_layerscale',
    title: 'Linear on [batch, L, F] → Mul [F] (LayerScale): a per-feature scale folds at any rank',
    explanation:
      'A transformer block’s LayerScale multiplies the Linear’s output [batch, 5, 4] by a [4] constant. Broadcasting lines shapes up from the last axis, and a Linear keeps its features on the last axis, so here [4] is exactly one value per feature — unlike BatchNorm, which normalizes axis 1. The scale moves into the weight’s columns and the bias. The same [C] after a Conv acts on W instead (see the next example). Folds.',
    rule: 'VALID',
    expect: { '/ls/Mul_output_0': { fusable: true } },
    build: model(47, 17, (b, r) => {
      b.input('x', [N, 5, 3]).output('/ls/Mul_output_0');
      b.init('fc.weight_t', [3, 4], randomValues(r, 12, -0.5, 0.5));
      b.node('MatMul', ['x', 'fc.weight_t'], ['/fc/MatMul_output_0'], {}, '/fc/MatMul');
      b.init('fc.bias', [4], randomValues(r, 4, -0.5, 0.5));
      b.node('Add', ['fc.bias', '/fc/MatMul_output_0'], ['/fc/Add_output_0'], {}, '/fc/Add');
      b.init('ls.gamma', [4], randomValues(r, 4, 0.05, 0.2));
      b.node('Mul', ['/fc/Add_output_0', 'ls.gamma'], ['/ls/Mul_output_0'], {}, '/ls/Mul');
    }),
  },
  {
    id: 'conv_mul_on_w',
    title: 'Not fusable: a [C] scale after a Conv acts on W — sizes equal by coincidence',
    explanation:
      'Conv(3→6, no padding) on [batch, 3, 8, 8] gives [batch, 6, 6, 6], then a Mul by a [6] constant. After a Linear that would be one value per feature; after a Conv the channels are on axis 1, and broadcasting aligns [6] with the last axis, W. It runs only because W is 6 too. Folding it into the filters would scale filter c by value c instead of column w by value w. Only [6, 1, 1] or [1, 6, 1, 1] is per channel. Use “Apply anyway” to see the numbers disagree.',
    rule: 'BIAS_AXIS',
    expect: { '/ls/Mul_output_0': { fusable: false, code: 'BIAS_AXIS' } },
    build: model(48, 17, (b, r) => {
      b.input('x', [N, 3, 8, 8]).output('/ls/Mul_output_0');
      b.init('conv.weight', [6, 3, 3, 3], randomValues(r, 6 * 27, -0.3, 0.3));
      b.node('Conv', ['x', 'conv.weight'], ['/conv/Conv_output_0'], { kernel_shape: [3, 3] }, '/conv/Conv');
      b.init('ls.scale', [6], randomValues(r, 6, 0.5, 1.5));
      b.node('Mul', ['/conv/Conv_output_0', 'ls.scale'], ['/ls/Mul_output_0'], {}, '/ls/Mul');
    }),
  },
];
