/**
 * The formulas the page states, evaluated exactly as written on the real tensors, must give what
 * the fold computes — for every gallery example, every corpus pair and every pattern and weight
 * layout — so the explanation and the fold cannot drift apart. The evaluator below reads the text
 * lines (`W′ = diag(s) · W`, `b′ = b + t · W`, …) with their ordinary matrix meaning; it shares no
 * code with the folds.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { ModelBuilder, float, randomValues, seededRandom } from '../onnx/builder';
import { tensorDims, tensorToFloat64 } from '../onnx/tensor';
import type { ModelProto } from '../onnx/types';
import { EXAMPLES } from '../../examples/catalog';
import { corpusBytes, corpusManifest, corpusIt } from '../testing/corpus';
import { readModel } from '../onnx/modelIO';
import type { Graph } from '../graph/graph';
import type { Pair } from '../rules/pair';
import { formulaLines } from './formula';
import { PATTERN_LIST, patternOf } from './registry';

interface Mat {
  dims: number[];
  v: Float64Array;
}

function tensor(g: Graph, name: string): Mat {
  const t = g.values.get(name)!.constant!;
  return { dims: tensorDims(t), v: tensorToFloat64(t) };
}

/** One value per index 0…len-1, as the line about s states it (per channel, one value, or through a Reshape). */
function perIndex(c: Float64Array, lines: string[], len: number): Float64Array {
  const reshape = lines.map((l) => /R = (\d+), C = (\d+)/.exec(l)).find((m) => m !== null);
  const uniform = lines.some((l) => l.startsWith('s has one value'));
  if (!reshape && !uniform && c.length !== len) throw new Error(`the formula needs ${len} values of s but BN has ${c.length}: the stated product does not conform`);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = uniform ? c[0] : reshape ? c[Math.floor(i / Number(reshape[1])) % Number(reshape[2])] : c[i];
  return out;
}

