import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeModel } from '../analysis';
import { buildGraphView } from './graphView';
import { ancestorsOf, buildHierarchy, initialExpansion, isGroupId, MAX_CHILDREN, ROOT, scopeOf } from './hierarchy';
import { GroupLayout } from './groupLayout';
import { pathOrder } from './pathOrder';
import { corpusBytes, corpusIt } from '../testing/corpus';
import { syntheticModel } from '../../examples/synthetic';
import { ModelBuilder } from '../onnx/builder';

function setup(a: ReturnType<typeof analyzeModel>) {
  const view = buildGraphView(a);
  const h = buildHierarchy(view);
  return { view, h, layout: new GroupLayout(view, h) };
}

describe('name-scope hierarchy', () => {
  it('reads scopes from exporter names', () => {
    expect(scopeOf('/features/features.3/block/block.2/block.2.1/BatchNormalization')).toEqual(['features', 'features.3', 'block', 'block.2', 'block.2.1']);
    expect(scopeOf('Gemm_0')).toEqual([]);
    expect(scopeOf('/Conv')).toEqual([]);
  });

  corpusIt('MobileNetV3: every node in exactly one group, bounded children, pair counts add up', () => {
    const { view, h } = setup(analyzeBytes(corpusBytes('mobilenet_v3_small.onnx')));
    const placed = new Set<string>();
    for (const g of h.groups.values()) {
      expect(g.children.length).toBeLessThanOrEqual(MAX_CHILDREN);
      for (const c of g.children) if (!isGroupId(c)) placed.add(c);
    }
    expect(placed.size).toBe(view.nodes.length);
    expect(h.groups.get(ROOT)!.nodeCount).toBe(view.nodes.length);
    expect([...h.groups.keys()]).toContain('g:/features/features.3');
  });

  it('a model without scopes is chunked the same way', () => {
    const { view, h } = setup(analyzeModel(syntheticModel({ nodes: 3000, scoped: false })));
    expect(h.groups.get(ROOT)!.children.length).toBeLessThanOrEqual(MAX_CHILDREN);
    expect(h.groups.get(ROOT)!.nodeCount).toBe(view.nodes.length);
    for (const g of h.groups.values()) expect(g.children.length).toBeLessThanOrEqual(MAX_CHILDREN);
  });
});

describe('grouped layout', () => {
  corpusIt('the first view of any model is a bounded number of boxes', () => {
    for (const a of [analyzeBytes(corpusBytes('mobilenet_v3_small.onnx')), analyzeModel(syntheticModel({ nodes: 20000 })), analyzeModel(syntheticModel({ nodes: 20000, scoped: false }))]) {
      const { h, layout } = setup(a);
      const r = layout.layout(initialExpansion(h));
      const shown = r.items.filter((i) => i.kind !== 'frame').length;
      expect(shown).toBeGreaterThan(1);
      expect(shown).toBeLessThanOrEqual(100);
    }
  });

  it('collapsed boxes carry pair counts; expanding one group lays out only it and its ancestors', () => {
    const a = analyzeModel(syntheticModel({ nodes: 2000 }));
    const { h, layout } = setup(a);
    const heads = h.groups.get('g:/heads')!;
    // The heads hold the Linear→BN pairs; the Conv→BN pairs sit in the layers.
    const inHeads = a.pairs.filter((p) => p.pattern !== 'conv-bn');
    expect(heads.fusable).toBe(inHeads.filter((p) => p.fusable).length);
    expect(heads.blocked).toBe(inHeads.filter((p) => !p.fusable).length);
    expect(h.groups.get('g:/layer1')!.fusable).toBeGreaterThan(0);
    const first = layout.layout([]);
    expect(first.laidOut).toEqual([ROOT]);
    const open = layout.layout(['g:/heads']);
    expect(open.laidOut.sort()).toEqual(['g:/heads', ROOT].sort());
    // Expanding a sibling leaves the first group's layout cached.
    const both = layout.layout(['g:/heads', 'g:/layer1']);
    expect(both.laidOut).not.toContain('g:/heads');
    expect(both.laidOut).toContain('g:/layer1');
  });

  corpusIt('edges connect the visible representatives, and frames contain their children', () => {
    const a = analyzeBytes(corpusBytes('mobilenet_v3_small.onnx'));
    const { h, layout } = setup(a);
    const exp = initialExpansion(h);
    const r = layout.layout(exp);
    const ids = new Set(r.items.map((i) => i.id));
    for (const e of r.edges) {
      expect(ids.has(e.source), e.source).toBe(true);
      expect(ids.has(e.target), e.target).toBe(true);
    }
    const byId = new Map(r.items.map((i) => [i.id, i]));
    for (const it of r.items) {
      const anc = ancestorsOf(h, it.id);
      const parent = anc[anc.length - 1];
      if (!parent) continue;
      const f = byId.get(parent)!;
      expect(f.kind).toBe('frame');
      expect(it.x).toBeGreaterThanOrEqual(f.x);
      expect(it.y).toBeGreaterThanOrEqual(f.y);
      expect(it.x + it.width).toBeLessThanOrEqual(f.x + f.width + 0.01);
      expect(it.y + it.height).toBeLessThanOrEqual(f.y + f.height + 0.01);
    }
  });

  it('one drawn edge per pair of items, labelled with the count of distinct tensors it stands for', () => {
    // Group /a hands two tensors to group /b, one of them twice (Add reads it, so does Mul): collapsed,
    // that is one edge of 2 tensors; /b hands one tensor to the output.
    const b = new ModelBuilder('bundle').opset(14);
    b.input('x', [1, 4]).output('y', [1, 4]);
    b.node('Relu', ['x'], ['t1'], {}, '/a/Relu');
    b.node('Sigmoid', ['x'], ['t2'], {}, '/a/Sigmoid');
    b.node('Add', ['t1', 't2'], ['s'], {}, '/b/Add');
    b.node('Mul', ['s', 't1'], ['y'], {}, '/b/Mul');
    const { view, h, layout } = setup(analyzeModel(b.build()));
    for (const open of [[], [...h.groups.keys()]]) {
      const r = layout.layout(open);
      // A node is drawn as its outermost closed group, or as itself inside open ones.
      const rep = (id: string) => ancestorsOf(h, id).find((g) => !open.includes(g)) ?? id;
      const want = new Map<string, Set<string>>();
      for (const e of view.edges) {
        const [s, t] = [rep(e.source), rep(e.target)];
        if (s === t) continue;
        const k = `${s} ${t}`;
        if (!want.has(k)) want.set(k, new Set());
        want.get(k)!.add(e.value);
      }
      expect(r.edges.length).toBe(want.size);
      for (const e of r.edges) {
        const values = want.get(`${e.source} ${e.target}`);
        expect(values, `${e.source} → ${e.target}`).toBeDefined();
        if (values!.size > 1) expect(e.label).toBe(`${values!.size} tensors`);
        else expect(e.label).not.toMatch(/tensors$/);
      }
    }
    // Closed, /a → /b carries t1 and t2 (t1 read twice counts once).
    const closed = layout.layout([]).edges.find((e) => e.source === 'g:/a' && e.target === 'g:/b');
    expect(closed?.label).toBe('2 tensors');
  });

  it('a 50,000-node model starts with a bounded view', () => {
    const a = analyzeModel(syntheticModel({ nodes: 50000 }));
    const { h, layout } = setup(a);
    const r = layout.layout(initialExpansion(h));
    expect(r.items.length).toBeLessThan(200);
  });
});

