/**
 * The gallery as a path: lessons in the order a student should meet them, each an example model,
 * the pair it is about, and a short text. `npm run examples` writes them into index.json with the
 * examples; a test checks that every lesson's pair exists and has the verdict its text claims.
 */
export interface Lesson {
  id: string;
  chapter: string;
  title: string;
  /** The example it opens (its id in the catalog). */
  example: string;
  /** The pair it selects. */
  pair: string;
  /** Whether that pair is fusable: the text is written for this verdict. */
  fusable: boolean;
  text: string;
  /** What to try on the page. */
  tryIt: string;
}

export const LESSONS: Lesson[] = [
  {
    id: 'rule',
    chapter: 'The rule',
    title: 'A Linear and a BatchNorm on the same axis',
    example: 'valid_2d',
    pair: 'y',
    fusable: true,
    text: 'A Linear writes its output features on the last axis; BatchNorm scales axis 1, one number per channel. On a rank-2 output [N, C] the last axis is axis 1, so every channel is one feature and its scale s = γ/√(σ²+ε) can be multiplied into that feature’s weights: W′ = s·W, b′ = s·(b − μ) + β.',
    tryIt: 'Read the axis strip, then press “Fuse this pair” and Verify: the outputs are the same to float precision.',
  },
  {
    id: 'seed',
    chapter: 'The rule',
    title: 'The seed case: [N, C, L]',
    example: 'seed_3d',
    pair: 'y',
    fusable: false,
    text: 'Give the same Linear a 3-D input and its output is [2, 2, 5]: the 5 features are on axis 2, while BatchNorm’s 2 channels are on axis 1. The scale belongs to a different axis than the weight’s features, so there is nothing to multiply into the weight.',
    tryIt: 'Compare the axis strip with the first lesson: “BatchNorm normalizes here” and “Linear writes its 5 features here” are on different axes now.',
  },
  {
    id: 'coincidence',
    chapter: 'The rule',
    title: 'Sizes that coincide',
    example: 'coincidence_3d',
    pair: 'y',
    fusable: false,
    text: 'Here the Linear has 5 features and BatchNorm has 5 channels. A check that compares only sizes — PyTorch’s fuse_linear_bn_eval does — accepts the fold. But channel c is position c on axis 1, and it holds all 5 features: the sizes match by coincidence, the axes do not.',
    tryIt: 'Press “Apply anyway (incorrect)”: the tool folds it against the rule and Verify shows the error.',
  },
  {
    id: 'transpose-fix',
    chapter: 'Through a Transpose',
    title: 'Fixing it with a Transpose',
    example: 'linear_transpose_bn',
    pair: 'y',
    fusable: true,
    text: 'A sequence model wants BatchNorm over its features. Transpose(0, 2, 1) moves the feature axis of [batch, 6, 4] to axis 1, so each BatchNorm channel is exactly one feature again: the fold goes through the Transpose, which stays in the graph.',
    tryIt: 'Read the feature map: each feature lands in exactly one channel.',
  },
  {
    id: 'transpose-trap',
    chapter: 'Through a Transpose',
    title: 'The Transpose trap',
    example: 'transpose_wrong_axis',
    pair: 'y',
    fusable: false,
    text: 'Transpose(1, 0) on [4, 4] puts the rows, not the features, on axis 1. Both sizes are 4, so ONNX Runtime’s optimizer folds it anyway — and the model’s outputs change by more than half.',
    tryIt: 'Press “Apply anyway (incorrect)”: this is exactly the fold ONNX Runtime performs; Verify fails.',
  },
  {
    id: 'reshape-fix',
    chapter: 'Through a Reshape',
    title: 'A Reshape that keeps features whole',
    example: 'linear_reshape_bn',
    pair: 'y',
    fusable: true,
    text: 'Reshape cuts the values into channels in row order: element n of a row lands in channel ⌊n/R⌋ mod C. With 2 channels of 4 elements and 8 features, features 0–3 are always in channel 0 and 4–7 in channel 1, in every row, so each feature still has one scale.',
    tryIt: 'Read the feature map, then the formula: s_n = s[⌊n/4⌋ mod 2].',
  },
  {
    id: 'reshape-trap',
    chapter: 'Through a Reshape',
    title: 'The Reshape trap',
    example: 'reshape_wrong_axis',
    pair: 'y',
    fusable: false,
    text: 'Reshape [4, 4] to [2, 4, 2]: channels of 2 elements, read in row order. Feature 0 of row 0 lands in channel 0, feature 0 of row 1 in channel 2 — one feature, two scales. Again the sizes (4 and 4) match and ONNX Runtime folds it anyway.',
    tryIt: 'Press “Apply anyway (incorrect)” and watch Verify fail.',
  },
  {
    id: 'conv',
    chapter: 'Other folds',
    title: 'Conv → BatchNorm: always the same axis',
    example: 'conv_bn',
    pair: 'y',
    fusable: true,
    text: 'A convolution writes its output channels on axis 1 — exactly the axis BatchNorm normalizes. That is why Conv→BN folds in every vision model: each filter is scaled by its channel’s s.',
    tryIt: 'Fuse all, then Compare to see the BatchNorm disappear.',
  },
  {
    id: 'bias-axis',
    chapter: 'Other folds',
    title: 'A bias on the wrong axis',
    example: 'conv_add_on_w',
    pair: 'y',
    fusable: false,
    text: 'Some exporters write a Conv’s bias as its own Add of a constant. Here Conv(3→6, 3×3, no padding) on [batch, 3, 8, 8] writes [batch, 6, 6, 6], and the Add adds a [6] constant. Broadcasting lines shapes up from the last axis, so the 6 values run along W (axis 3): column w gets value w in every channel. It runs only because W is 6 too. Folded into the bias, value c would go to channel c instead — other numbers. Shaped [6, 1, 1] or [1, 6, 1, 1], the constant would line up with the channels on axis 1 and fold.',
    tryIt: 'Read the axis strip: the constant’s values sit under axis 3, not axis 1. Press “Apply anyway (incorrect)” and watch Verify fail; then open the gallery’s “Conv → Add [1, C, 1, 1] → BatchNorm” for the form that folds.',
  },
  {
    id: 'bn-linear',
    chapter: 'Other folds',
    title: 'BatchNorm before a Linear',
    example: 'bn_linear',
    pair: '/fc/Gemm_output_0',
    fusable: true,
    text: 'BatchNorm can also fold forwards, into the next Linear: on [batch, 6] its channels are the Linear’s input features, so the scale multiplies the weight’s input columns and the shift t = β − s·μ moves into the bias through the weight.',
    tryIt: 'Read the formulas: this time s scales the weight’s inputs, not its outputs.',
  },
  {
    id: 'bn-linear-3d',
    chapter: 'Other folds',
    title: 'BatchNorm before a Linear on 3-D',
    example: 'bn_linear_3d',
    pair: '/fc/MatMul_output_0',
    fusable: false,
    text: 'The same rule, the other way round: on [batch, 4, 5] BatchNorm normalizes the 4 positions of axis 1, but the Linear reads 5 features from the last axis. Different axes — and here different sizes too.',
    tryIt: 'Read both reasons below the conclusion.',
  },
  {
    id: 'shared',
    chapter: 'The other conditions',
    title: 'The value between them is read twice',
    example: 'shared_pre_bn',
    pair: 'y',
    fusable: false,
    text: 'The axes are right, but another node also reads the Linear’s output. Folding writes the normalized numbers into that output, so the other reader would see different numbers.',
    tryIt: 'Click the Relu that also reads the value.',
  },
  {
    id: 'nonconst',
    chapter: 'The other conditions',
    title: 'Statistics that are inputs',
    example: 'nonconst_stats',
    pair: 'y',
    fusable: false,
    text: 'The fold computes new weights once, before the model runs. Here BatchNorm’s mean and variance are graph inputs: a caller can change them on every run, so there are no fixed numbers to fold.',
    tryIt: 'Open the BatchNorm’s details: its mean and variance are graph inputs, not initializers.',
  },
  {
    id: 'training',
    chapter: 'The other conditions',
    title: 'BatchNorm in training mode',
    example: 'training_mode',
    pair: 'y',
    fusable: false,
    text: 'In training mode BatchNorm normalizes with the statistics of the batch it receives and updates its running averages. Its scale changes with every batch: only an inference-mode BatchNorm is a fixed affine map.',
    tryIt: 'Read the BatchNorm’s attributes: training_mode = 1.',
  },
  {
    id: 'quantized',
    chapter: 'The other conditions',
    title: 'A weight stored quantized',
    example: 'quantized_weight',
    pair: 'y',
    fusable: false,
    text: 'The weight is int8 values times a scale (DequantizeLinear). A fold would multiply each feature’s integers by its own scale: the result is no longer int8 with one scale, so the quantization would be lost or redone with other numbers.',
    tryIt: 'Click the MatMul: its weight is computed by DequantizeLinear from an int8 initializer.',
  },
  {
    id: 'unknown',
    chapter: 'The other conditions',
    title: 'When the rank cannot be known',
    example: 'unknown_rank',
    pair: 'y',
    fusable: false,
    text: 'The Linear’s input is reshaped to a shape that is itself a graph input, so its rank cannot be known before the model runs. Rank 2 would fold, rank 3 would not: the tool does not guess.',
    tryIt: 'Verify with a shape of your own: the model runs, but the verdict stays “not claimed”.',
  },
  {
    id: 'mlp',
    chapter: 'All together',
    title: 'A small MLP: 2 fusable, 2 not',
    example: 'mlp',
    pair: '/seq/bn/BatchNormalization_output_0',
    fusable: false,
    text: 'A real network mixes the cases: two Linear→BN pairs on [batch, features] fold, a sequence branch on [batch, 4, 8] does not (different axes), and the head’s pre-BN value is also a model output (shared).',
    tryIt: 'Press “Fuse all”: only the two valid pairs fold. Then Verify.',
  },
];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
