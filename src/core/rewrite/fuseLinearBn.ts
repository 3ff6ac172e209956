/**
 * Folds BatchNormalization into the op next to it — the Linear (directly or through a Transpose) or
 * Conv/ConvTranspose before it, or the Linear after it (BN→Linear, see foldIntoNextLinear). Before:
 *   s = γ/√(σ²+ε),  W′ = s·W (per output feature),  b′ = s·(b − μ) + β.
 * Computed in float64, stored in the weight's own dtype. The BatchNormalization disappears and the
 * Linear's last node writes the BatchNormalization's output name, so consumers and graph outputs
 * keep reading the same tensor name. New tensors get fresh names; originals that nothing uses any
 * more are removed; everything else (node order, attributes, metadata) stays as it was.
 */
import type { Graph } from '../graph/graph';
import { makeAttribute } from '../onnx/builder';
import { makeFloatTensor, tensorDims, tensorToFloat64 } from '../onnx/tensor';
import type { GraphProto, NodeProto, TensorProto } from '../onnx/types';
import { betweenNode, type LinearBnPair } from '../rules/linearBatchNorm';
import { product, type Dim } from '../graph/shapeInference';

export interface FoldedPair {
  id: string;
  /** Names of the tensors written for the fold. */
  weight: string;
  bias: string;
  removedNodes: string[];
}

/** Why a naive fold (ignoring the axis rule) cannot even be formed, or null if it can. */
export function naiveFoldProblem(pair: LinearBnPair): string | null {
  if (pair.pattern !== 'linear-bn') return 'apply anyway demonstrates the Linear→BN axis rule only';
  const others = pair.reasons.filter((r) => r.code !== 'LINEAR_OUTPUT_RANK' && r.code !== 'CHANNEL_MISMATCH');
  if (others.length > 0) return `it is also not fusable for other reasons (${others.map((r) => r.code).join(', ')})`;
  const n = pair.linear.outFeatures;
  const c = pair.batchNorm.channels;
  if (n === null || c === null) return 'the sizes are unknown';
  if (n !== c) {
    return `BatchNormalization has ${c} scale values (one per channel on axis 1) but the weight has ${n} output features (axis ${
      (pair.linear.outputShape?.length ?? 1) - 1
    } of ${JSON.stringify(pair.linear.outputShape)}): a [${c}] scale cannot multiply ${n} weight columns`;
  }
  return null;
}

export class NameAllocator {
  private used = new Set<string>();
  constructor(g: GraphProto) {
    const add = (n: string | undefined) => n !== undefined && this.used.add(n);
    for (const t of g.initializer) add(t.name);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) add(v.name);
    for (const n of g.node) {
      add(n.name);
      n.output.forEach(add);
      n.input.forEach(add);
    }
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

function constTensor(g: Graph, name: string): TensorProto {
  const t = g.values.get(name)?.constant;
  if (!t) throw new Error(`internal: "${name}" is not a constant`);
  return t;
}


export interface Edits {
  names: NameAllocator;
  replaced: Map<number, NodeProto>;
  removed: Set<number>;
  /** New nodes to insert right after a node index. */
  insertedAt: Map<number, NodeProto[]>;
  newInits: TensorProto[];
  droppedValues: Set<string>;
}

function addNode(name: string, a: string, b: string, out: string): NodeProto {
  return { input: [a, b], output: [out], name, opType: 'Add', attribute: [], metadataProps: [] };
}

/**
 * Per-channel s = γ/√(σ²+ε) and shift β − s·μ, expanded to `n` entries: entry i takes channel i
 * (one channel scales all), or `channelOf(i)` when a Reshape spreads features over channels.
 */
function bnAffine(g: Graph, pair: LinearBnPair, n: number, channelOf?: (i: number) => number): { s: Float64Array; shift: Float64Array } {
  const bn = pair.batchNorm;
  const gamma = tensorToFloat64(constTensor(g, bn.scale));
  const beta = tensorToFloat64(constTensor(g, bn.bias));
  const mean = tensorToFloat64(constTensor(g, bn.mean));
  const variance = tensorToFloat64(constTensor(g, bn.variance));
  const ch = (i: number) => (gamma.length === 1 ? 0 : channelOf ? channelOf(i) : i);
  const s = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = gamma[ch(i)] / Math.sqrt(variance[ch(i)] + bn.epsilon);
    shift[i] = beta[ch(i)] - s[i] * mean[ch(i)];
  }
  return { s, shift };
}

