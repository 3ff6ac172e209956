/**
 * Shapes through the idioms transformer exports compute their shapes with, on models built here the
 * way PyTorch's exporter writes them (dynamic batch `B` and sequence `T`), checked against
 * onnxruntime at two sizes: every number must match, every symbolic dim (`B*T`) must evaluate to
 * the runtime's size, and nothing may stay unknown.
 */
import { describe, expect, it } from 'vitest';
import { ModelBuilder, float, makeValueInfo, randomValues, seededRandom } from '../onnx/builder';
import { makeFloatTensor } from '../onnx/tensor';
import { DataType } from '../onnx/types';
import { buildGraph } from './graph';
import { inferShapes } from './shapeInference';
import { checkAgainstOrt } from '../testing/shapeCheck';

const r = seededRandom(3);
const w = (dims: number[]) => randomValues(r, dims.reduce((a, b) => a * b, 1), -0.5, 0.5);
const C = 8;
const H = 2;
const FEEDS = [{ x: [2, 5, C] }, { x: [3, 7, C] }];

/** `B = x.size(0)`, `T = x.size(1)` as the exporter writes them: Shape → Gather → Unsqueeze. */
function sizes(b: ModelBuilder, x: string): void {
  b.node('Shape', [x], ['shape_x'], {}, '/Shape');
  b.initInts('i0', [], [0]).initInts('i1', [], [1]).initInts('ax0', [1], [0]);
  b.node('Gather', ['shape_x', 'i0'], ['B'], { axis: 0 }, '/Gather_B');
  b.node('Gather', ['shape_x', 'i1'], ['T'], { axis: 0 }, '/Gather_T');
  b.node('Unsqueeze', ['B', 'ax0'], ['B1'], {}, '/Unsqueeze_B');
  b.node('Unsqueeze', ['T', 'ax0'], ['T1'], {}, '/Unsqueeze_T');
}

