/**
 * The pieces the example models are made of: a Linear (Gemm, MatMul, MatMul+Add) and a
 * BatchNormalization with seeded, non-trivial parameters, so a wrong fold shows in the numbers.
 * The catalog and the playground build with these.
 */
import { ModelBuilder, float, randomValues, seededRandom } from '../core/onnx/builder';
import { DataType, type ModelProto } from '../core/onnx/types';

export type Rand = () => number;

export interface LinearOpts {
  kind: 'Gemm' | 'MatMul' | 'MatMul+Add';
  inF: number;
  outF: number;
  transB?: 0 | 1;
  alpha?: number;
  beta?: number;
  biasFirst?: boolean;
  noBias?: boolean;
  dtype?: number;
}

/** Adds a Linear reading `x` and writing `y`, with weights named after `prefix`. */
export function linear(b: ModelBuilder, r: Rand, prefix: string, x: string, y: string, o: LinearOpts): void {
  const dt = o.dtype ?? DataType.FLOAT;
  const scale = 1 / Math.sqrt(o.inF);
  if (o.kind === 'Gemm') {
    const transB = o.transB ?? 1;
    const wd = transB ? [o.outF, o.inF] : [o.inF, o.outF];
    b.init(`${prefix}.weight`, wd, randomValues(r, o.inF * o.outF, -scale, scale), dt);
    const inputs = [x, `${prefix}.weight`];
    if (!o.noBias) {
      b.init(`${prefix}.bias`, [o.outF], randomValues(r, o.outF, -scale, scale), dt);
      inputs.push(`${prefix}.bias`);
    }
    const attrs: Record<string, number | { float: number }> = { transB };
    if (o.alpha !== undefined) attrs.alpha = float(o.alpha);
    if (o.beta !== undefined) attrs.beta = float(o.beta);
    b.node('Gemm', inputs, [y], attrs, `/${prefix}/Gemm`);
    return;
  }
  b.init(`${prefix}.weight_t`, [o.inF, o.outF], randomValues(r, o.inF * o.outF, -scale, scale), dt);
  if (o.kind === 'MatMul') {
    b.node('MatMul', [x, `${prefix}.weight_t`], [y], {}, `/${prefix}/MatMul`);
    return;
  }
  b.node('MatMul', [x, `${prefix}.weight_t`], [`/${prefix}/MatMul_output_0`], {}, `/${prefix}/MatMul`);
  b.init(`${prefix}.bias`, [o.outF], randomValues(r, o.outF, -scale, scale), dt);
  const ins = o.biasFirst ? [`${prefix}.bias`, `/${prefix}/MatMul_output_0`] : [`/${prefix}/MatMul_output_0`, `${prefix}.bias`];
  b.node('Add', ins, [y], {}, `/${prefix}/Add`);
}

export interface BnOpts {
  channels: number;
  dtype?: number;
  /** Names of parameters that are graph inputs instead of initializers. */
  inputs?: ('scale' | 'B' | 'mean' | 'var')[];
  training?: boolean;
}

export function batchNorm(b: ModelBuilder, r: Rand, prefix: string, x: string, y: string, o: BnOpts): void {
  const dt = o.dtype ?? DataType.FLOAT;
  const c = o.channels;
  const make = (role: 'scale' | 'B' | 'mean' | 'var', values: Float64Array) => {
    const name = `${prefix}.${role === 'scale' ? 'weight' : role === 'B' ? 'bias' : role === 'mean' ? 'running_mean' : 'running_var'}`;
    if (o.inputs?.includes(role)) b.input(name, [c], dt);
    else b.init(name, [c], values, dt);
    return name;
  };
  const ins = [
    make('scale', randomValues(r, c, 0.5, 1.5)),
    make('B', randomValues(r, c, -0.5, 0.5)),
    make('mean', randomValues(r, c, -0.5, 0.5)),
    make('var', randomValues(r, c, 0.2, 2)),
  ];
  const outs = [y];
  const attrs: Record<string, number | { float: number }> = { epsilon: float(1e-5), momentum: float(0.9) };
  if (o.training) {
    attrs.training_mode = 1;
    outs.push(`${prefix}.running_mean_out`, `${prefix}.running_var_out`);
  }
  b.node('BatchNormalization', [x, ...ins], outs, attrs, `/${prefix}/BatchNormalization`);
}

export function model(seed: number, opset: number, fn: (b: ModelBuilder, r: Rand) => void): () => ModelProto {
  return () => {
    const b = new ModelBuilder('example').opset(opset).producerName('fusion-inspector examples');
    fn(b, seededRandom(seed));
    return b.build();
  };
}
