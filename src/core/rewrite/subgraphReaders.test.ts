/**
 * A value read inside a subgraph (If branches, Loop and Scan bodies, nested) by its outer-scope
 * name is read like any other: the pair that would delete it is refused with PRE_BN_VALUE_SHARED,
 * for every pattern, and every model `fuse` writes loads in onnxruntime and computes the same.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../analysis';
import { emptyGraph, floats, makeNode, makeValueInfo, ModelBuilder, randomValues, seededRandom } from '../onnx/builder';
import { DataType, type GraphProto, type NodeProto } from '../onnx/types';
import type { PairPattern } from '../rules/pair';
import { fuseAndVerify } from '../testing/fuseAndVerify';
import { fuse } from './fuse';
import { modelProblems } from './validate';
import { buildGraphView } from '../view/graphView';

type Body = 'if' | 'loop' | 'scan' | 'loop>if';

/** A subgraph that reads `name` (shape `dims`) from the outer scope, unless it defines its own. */
function reader(kind: Body, name: string, dims: number[], out: string, opts: { shadow?: boolean } = {}): { nodes: NodeProto[]; inits: [string, number[], number[] | 'bool'][] } {
  const branch = (tag: string, op: string): GraphProto => {
    const g = emptyGraph(`${tag}_${out}`);
    if (opts.shadow) g.node.push(makeNode('Constant', [], [name], { value_floats: floats(new Array(dims.reduce((a, b) => a * b, 1)).fill(0.5)) }));
    const src = opts.shadow ? `${name}_flat` : name;
    if (opts.shadow) {
      g.node.push(makeNode('Reshape', [name, `${out}_shape`], [src]));
    }
    g.node.push(makeNode(op, [src], [`${tag}_${out}_r`], {}, `${tag}/${op}`));
    g.output.push(makeValueInfo(`${tag}_${out}_r`, DataType.FLOAT, dims));
    return g;
  };
  const ifNode = (cond: string, output: string) => makeNode('If', [cond], [output], { then_branch: branch('then', 'Relu'), else_branch: branch('else', 'Neg') }, `/cond/If_${output}`);
  const shapeInit: [string, number[], number[]] = [`${out}_shape`, [dims.length], dims];
  switch (kind) {
    case 'if':
      return { nodes: [ifNode(`${out}_cond`, out)], inits: [[`${out}_cond`, [], 'bool'], shapeInit] };
    case 'loop':
    case 'loop>if': {
      const body = emptyGraph(`loop_${out}`);
      body.input.push(makeValueInfo('i', DataType.INT64, []), makeValueInfo('c', DataType.BOOL, []), makeValueInfo('acc', DataType.FLOAT, dims));
      body.node.push(makeNode('Identity', ['c'], ['c_out']));
      if (kind === 'loop') {
        if (opts.shadow) body.node.push(makeNode('Identity', ['acc'], [name]));
        body.node.push(makeNode('Add', ['acc', name], ['acc_out'], {}, 'loop/Add'));
      } else {
        body.node.push(ifNode('c', 'inner'));
        body.node.push(makeNode('Add', ['acc', 'inner'], ['acc_out']));
      }
      body.output.push(makeValueInfo('c_out', DataType.BOOL, []), makeValueInfo('acc_out', DataType.FLOAT, dims));
      return {
        nodes: [makeNode('Loop', [`${out}_trips`, `${out}_cond`, `${out}_zeros`], [out], { body }, `/loop/Loop_${out}`)],
        inits: [[`${out}_trips`, [], [2]], [`${out}_cond`, [], 'bool'], [`${out}_zeros`, dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(0)], shapeInit],
      };
    }
    case 'scan': {
      const body = emptyGraph(`scan_${out}`);
      body.input.push(makeValueInfo('state', DataType.FLOAT, dims));
      body.node.push(makeNode('Add', ['state', name], ['state_out'], {}, 'scan/Add'));
      body.output.push(makeValueInfo('state_out', DataType.FLOAT, dims));
      // Scan needs a scanned input: a [2, 1] initializer scanned along axis 0, passed through.
      body.input.push(makeValueInfo('elem', DataType.FLOAT, [1]));
      body.node.push(makeNode('Identity', ['elem'], ['elem_out']));
      body.output.push(makeValueInfo('elem_out', DataType.FLOAT, [1]));
      return {
        nodes: [makeNode('Scan', [`${out}_zeros`, `${out}_seq`], [out, `${out}_seq_out`], { body, num_scan_inputs: 1 }, `/scan/Scan_${out}`)],
        inits: [[`${out}_zeros`, dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(0)], [`${out}_seq`, [2, 1], [1, 2]], shapeInit],
      };
    }
  }
}