describe('transformer export idioms', () => {
  it('view(B*T, C) → Linear → view(B, T, D): products of symbols, both ways', async () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 'T', C]).output('y');
    sizes(b, 'x');
    b.node('Mul', ['B', 'T'], ['BT'], {}, '/Mul');
    b.node('Unsqueeze', ['BT', 'ax0'], ['BT1']);
    b.initInts('c', [1], [C]).initInts('d', [1], [6]);
    b.node('Concat', ['BT1', 'c'], ['flat_shape'], { axis: 0 });
    b.node('Reshape', ['x', 'flat_shape'], ['flat'], {}, '/Reshape');
    b.init('w', [C, 6], w([C, 6]));
    b.node('MatMul', ['flat', 'w'], ['lin'], {}, '/fc/MatMul');
    b.node('Concat', ['B1', 'T1', 'd'], ['back_shape'], { axis: 0 });
    b.node('Reshape', ['lin', 'back_shape'], ['y'], {}, '/Reshape_back');
    const m = b.build();
    const info = inferShapes(buildGraph(m));
    expect(info.types.get('flat')!.shape).toEqual(['B*T', C]);
    expect(info.types.get('y')!.shape).toEqual(['B', 'T', 6]);
    await checkAgainstOrt(m, FEEDS);
  });

  it('x.size(0)-driven reshape with −1, a cls token expanded through Where(Equal(shape, −1)), Slice and Gather on data', async () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 'T', C]).output('flat').output('tok').output('first').output('tail');
    sizes(b, 'x');
    b.initInts('m1', [1], [-1]);
    b.node('Concat', ['B1', 'm1'], ['s1'], { axis: 0 });
    b.node('Reshape', ['x', 's1'], ['flat'], {}, '/Reshape_flat'); // [B, T*C]: T is symbolic, so only B is known…
    // cls_token.expand(B, -1, -1)
    b.init('cls', [1, 1, C], w([1, 1, C]));
    b.node('Concat', ['B1', 'm1', 'm1'], ['es'], { axis: 0 });
    b.node('ConstantOfShape', ['three'], ['ones'], { value: makeFloatTensor('', [1], [1]) });
    b.initInts('three', [1], [3]);
    b.node('Cast', ['ones'], ['ones_i'], { to: DataType.INT64 });
    b.initInts('neg', [], [-1]);
    b.node('Equal', ['es', 'neg'], ['eq']);
    b.node('Where', ['eq', 'ones_i', 'es'], ['es2']);
    b.node('Expand', ['cls', 'es2'], ['cls_b'], {}, '/Expand');
    b.node('Concat', ['cls_b', 'x'], ['tok'], { axis: 1 }, '/Concat_tokens'); // [B, T+1, C]: a sum stays unknown
    b.node('Gather', ['x', 'i0'], ['first'], { axis: 1 }, '/Gather_first'); // x[:, 0]
    b.initInts('st', [1], [1]).initInts('en', [1], [2 ** 31 - 1]).initInts('ax2', [1], [2]);
    b.node('Slice', ['x', 'st', 'en', 'ax2'], ['tail'], {}, '/Slice'); // x[:, :, 1:]
    const m = b.build();
    const info = inferShapes(buildGraph(m));
    expect(info.types.get('cls_b')!.shape).toEqual(['B', 1, C]);
    expect(info.types.get('first')!.shape).toEqual(['B', C]);
    expect(info.types.get('tail')!.shape).toEqual(['B', 'T', C - 1]);
    // B·T·C / B is T·C: symbolic, and right.
    expect(info.types.get('flat')!.shape).toEqual(['B', `T*${C}`]);
    // T + 1 cannot be written as a product: unknown, never guessed.
    await checkAgainstOrt(m, FEEDS, ['tok']);
  });

  it('multi-head attention with a GPT-style causal mask: Split, heads by Reshape/Transpose, batched MatMul, Range mask, Where, Softmax, Trilu', async () => {
    const b = new ModelBuilder().opset(18);
    b.input('x', ['B', 'T', C]).output('out').output('tri');
    sizes(b, 'x');
    b.init('wqkv', [C, 3 * C], w([C, 3 * C]));
    b.node('MatMul', ['x', 'wqkv'], ['qkv'], {}, '/attn/MatMul_qkv');
    b.node('Split', ['qkv'], ['q', 'k', 'v'], { axis: -1, num_outputs: 3 }, '/attn/Split');
    b.initInts('hh', [1], [H]).initInts('hd', [1], [C / H]);
    b.node('Concat', ['B1', 'T1', 'hh', 'hd'], ['heads'], { axis: 0 });
    for (const t of ['q', 'k', 'v']) {
      b.node('Reshape', [t, 'heads'], [`${t}4`], {}, `/attn/Reshape_${t}`);
      b.node('Transpose', [`${t}4`], [`${t}h`], { perm: [0, 2, 1, 3] }, `/attn/Transpose_${t}`);
    }
    b.node('Transpose', ['kh'], ['khT'], { perm: [0, 1, 3, 2] });
    b.node('MatMul', ['qh', 'khT'], ['scores'], {}, '/attn/MatMul_scores'); // [B, H, T, T]
    // mask[i, j] = j > i, from Range(0, T, 1)
    b.initInts('zero', [], [0]).initInts('one', [], [1]).initInts('ax1', [1], [1]);
    b.node('Range', ['zero', 'T', 'one'], ['pos'], {}, '/Range');
    b.node('Unsqueeze', ['pos', 'ax0'], ['row']);
    b.node('Unsqueeze', ['pos', 'ax1'], ['col']);
    b.node('Greater', ['row', 'col'], ['mask'], {}, '/Greater');
    b.init('neginf', [], [-1e9]);
    b.node('Where', ['mask', 'neginf', 'scores'], ['masked'], {}, '/Where');
    b.node('Softmax', ['masked'], ['att'], { axis: -1 });
    b.node('MatMul', ['att', 'vh'], ['ctx'], {}, '/attn/MatMul_ctx');
    b.node('Transpose', ['ctx'], ['ctxT'], { perm: [0, 2, 1, 3] });
    b.initInts('cc', [1], [C]);
    b.node('Concat', ['B1', 'T1', 'cc'], ['merged'], { axis: 0 });
    b.node('Reshape', ['ctxT', 'merged'], ['attn_out'], {}, '/attn/Reshape_out');
    b.init('ln_s', [C], w([C])).init('ln_b', [C], w([C]));
    b.node('LayerNormalization', ['attn_out', 'ln_s', 'ln_b'], ['ln'], { axis: -1, epsilon: float(1e-5) }, '/ln');
    // Erf-based GELU, then a mean over the last axis (axes as an input, opset 18).
    b.init('rs2', [], [Math.SQRT1_2]).init('half', [], [0.5]).init('onef', [], [1]);
    b.node('Mul', ['ln', 'rs2'], ['g1']);
    b.node('Erf', ['g1'], ['g2']);
    b.node('Add', ['g2', 'onef'], ['g3']);
    b.node('Mul', ['ln', 'g3'], ['g4']);
    b.node('Mul', ['g4', 'half'], ['gelu']);
    b.initInts('axl', [1], [-1]);
    b.node('ReduceMean', ['gelu', 'axl'], ['out'], { keepdims: 1 }, '/ReduceMean');
    // torch.triu(ones(T, T)) as exported: ConstantOfShape of [T, T], then Trilu.
    b.node('Concat', ['T1', 'T1'], ['tt'], { axis: 0 });
    b.node('ConstantOfShape', ['tt'], ['ones_tt'], { value: makeFloatTensor('', [1], [1]) });
    b.node('Trilu', ['ones_tt'], ['tri'], { upper: 1 }, '/Trilu');
    const m = b.build();
    const info = inferShapes(buildGraph(m));
    expect(info.types.get('scores')!.shape).toEqual(['B', H, 'T', 'T']);
    expect(info.types.get('mask')!.shape).toEqual(['T', 'T']);
    expect(info.types.get('attn_out')!.shape).toEqual(['B', 'T', C]);
    await checkAgainstOrt(m, FEEDS);
  });

  it('Einsum with an explicit output, and Tile by computed repeats', async () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 'T', C]).output('e').output('tiled');
    sizes(b, 'x');
    b.init('we', [C, 3], w([C, 3]));
    b.node('Einsum', ['x', 'we'], ['e'], { equation: 'btc,cd->btd' }, '/Einsum');
    b.initInts('rep_rest', [2], [1, 2]);
    b.node('Concat', ['B1', 'rep_rest'], ['reps'], { axis: 0 });
    b.node('Tile', ['x', 'reps'], ['tiled'], {}, '/Tile'); // [B·B, T, 2C]
    const m = b.build();
    expect(inferShapes(buildGraph(m)).types.get('tiled')!.shape).toEqual(['B*B', 'T', 2 * C]);
    await checkAgainstOrt(m, FEEDS);
  });

  it('a declared value_info that contradicts the inference is reported, and the declared shape kept', () => {
    const b = new ModelBuilder().opset(17);
    b.input('x', ['B', 'T', C]).output('y');
    sizes(b, 'x');
    b.node('Mul', ['B', 'T'], ['BT']);
    b.node('Unsqueeze', ['BT', 'ax0'], ['BT1']);
    b.initInts('c', [1], [C]);
    b.node('Concat', ['BT1', 'c'], ['s'], { axis: 0 });
    b.node('Reshape', ['x', 's'], ['y']);
    b.graph.valueInfo.push(makeValueInfo('y', DataType.FLOAT, ['B*T', C + 1]));
    const info = inferShapes(buildGraph(b.build()));
    expect(info.conflicts.map((c) => c.value)).toEqual(['y']);
    expect(info.types.get('y')!.shape).toEqual(['B*T', C + 1]);
  });
});
