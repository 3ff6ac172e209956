/**
 * The built-in example gallery: one model per rule, both sides. Built with the project's own
 * model builder; `npm run examples` writes them to public/examples/ with an index.
 * Random weights and BatchNorm statistics are seeded and non-trivial, so a wrong fold shows.
 */
import { N } from './example';
import { batchNorm, linear, model } from './parts';
import { DataType } from '../core/onnx/types';
import { encodeInts, makeTensor } from '../core/onnx/tensor';
import type { Example } from './example';
import { FOLDS_BEYOND_LINEAR_BN } from './catalogFolds';
import { FOLDS_AS_EXPORTED } from './catalogExporters';

export type { Example } from './example';


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
  ...FOLDS_BEYOND_LINEAR_BN,
  ...FOLDS_AS_EXPORTED,
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