/**
 * A new bias of `n` features from an old one of any broadcastable shape ([], [1], [n], [1, n],
 * [rows, n], [rows, 1]): value(r, c) = f(old(r, c), c).
 */
function rebias(old: TensorProto | undefined, n: number, f: (b: number, c: number) => number): { dims: number[]; values: Float64Array } {
  const dims = old ? tensorDims(old) : [];
  const B = old ? tensorToFloat64(old) : new Float64Array([0]);
  const rows = dims.length === 2 ? dims[0] : 1;
  const last = dims.length === 0 ? 1 : dims[dims.length - 1];
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < n; c++) out[r * n + c] = f(B[(rows > 1 ? r * last : 0) + (last === 1 ? 0 : c)], c);
  return { dims: rows > 1 ? [rows, n] : dims.length === 2 ? [1, n] : [n], values: out };
}

export function foldPair(g: Graph, pair: LinearBnPair, e: Edits): FoldedPair {
  if (pair.pattern === 'conv-bn') return foldConv(g, pair, e);
  if (pair.pattern === 'bn-linear') return foldIntoNextLinear(g, pair, e);
  const { names, replaced, removed, insertedAt, newInits, droppedValues } = e;
  const lin = pair.linear;
  const bn = pair.batchNorm;
  const wT = constTensor(g, lin.weight);
  const wDims = tensorDims(wT);
  const W = tensorToFloat64(wT);
  const n = lin.kind === 'Gemm' && lin.transB ? wDims[0] : wDims[1];
  const { s, shift } = bnAffine(g, pair, n, pair.reshape ? reshapeChannelOf(pair.reshape.shape!) : undefined);

  // W′: rows ([N, K], Gemm transB=1) or columns ([K, N]) scaled by s.
  const W2 = new Float64Array(W.length);
  if (lin.kind === 'Gemm' && lin.transB) {
    const k = wDims[1];
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) W2[r * k + c] = s[r] * W[r * k + c];
  } else {
    const k = wDims[0];
    for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) W2[r * n + c] = s[c] * W[r * n + c];
  }
  const weightName = names.fresh(`${lin.weight}_bnfold`);
  newInits.push(makeFloatTensor(weightName, wDims, W2, wT.dataType));

  // b′ = s·b + (β − s·μ), broadcast over the bias's own shape (which ends in N or 1).
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const betaG = lin.kind === 'Gemm' ? lin.beta : 1;
  const keepBeta = betaG !== 0;
  // Gemm adds β_g·C: keep β_g on the node and divide it out of the shift.
  const nb = rebias(biasT, n, (b, c) => (keepBeta ? s[c] * b + shift[c] / betaG : s[c] * betaG * b + shift[c]));
  const biasName = names.fresh(lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`);
  newInits.push(makeFloatTensor(biasName, nb.dims, nb.values, biasT?.dataType ?? wT.dataType));

  const bnNode = g.nodes[bn.nodeIndex];
  const bnOut = pair.bnOutput;
  const lastIdx = lin.nodeIndices[lin.nodeIndices.length - 1];
  const first = g.nodes[lin.nodeIndices[0]].proto;
  // Through a Transpose or Reshape the Linear keeps its output name and that op writes the BN's.
  const t = betweenNode(pair);
  const linOut = t ? g.nodes[lastIdx].proto.output[0] : bnOut;
  if (t) replaced.set(t.nodeIndex, { ...g.nodes[t.nodeIndex].proto, output: [bnOut] });
  const removedNodes = [bnNode.label];
  removed.add(bn.nodeIndex);
  droppedValues.add(pair.preBnValue);

  if (lin.kind === 'Gemm') {
    const inputs = [first.input[0], weightName, biasName];
    let attribute = first.attribute;
    if (!keepBeta) attribute = [...attribute.filter((a) => a.name !== 'beta'), makeAttribute('beta', { float: 1 })];
    replaced.set(lastIdx, { ...first, input: inputs, output: [linOut, ...first.output.slice(1)], attribute });
  } else if (lin.kind === 'MatMul+Add') {
    const mm = first;
    const add = g.nodes[lastIdx].proto;
    replaced.set(lin.nodeIndices[0], { ...mm, input: [mm.input[0], weightName] });
    const biasSlot = add.input.indexOf(lin.bias!);
    const addInputs = add.input.map((x, i) => (i === biasSlot ? biasName : x));
    replaced.set(lastIdx, { ...add, input: addInputs, output: [linOut] });
  } else if (!t) {
    // A MatMul without bias gets one: an Add placed where the BatchNormalization was.
    replaced.set(lastIdx, { ...first, input: [first.input[0], weightName] });
    insertedAt.set(bn.nodeIndex, [addNode(names.fresh(`${bnNode.proto.name || bnOut}_bnfold_bias_add`), first.output[0], biasName, bnOut)]);
    droppedValues.delete(pair.preBnValue);
  } else {
    // Through a Transpose or Reshape the bias Add goes right after the MatMul, before that op.
    const raw = names.fresh(`${first.output[0]}_unbiased`);
    replaced.set(lastIdx, { ...first, input: [first.input[0], weightName], output: [raw] });
    insertedAt.set(lastIdx, [addNode(names.fresh(`${first.name || raw}_bnfold_bias_add`), raw, biasName, first.output[0])]);
  }
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes };
}

/**
 * After Reshape to [d0, C, R…] (R the product of the trailing dims), feature n sits in channel
 * ⌊n/R⌋ mod C — in every row, since the rule only lets C·R dividing the feature count through.
 */
function reshapeChannelOf(shape: readonly Dim[]): (i: number) => number {
  const c = shape[1] as number;
  const r = product(shape.slice(2))!;
  return (i) => Math.floor(i / r) % c;
}

/** Conv: W′[m] = s[m]·W[m]; ConvTranspose ([C, M/g, k…]): output channel m = group·(M/g) + j. */
function foldConv(g: Graph, pair: LinearBnPair, e: Edits): FoldedPair {
  const lin = pair.linear;
  const wT = constTensor(g, lin.weight);
  const wDims = tensorDims(wT);
  const W = tensorToFloat64(wT);
  const m = lin.kind === 'Conv' ? wDims[0] : wDims[1] * lin.group;
  const { s, shift } = bnAffine(g, pair, m);
  const block = wDims.slice(2).reduce((a, d) => a * d, 1);
  const W2 = new Float64Array(W.length);
  if (lin.kind === 'Conv') {
    const per = W.length / wDims[0];
    for (let o = 0; o < wDims[0]; o++) for (let i = 0; i < per; i++) W2[o * per + i] = s[o] * W[o * per + i];
  } else {
    const cin = wDims[0];
    const mg = wDims[1];
    const cinPerGroup = cin / lin.group;
    for (let c = 0; c < cin; c++) {
      const grp = Math.floor(c / cinPerGroup);
      for (let j = 0; j < mg; j++) {
        const sc = s[grp * mg + j];
        const at = (c * mg + j) * block;
        for (let k = 0; k < block; k++) W2[at + k] = sc * W[at + k];
      }
    }
  }
  const weightName = e.names.fresh(`${lin.weight}_bnfold`);
  e.newInits.push(makeFloatTensor(weightName, wDims, W2, wT.dataType));
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const nb = rebias(biasT, m, (b, c) => s[c] * b + shift[c]);
  const biasName = e.names.fresh(lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`);
  e.newInits.push(makeFloatTensor(biasName, [m], nb.values, biasT?.dataType ?? wT.dataType));
  const conv = g.nodes[lin.nodeIndices[0]].proto;
  e.replaced.set(lin.nodeIndices[0], { ...conv, input: [conv.input[0], weightName, biasName], output: [pair.bnOutput] });
  e.removed.add(pair.batchNorm.nodeIndex);
  e.droppedValues.add(pair.preBnValue);
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [g.nodes[pair.batchNorm.nodeIndex].label] };
}

