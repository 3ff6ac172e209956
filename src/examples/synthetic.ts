/**
 * Synthetic models of any size for benchmarks and scale tests: ResNet-like Conv/BN/Relu blocks with
 * residual Adds, then MLP heads with Linear→BN pairs (some valid on [N, C], some not on [N, C, L]).
 * Built with the project's own builder; weights are seeded random values.
 */
import { ModelBuilder, float, seededRandom } from '../core/onnx/builder';
import type { ModelProto } from '../core/onnx/types';
import { makeTensor } from '../core/onnx/tensor';
import { DataType } from '../core/onnx/types';

export interface SyntheticOptions {
  /** Approximate node count. */
  nodes: number;
  channels?: number;
  /** Write PyTorch-style scoped names (`/layer3/block12/conv1/Conv`) — default true. */
  scoped?: boolean;
  /** Bytes of float32 weights to aim for (weights are shared random bytes, cheap to build). */
  weightBytes?: number;
  seed?: number;
}

export function syntheticModel(opts: SyntheticOptions): ModelProto {
  const rand = seededRandom(opts.seed ?? 1);
  const c = opts.channels ?? 8;
  const scoped = opts.scoped ?? true;
  const b = new ModelBuilder('synthetic').opset(14).producerName('fusion-inspector synthetic');
  const name = (scope: string, op: string) => (scoped ? `/${scope}/${op}` : `${op}_${scope.replace(/\//g, '_')}`);
  // Each conv block is 7 nodes; each head is 4 nodes per pair.
  const heads = Math.max(3, Math.round(opts.nodes / 200));
  const blocks = Math.max(1, Math.round((opts.nodes - heads * 8 - 4) / 7));
  // Per-block weights are fresh tensors so the model looks real; their bytes come from one pool.
  const convElems = c * c * 9;
  // With a weight budget, conv1 gets as many output channels as the budget allows (whole filters).
  const outC = opts.weightBytes ? Math.max(c, Math.floor(opts.weightBytes / blocks / 4 / (c * 9))) : c;
  const perBlockBytes = opts.weightBytes ? outC * c * 9 * 4 : convElems * 4;
  const pool = new Uint8Array(perBlockBytes);
  const dv = new DataView(pool.buffer);
  for (let i = 0; i + 4 <= pool.length; i += 4) dv.setFloat32(i, (rand() - 0.5) * 0.2, true);
  const convShape = [outC, c, 3, 3];
  const wide = convShape[0] !== c;

  b.input('x', ['batch', c, 8, 8]).output('y');
  const bnParams = (p: string, n: number) => {
    b.init(`${p}.weight`, [n], Array.from({ length: n }, () => 0.5 + rand()));
    b.init(`${p}.bias`, [n], Array.from({ length: n }, () => rand() - 0.5));
    b.init(`${p}.running_mean`, [n], Array.from({ length: n }, () => rand() - 0.5));
    b.init(`${p}.running_var`, [n], Array.from({ length: n }, () => 0.2 + rand()));
    return [`${p}.weight`, `${p}.bias`, `${p}.running_mean`, `${p}.running_var`];
  };
  let cur = 'x';
  for (let i = 0; i < blocks; i++) {
    const stage = `layer${1 + Math.floor(i / 50)}`;
    const s = `${stage}/block${i}`;
    const w1 = `${s.replace(/\//g, '.')}.conv1.weight`;
    b.initTensor(makeTensor(w1, DataType.FLOAT, convShape, pool));
    const o1 = `${name(`${s}/conv1`, 'Conv')}_output_0`;
    b.node('Conv', [cur, w1], [o1], { pads: [1, 1, 1, 1] }, name(`${s}/conv1`, 'Conv'));
    const bn1 = `${name(`${s}/bn1`, 'BatchNormalization')}_output_0`;
    b.node('BatchNormalization', [o1, ...bnParams(`${s.replace(/\//g, '.')}.bn1`, convShape[0])], [bn1], { epsilon: float(1e-5) }, name(`${s}/bn1`, 'BatchNormalization'));
    const r1 = `${name(`${s}/relu`, 'Relu')}_output_0`;
    b.node('Relu', [bn1], [r1], {}, name(`${s}/relu`, 'Relu'));
    const w2 = `${s.replace(/\//g, '.')}.conv2.weight`;
    b.initTensor(makeTensor(w2, DataType.FLOAT, wide ? [c, convShape[0], 1, 1] : convShape, wide ? pool.subarray(0, c * convShape[0] * 4) : pool));
    const o2 = `${name(`${s}/conv2`, 'Conv')}_output_0`;
    b.node('Conv', [r1, w2], [o2], wide ? {} : { pads: [1, 1, 1, 1] }, name(`${s}/conv2`, 'Conv'));
    const bn2 = `${name(`${s}/bn2`, 'BatchNormalization')}_output_0`;
    b.node('BatchNormalization', [o2, ...bnParams(`${s.replace(/\//g, '.')}.bn2`, c)], [bn2], { epsilon: float(1e-5) }, name(`${s}/bn2`, 'BatchNormalization'));
    const add = `${name(s, 'Add')}_output_0`;
    b.node('Add', [bn2, cur], [add], {}, name(s, 'Add'));
    const out = `${name(`${s}/relu2`, 'Relu')}_output_0`;
    b.node('Relu', [add], [out], {}, name(`${s}/relu2`, 'Relu'));
    cur = out;
  }
  b.node('GlobalAveragePool', [cur], ['/pool/GlobalAveragePool_output_0'], {}, name('pool', 'GlobalAveragePool'));
  b.node('Flatten', ['/pool/GlobalAveragePool_output_0'], ['/flatten/Flatten_output_0'], {}, name('flatten', 'Flatten'));
  const feats = '/flatten/Flatten_output_0';
  const sums: string[] = [];
  for (let h = 0; h < heads; h++) {
    const s = `heads/head${h}`;
    const valid = h % 3 !== 2;
    const wName = `${s.replace(/\//g, '.')}.fc.weight`;
    if (valid) {
      b.init(wName, [c, c], Array.from({ length: c * c }, () => rand() - 0.5));
      b.init(`${wName}.b`, [c], Array.from({ length: c }, () => rand() - 0.5));
      const g = `${name(`${s}/fc`, 'Gemm')}_output_0`;
      b.node('Gemm', [feats, wName, `${wName}.b`], [g], { transB: 1 }, name(`${s}/fc`, 'Gemm'));
      const bn = `${name(`${s}/bn`, 'BatchNormalization')}_output_0`;
      b.node('BatchNormalization', [g, ...bnParams(`${s.replace(/\//g, '.')}.bn`, c)], [bn], {}, name(`${s}/bn`, 'BatchNormalization'));
      sums.push(bn);
    } else {
      // [N, C] → [N, 2, C/2] → Linear(C/2 → 2) → BN(2): sizes match, axes do not.
      b.initInts(`${s}.shape`, [3], [0, 2, c / 2]);
      const r = `${name(s, 'Reshape')}_output_0`;
      b.node('Reshape', [feats, `${s}.shape`], [r], {}, name(s, 'Reshape'));
      b.init(wName, [c / 2, 2], Array.from({ length: c }, () => rand() - 0.5));
      const m = `${name(`${s}/fc`, 'MatMul')}_output_0`;
      b.node('MatMul', [r, wName], [m], {}, name(`${s}/fc`, 'MatMul'));
      const bn = `${name(`${s}/bn`, 'BatchNormalization')}_output_0`;
      b.node('BatchNormalization', [m, ...bnParams(`${s.replace(/\//g, '.')}.bn`, 2)], [bn], {}, name(`${s}/bn`, 'BatchNormalization'));
      b.initInts(`${s}.flat`, [2], [0, -1]);
      const f = `${name(s, 'Flatten')}_output_0`;
      b.node('Reshape', [bn, `${s}.flat`], [f], {}, name(`${s}/flat`, 'Reshape'));
      // Flattened back to [N, 4]; pad to C by concatenating with itself when needed.
      const parts = Array.from({ length: c / 4 }, () => f);
      const cat = `${name(s, 'Concat')}_output_0`;
      b.node('Concat', parts, [cat], { axis: 1 }, name(s, 'Concat'));
      sums.push(cat);
    }
  }
  b.node('Sum', sums, ['y'], {}, name('heads', 'Sum'));
  return b.build();
}