type Pattern = PairPattern;

/**
 * One pair of `pattern` whose removed value is read by a subgraph of kind `body`, plus (for the
 * Linear→BN pattern) a second, untouched valid pair so that `fuse` has something to write.
 */
function model(pattern: Pattern, body: Body, opts: { shadow?: boolean } = {}) {
  const r = seededRandom(17);
  const b = new ModelBuilder().opset(17);
  const bn = (x: string, y: string, c: number, tag: string) => {
    for (const p of ['s', 'b', 'm']) b.init(`${tag}.${p}`, [c], randomValues(r, c, p === 's' ? 0.5 : -1, 1.5));
    b.init(`${tag}.v`, [c], randomValues(r, c, 0.2, 2));
    b.node('BatchNormalization', [x, `${tag}.s`, `${tag}.b`, `${tag}.m`, `${tag}.v`], [y], {}, `/${tag}/BatchNormalization`);
  };
  let read = '';
  let dims: number[] = [];
  switch (pattern) {
    case 'linear-bn':
      b.input('x', [2, 3]).output('y');
      b.init('w', [4, 3], randomValues(r, 12)).init('c', [4], randomValues(r, 4));
      b.node('Gemm', ['x', 'w', 'c'], ['h'], { transB: 1 }, '/fc/Gemm');
      bn('h', 'y', 4, 'bn');
      [read, dims] = ['h', [2, 4]];
      break;
    case 'linear-transpose-bn':
      b.input('x', [2, 5, 3]).output('y');
      b.init('w', [3, 4], randomValues(r, 12));
      b.node('MatMul', ['x', 'w'], ['h'], {}, '/fc/MatMul');
      b.node('Transpose', ['h'], ['t'], { perm: [0, 2, 1] }, '/t/Transpose');
      bn('t', 'y', 4, 'bn');
      [read, dims] = ['t', [2, 4, 5]];
      break;
    case 'linear-reshape-bn':
      b.input('x', [2, 3]).output('y');
      b.init('w', [3, 4], randomValues(r, 12)).init('c', [4], randomValues(r, 4));
      b.node('MatMul', ['x', 'w'], ['mm'], {}, '/fc/MatMul');
      b.node('Add', ['c', 'mm'], ['h'], {}, '/fc/Add');
      b.initInts('rs', [3], [2, 4, 1]);
      b.node('Reshape', ['h', 'rs'], ['t'], {}, '/r/Reshape');
      bn('t', 'y', 4, 'bn');
      [read, dims] = ['h', [2, 4]];
      break;
    case 'conv-bn':
      b.input('x', [1, 2, 4, 4]).output('y');
      b.init('w', [3, 2, 1, 1], randomValues(r, 6));
      b.node('Conv', ['x', 'w'], ['h'], {}, '/conv/Conv');
      bn('h', 'y', 3, 'bn');
      [read, dims] = ['h', [1, 3, 4, 4]];
      break;
    case 'bn-linear':
      b.input('x', [2, 3]).output('y');
      bn('x', 'z', 3, 'bn');
      b.init('w', [3, 4], randomValues(r, 12));
      b.node('MatMul', ['z', 'w'], ['y'], {}, '/fc/MatMul');
      [read, dims] = ['z', [2, 3]];
      break;
  }
  const sub = reader(body, read, dims, 'sub_out', opts);
  for (const [name, d, v] of sub.inits) {
    if (v === 'bool') b.initInts(name, d, [1], DataType.BOOL);
    else if (name.endsWith('_trips') || name.endsWith('_shape')) b.initInts(name, d, v);
    else b.init(name, d, v);
  }
  for (const n of sub.nodes) b.graph.node.push(n);
  b.output('sub_out');
  // A second valid pair elsewhere, so a fold always happens.
  b.input('u', [2, 3]).output('v');
  b.init('w2', [4, 3], randomValues(r, 12));
  b.node('Gemm', ['u', 'w2'], ['g2'], { transB: 1 }, '/fc2/Gemm');
  bn('g2', 'v', 4, 'bn2');
  return b.build();
}