/**
 * BN → Linear on [N, K]: z = s·x + t with t = β − s·μ, so z·W + b = x·(diag(s)·W) + (t·W + b).
 * The Linear reads BN's input directly; BN disappears.
 */
function foldIntoNextLinear(g: Graph, pair: LinearBnPair, e: Edits): FoldedPair {
  const lin = pair.linear;
  const wT = constTensor(g, lin.weight);
  const wDims = tensorDims(wT);
  const W = tensorToFloat64(wT);
  const rowsAreOut = lin.kind === 'Gemm' && lin.transB === 1; // [N, K] instead of [K, N]
  const k = rowsAreOut ? wDims[1] : wDims[0];
  const n = rowsAreOut ? wDims[0] : wDims[1];
  const { s, shift } = bnAffine(g, pair, k);
  const at = (kk: number, nn: number) => (rowsAreOut ? nn * k + kk : kk * n + nn);
  const W2 = new Float64Array(W.length);
  const d = new Float64Array(n); // t·W
  for (let kk = 0; kk < k; kk++) {
    for (let nn = 0; nn < n; nn++) {
      W2[at(kk, nn)] = s[kk] * W[at(kk, nn)];
      d[nn] += shift[kk] * W[at(kk, nn)];
    }
  }
  const weightName = e.names.fresh(`${lin.weight}_bnfold`);
  e.newInits.push(makeFloatTensor(weightName, wDims, W2, wT.dataType));
  const biasT = lin.bias ? constTensor(g, lin.bias) : undefined;
  const alpha = lin.kind === 'Gemm' ? lin.alpha : 1;
  const betaG = lin.kind === 'Gemm' ? (lin.bias ? lin.beta : 1) : 1;
  const keepBeta = betaG !== 0;
  const nb = rebias(biasT, n, (b, c) => (keepBeta ? b + (alpha * d[c]) / betaG : betaG * b + alpha * d[c]));
  const biasName = e.names.fresh(lin.bias ? `${lin.bias}_bnfold` : `${lin.weight}_bnfold_bias`);
  e.newInits.push(makeFloatTensor(biasName, nb.dims, nb.values, biasT?.dataType ?? wT.dataType));

  const bnNode = g.nodes[pair.batchNorm.nodeIndex];
  const x = bnNode.proto.input[0];
  const first = g.nodes[lin.nodeIndices[0]].proto;
  const lastIdx = lin.nodeIndices[lin.nodeIndices.length - 1];
  e.removed.add(bnNode.index);
  e.droppedValues.add(pair.preBnValue);
  if (lin.kind === 'Gemm') {
    let attribute = first.attribute;
    if (!keepBeta || !lin.bias) attribute = [...attribute.filter((a) => a.name !== 'beta'), makeAttribute('beta', { float: 1 })];
    e.replaced.set(lastIdx, { ...first, input: [x, weightName, biasName], attribute });
  } else if (lin.kind === 'MatMul+Add') {
    e.replaced.set(lin.nodeIndices[0], { ...first, input: [x, weightName] });
    const add = g.nodes[lastIdx].proto;
    const slot = add.input.indexOf(lin.bias!);
    e.replaced.set(lastIdx, { ...add, input: add.input.map((v, i) => (i === slot ? biasName : v)) });
  } else {
    const out = first.output[0];
    const raw = e.names.fresh(`${out}_unbiased`);
    e.replaced.set(lastIdx, { ...first, input: [x, weightName], output: [raw] });
    e.insertedAt.set(lastIdx, [addNode(e.names.fresh(`${first.name || out}_bnfold_bias_add`), raw, biasName, out)]);
  }
  return { id: pair.id, weight: weightName, bias: biasName, removedNodes: [bnNode.label] };
}