describe('fast layouts', () => {
  it('pathOrder finds a simple path through all children, and nothing else', () => {
    expect(pathOrder(['a', 'b', 'c'], [['b', 'c'], ['a', 'b']])).toEqual({ order: ['a', 'b', 'c'], skips: [] });
    expect(pathOrder(['a'], [])).toEqual({ order: ['a'], skips: [] });
    expect(pathOrder(['a', 'b', 'c'], [['a', 'b'], ['a', 'c']])).toBeNull();
    expect(pathOrder(['a', 'b', 'c'], [['a', 'b']])).toBeNull();
    expect(pathOrder(['a', 'b'], [['a', 'b'], ['b', 'a']])).toBeNull();
    expect(pathOrder(['a', 'b', 'c'], [['a', 'b'], ['b', 'a']])).toBeNull();
  });

  it('every expanded layout is non-overlapping: chains as columns, identical groups reusing one dagre layout', () => {
    for (const a of [analyzeModel(syntheticModel({ nodes: 2000 })), analyzeModel(syntheticModel({ nodes: 1500, scoped: false }))]) {
      const { h, layout } = setup(a);
      const r = layout.layout([...h.groups.keys()]);
      const leaves = r.items.filter((i) => i.kind !== 'frame');
      // Siblings never overlap: sort by y and compare neighbours that share x ranges.
      const byDepth = new Map<number, typeof leaves>();
      for (const it of leaves) byDepth.set(it.depth, [...(byDepth.get(it.depth) ?? []), it]);
      for (const list of byDepth.values()) {
        list.sort((p, q) => p.y - q.y);
        for (let i = 1; i < list.length; i++) {
          const p = list[i - 1];
          const q = list[i];
          const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
          expect(overlap, `${p.id} / ${q.id}`).toBe(false);
        }
      }
    }
  });

  corpusIt('the transformer’s twelve identical layers are laid out once and placed twelve times', () => {
    const { h, layout } = setup(analyzeBytes(corpusBytes('vit_tiny_encoder12.onnx')));
    const r = layout.layout([...h.groups.keys()]);
    const attn = (i: number) => r.items.find((x) => x.id === `g:/encoder/layers.${i}/self_attn`);
    const a0 = attn(0);
    const a5 = attn(5);
    expect(a0 && a5).toBeTruthy();
    expect(a5!.width).toBe(a0!.width);
    expect(a5!.height).toBe(a0!.height);
  });
});