const PATTERNS: Pattern[] = ['linear-bn', 'linear-transpose-bn', 'linear-reshape-bn', 'conv-bn', 'bn-linear'];
const BODIES: [Body, string][] = [
  ['if', 'the then-branch of If "/cond/If_sub_out"'],
  ['loop', 'the body of Loop "/loop/Loop_sub_out"'],
  ['scan', 'the body of Scan "/scan/Scan_sub_out"'],
  ['loop>if', 'the then-branch of If "/cond/If_inner", in the body of Loop "/loop/Loop_sub_out"'],
];

describe('a value read inside a subgraph is a reader', () => {
  for (const pattern of PATTERNS) {
    for (const [body, where] of BODIES) {
      it(`${pattern}, read in ${body}: refused with the reader named; the written model loads and agrees`, async () => {
        const m = model(pattern, body);
        const pairs = analyzeModel(m).pairs;
        const pair = pairs.find((p) => p.pattern === pattern && p.batchNorm.node === '/bn/BatchNormalization')!;
        expect(pair, JSON.stringify(pairs.map((p) => [p.pattern, p.id]))).toBeDefined();
        expect(pair.fusable).toBe(false);
        const shared = pair.reasons.find((x) => x.code === 'PRE_BN_VALUE_SHARED');
        expect(shared?.message).toContain(`read by a node inside ${where}`);
        const { res, report } = await fuseAndVerify(m);
        expect(res.folded.map((f) => f.id)).toEqual(['v']);
        expect(res.skipped.map((s) => s.id)).toContain(pair.id);
        expect(report.problems).toEqual([]);
        expect(report.pass, JSON.stringify(report.outputs)).toBe(true);
      });
    }
  }

  it('a body that defines its own value of the same name shadows the outer one: the pair folds', () => {
    // ONNX allows the shadowing; onnxruntime insists on unique names across scopes, so this model is
    // checked by our own written-model check only.
    for (const body of ['loop', 'if'] as Body[]) {
      const m = model('linear-bn', body, { shadow: true });
      const pair = analyzeModel(m).pairs.find((p) => p.id === 'y')!;
      expect(pair.fusable, `${body}: ${JSON.stringify(pair.reasons)}`).toBe(true);
      const res = fuse(m);
      expect(res.folded.map((f) => f.id).sort()).toEqual(['v', 'y']);
      expect(modelProblems(res.model)).toEqual([]);
    }
  });

  it('a fold the rules let through but that would break the model is refused with REWRITE_INVALID', () => {
    // Pretend the rules missed the subgraph reader: the written-model check still catches it.
    const a = analyzeModel(model('linear-bn', 'loop>if'));
    const pair = a.pairs.find((p) => p.id === 'y')!;
    pair.fusable = true;
    pair.reasons = [];
    const res = fuse(a);
    expect(res.folded.map((f) => f.id)).toEqual(['v']);
    const refused = res.skipped.find((s) => s.id === 'y')!;
    expect(refused.reasons.map((x) => x.code)).toEqual(['REWRITE_INVALID']);
    expect(refused.reasons[0].message).toContain('reads "h" before it is defined');
    expect(modelProblems(res.model)).toEqual([]);
    expect(res.model.graph!.output.map((o) => o.name)).toEqual(a.model.graph!.output.map((o) => o.name));
  });

  it('the graph view draws a subgraph read as an edge into the node holding the subgraph, marked as the pair\'s', () => {
    const view = buildGraphView(analyzeModel(model('linear-bn', 'loop>if')));
    const loop = view.nodes.find((n) => n.name === '/loop/Loop_sub_out')!;
    const edge = view.edges.find((e) => e.target === loop.id && e.value === 'h')!;
    expect(edge.label).toContain('read in a subgraph');
    expect(edge.pair).toEqual({ id: 'y', fusable: false });
  });

  it('the written-model check sees undefined reads at any depth', () => {
    const m = model('linear-bn', 'loop>if');
    expect(modelProblems(m)).toEqual([]);
    const broken = { ...m, graph: { ...m.graph!, node: m.graph!.node.filter((n) => n.opType !== 'Gemm') } };
    const problems = modelProblems(broken);
    expect(problems.some((p) => p.includes('reads "h" before it is defined') && p.includes('in the then_branch of If "/cond/If_inner"'))).toBe(true);
  });
});