/** W′ and b′ as the stated lines compute them. */
function evaluate(g: Graph, pair: Pair, lines: string[]): { w: Float64Array; b: Float64Array } {
  const bn = pair.batchNorm;
  let sC: Float64Array, tC: Float64Array, beta: Float64Array, mean: Float64Array;
  if (bn.op === 'BatchNormalization') {
    const [gamma, b, mu, variance] = [bn.scale, bn.bias, bn.mean, bn.variance].map((n) => tensor(g, n).v);
    sC = gamma.map((x, i) => x / Math.sqrt(variance[i] + bn.epsilon));
    tC = b.map((x, i) => x - sC[i] * mu[i]);
    [beta, mean] = [b, mu];
  } else {
    // A Mul [+ Add]: the first line names the constants s and t are.
    const named = /^s = "(.+?)" .*, t = (?:"(.+?)"|0)/.exec(lines[0])!;
    sC = tensor(g, named[1]).v;
    tC = named[2] ? tensor(g, named[2]).v : new Float64Array(1);
    [beta, mean] = [new Float64Array(0), new Float64Array(0)];
  }
  const W = tensor(g, pair.linear.weight);
  const wLine = lines.find((l) => l.startsWith('W′'))!;
  const bLine = lines.find((l) => l.startsWith('b′'))!;
  const w = new Float64Array(W.v.length);
  let outAxisLen: number;
  let s: Float64Array;
  if (/^W′ = diag\(s(_n)?\) · W/.test(wLine)) {
    if (W.dims.length !== 2) throw new Error('diag(s) · W needs a matrix');
    const [rows, cols] = W.dims;
    s = perIndex(sC, lines, rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = s[i] * W.v[i * cols + j];
    outAxisLen = rows;
  } else if (/^W′ = W · diag\(s(_n)?\)/.test(wLine)) {
    if (W.dims.length !== 2) throw new Error('W · diag(s) needs a matrix');
    const [rows, cols] = W.dims;
    s = perIndex(sC, lines, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = W.v[i * cols + j] * s[j];
    outAxisLen = cols;
  } else if (/^W′\[m, …\] = s\[m\] · W\[m, …\]/.test(wLine)) {
    const per = W.v.length / W.dims[0];
    s = perIndex(sC, lines, W.dims[0]);
    for (let m = 0; m < W.dims[0]; m++) for (let k = 0; k < per; k++) w[m * per + k] = s[m] * W.v[m * per + k];
    outAxisLen = W.dims[0];
  } else if (/^W′\[c, j, …\] = s\[k\(c\) · \(M\/G\) \+ j\]/.test(wLine)) {
    const G = Number(/G = (\d+) groups/.exec(wLine)![1]);
    const [C, MG] = W.dims;
    const block = W.v.length / (C * MG);
    s = perIndex(sC, lines, G * MG);
    for (let c = 0; c < C; c++) for (let j = 0; j < MG; j++) for (let k = 0; k < block; k++) w[(c * MG + j) * block + k] = s[Math.floor(c / (C / G)) * MG + j] * W.v[(c * MG + j) * block + k];
    outAxisLen = G * MG;
  } else if (/^W′\[m, j, …\] = W\[m, j, …\] · s\[k\(m\) · \(C\/G\) \+ j\]/.test(wLine)) {
    const G = Number(/G = (\d+) groups/.exec(wLine)![1]);
    const [M, CG] = W.dims;
    const block = W.v.length / (M * CG);
    s = perIndex(sC, lines, G * CG);
    for (let m = 0; m < M; m++) for (let j = 0; j < CG; j++) for (let k = 0; k < block; k++) w[(m * CG + j) * block + k] = W.v[(m * CG + j) * block + k] * s[Math.floor(m / (M / G)) * CG + j];
    outAxisLen = M;
  } else throw new Error(`no meaning known for "${wLine}"`);

  // b: the bias the Linear adds (Gemm: beta · C when the formula says so), broadcast as stored.
  const betaG = /\(b = ([-\d.e]+) · C/.exec(bLine);
  const biasName = pair.linear.bias;
  const B = biasName ? tensor(g, biasName) : { dims: [], v: new Float64Array([0]) };
  const bRows = B.dims.length === 2 ? B.dims[0] : 1;
  const bLast = B.dims.length === 0 ? 1 : B.dims[B.dims.length - 1];
  const bAt = (r: number, c: number) => (betaG ? Number(betaG[1]) : 1) * B.v[(bRows > 1 ? r * bLast : 0) + (bLast === 1 ? 0 : c)];
  const alphaM = /b′ = b \+ ([-\d.e]+) · /.exec(bLine);
  const alpha = alphaM ? Number(alphaM[1]) : 1;
  let n: number;
  let f: (r: number, c: number) => number;
  if (/^b′ = s(_n)? · \(b − μ(_n)?\) \+ β(_n)?/.test(bLine)) {
    n = outAxisLen;
    const sN = perIndex(sC, lines, n);
    const muN = perIndex(mean, lines, n);
    const betaN = perIndex(beta, lines, n);
    f = (r, c) => sN[c] * (bAt(r, c) - muN[c]) + betaN[c];
  } else if (/^b′ = b \+ ([-\d.e]+ · )?t · W/.test(bLine)) {
    const [K, N] = W.dims;
    const t = perIndex(tC, lines, K);
    const d = new Float64Array(N);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) d[j] += t[k] * W.v[k * N + j];
    n = N;
    f = (r, c) => bAt(r, c) + alpha * d[c];
  } else if (/^b′ = b \+ ([-\d.e]+ · )?W · t/.test(bLine)) {
    const [N, K] = W.dims;
    const t = perIndex(tC, lines, K);
    const d = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) d[i] += W.v[i * K + k] * t[k];
    n = N;
    f = (r, c) => bAt(r, c) + alpha * d[c];
  } else if (/^b′ = s · \(b \+ a − μ\) \+ β {3}\(a = "(.+)", /.test(bLine)) {
    n = outAxisLen;
    const a = tensor(g, /a = "(.+?)"/.exec(bLine)![1]).v;
    const aN = a.length === 1 ? new Float64Array(n).fill(a[0]) : perIndex(a, [], n);
    const sN = perIndex(sC, lines, n);
    const muN = perIndex(mean, lines, n);
    const betaN = perIndex(beta, lines, n);
    f = (r, c) => sN[c] * (bAt(r, c) + aN[c] - muN[c]) + betaN[c];
  } else if (/^b′\[m\] = b\[m\] \+ Σ_\{j, …\} W\[m, j, …\] · t\[k\(m\) · \(C\/G\) \+ j\]/.test(bLine)) {
    const G = Number(/G = (\d+) groups/.exec(wLine)![1]);
    const [M, CG] = W.dims;
    const block = W.v.length / (M * CG);
    const t = perIndex(tC, lines, G * CG);
    const d = new Float64Array(M);
    for (let m = 0; m < M; m++) for (let j = 0; j < CG; j++) for (let k = 0; k < block; k++) d[m] += W.v[(m * CG + j) * block + k] * t[Math.floor(m / (M / G)) * CG + j];
    n = M;
    f = (r, c) => bAt(r, c) + d[c];
  } else if (/^b′ = s · b \+ t/.test(bLine)) {
    n = outAxisLen;
    const sN = perIndex(sC, lines, n);
    const tN = tC.length === 1 ? new Float64Array(n).fill(tC[0]) : perIndex(tC, [], n);
    f = (r, c) => sN[c] * bAt(r, c) + tN[c];
  } else throw new Error(`no meaning known for "${bLine}"`);
  const b = new Float64Array(bRows * n);
  for (let r = 0; r < bRows; r++) for (let c = 0; c < n; c++) b[r * n + c] = f(r, c);
  return { w, b };
}

function close(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst, what).toBeLessThan(1e-9);
}

/** Every fusable pair of a model: the stated formula equals the fold. Returns how many were checked. */
function checkModel(m: ModelProto, label: string): number {
  const a = analyzeModel(m);
  let checked = 0;
  for (const pair of a.pairs.filter((p) => p.fusable)) {
    const pattern = patternOf(pair);
    const lines = formulaLines(pattern.explain(pair));
    const folded = pattern.compute(a.graph, pair);
    const stated = evaluate(a.graph, pair, lines);
    close(stated.w, folded.weight.values, `${label} ${pair.id} W′ (${lines.join(' | ')})`);
    close(stated.b, folded.bias.values, `${label} ${pair.id} b′ (${lines.join(' | ')})`);
    checked++;
  }
  return checked;
}

/** x → BN → Linear of every layout, and Linear → BN / Conv → BN layouts the gallery lacks. */
function layouts(): [string, ModelProto][] {
  const r = seededRandom(77);
  const bnInit = (b: ModelBuilder, c: number, p: string) => {
    b.init(`${p}s`, [c], randomValues(r, c, 0.5, 1.5)).init(`${p}b`, [c], randomValues(r, c)).init(`${p}m`, [c], randomValues(r, c)).init(`${p}v`, [c], randomValues(r, c, 0.2, 2));
    return [`${p}s`, `${p}b`, `${p}m`, `${p}v`];
  };
  const out: [string, ModelProto][] = [];
  const gemm = (transB: number, alpha: number, beta: number, bias: boolean, bnFirst: boolean, c = 3) => {
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    b.init('w', transB ? [4, 3] : [3, 4], randomValues(r, 12));
    if (bias) b.init('c', [4], randomValues(r, 4));
    const attrs = { transB, alpha: float(alpha), beta: float(beta) };
    if (bnFirst) {
      b.node('BatchNormalization', ['x', ...bnInit(b, c, 'n')], ['z']);
      b.node('Gemm', ['z', 'w', ...(bias ? ['c'] : [])], ['y'], attrs);
    } else {
      b.node('Gemm', ['x', 'w', ...(bias ? ['c'] : [])], ['h'], attrs);
      b.node('BatchNormalization', ['h', ...bnInit(b, c === 3 ? 4 : c, 'n')], ['y']);
    }
    return b.build();
  };
  for (const transB of [0, 1]) {
    for (const bnFirst of [true, false]) {
      out.push([`${bnFirst ? 'BN→' : ''}Gemm transB=${transB}${bnFirst ? '' : '→BN'}`, gemm(transB, 1, 1, true, bnFirst)]);
      out.push([`${bnFirst ? 'BN→' : ''}Gemm transB=${transB} alpha 0.5 beta 2${bnFirst ? '' : '→BN'}`, gemm(transB, 0.5, 2, true, bnFirst)]);
      out.push([`${bnFirst ? 'BN→' : ''}Gemm transB=${transB} no bias${bnFirst ? '' : '→BN'}`, gemm(transB, 1.5, 1, false, bnFirst)]);
      out.push([`${bnFirst ? 'BN→' : ''}Gemm transB=${transB} one channel${bnFirst ? '' : '→BN'}`, gemm(transB, 1, 1, true, bnFirst, 1)]);
    }
  }
  for (const withAdd of [false, true]) {
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    b.node('BatchNormalization', ['x', ...bnInit(b, 3, 'n')], ['z']);
    b.init('w', [3, 4], randomValues(r, 12));
    if (withAdd) {
      b.init('c', [1, 4], randomValues(r, 4));
      b.node('MatMul', ['z', 'w'], ['mm']);
      b.node('Add', ['c', 'mm'], ['y']);
    } else b.node('MatMul', ['z', 'w'], ['y']);
    out.push([`BN→MatMul${withAdd ? '+Add [1, 4] bias' : ''}`, b.build()]);
  }
  for (const [op, group] of [['Conv', 2], ['ConvTranspose', 2], ['ConvTranspose', 1]] as const) {
    const b = new ModelBuilder().opset(17);
    b.input('x', [1, 4, 5, 5]).output('y');
    b.init('w', op === 'Conv' ? [6, 4 / group, 3, 3] : [4, 6 / group, 3, 3], randomValues(r, op === 'Conv' ? (6 * 4 * 9) / group : (4 * 6 * 9) / group));
    b.init('cb', [6], randomValues(r, 6));
    b.node(op, ['x', 'w', 'cb'], ['h'], { group, pads: [1, 1, 1, 1] });
    b.node('BatchNormalization', ['h', ...bnInit(b, 6, 'n')], ['y']);
    out.push([`${op} group ${group}→BN`, b.build()]);
  }
  {
    // Through a Reshape with R > 1: [2, 8] → [2, 2, 4], feature n → channel ⌊n/4⌋ mod 2.
    const b = new ModelBuilder().opset(17);
    b.input('x', [2, 3]).output('y');
    b.init('w', [8, 3], randomValues(r, 24)).init('c', [8], randomValues(r, 8));
    b.node('Gemm', ['x', 'w', 'c'], ['h'], { transB: 1 });
    b.initInts('shape', [3], [2, 2, 4]);
    b.node('Reshape', ['h', 'shape'], ['t']);
    b.node('BatchNormalization', ['t', ...bnInit(b, 2, 'n')], ['y']);
    out.push(['Gemm→Reshape [2, 2, 4]→BN', b.build()]);
  }
  return out;
}

describe('the stated formula computes what the fold computes', () => {
  it('every gallery example', () => {
    let checked = 0;
    for (const e of EXAMPLES) checked += checkModel(e.build(), e.id);
    expect(checked).toBeGreaterThanOrEqual(14);
  });

  corpusIt('every corpus pair', () => {
    let checked = 0;
    for (const e of corpusManifest()) checked += checkModel(readModel(corpusBytes(e.file)), e.file);
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('every pattern and weight layout', () => {
    const seen = new Set<string>();
    for (const [label, m] of layouts()) {
      expect(checkModel(m, label), label).toBeGreaterThan(0);
      for (const p of analyzeModel(m).pairs) seen.add(`${p.pattern} ${p.linear.kind}`);
    }
    const gallery = EXAMPLES.flatMap((e) => analyzeModel(e.build()).pairs.filter((p) => p.fusable).map((p) => `${p.pattern} ${p.linear.kind}`));
    for (const k of gallery) seen.add(k);
    for (const pattern of PATTERN_LIST.map((p) => p.id)) expect([...seen].some((k) => k.startsWith(pattern)), pattern).toBe(true);
  });

  it('a formula that does not fit the layout is caught (the teaching bug this test exists for)', () => {
    // BN → Gemm transB=1: stating W′ = diag(s) · W (rows) for an [out, in] weight does not conform.
    const m = layouts().find(([l]) => l === 'BN→Gemm transB=1')![1];
    const a = analyzeModel(m);
    const pair = a.pairs[0];
    const wrong = ['s = γ / √(σ² + ε),  t = β − s · μ', 'W′ = diag(s) · W', 'b′ = b + t · W'];
    expect(() => evaluate(a.graph, pair, wrong)).toThrow(/does not conform/);
  });
});
