import { describe, expect, it } from 'vitest';
import { pathOrder } from './pathOrder';
import { columns } from './columns';
import { GroupLayout, type VisibleItem } from './groupLayout';
import { buildHierarchy, ROOT } from './hierarchy';
import type { GraphView, ViewNode } from './graphView';

/** Box i of a `columns` result. */
const box = (laid: { boxes: readonly number[] }, i: number) => ({ x: laid.boxes[4 * i], y: laid.boxes[4 * i + 1], width: laid.boxes[4 * i + 2], height: laid.boxes[4 * i + 3] });
const centre = (b: { x: number; width: number }) => b.x + b.width / 2;

describe('paths with skips, laid out as columns', () => {
  it('pathOrder: one path through all children with the other edges skipping forward; else null', () => {
    // A residual block: a → b → c → d, and a → d around b and c.
    expect(pathOrder(['d', 'b', 'a', 'c'], [['a', 'b'], ['b', 'c'], ['c', 'd'], ['a', 'd']])).toEqual({ order: ['a', 'b', 'c', 'd'], skips: [[0, 3]] });
    expect(pathOrder(['a', 'b'], [['a', 'b']])).toEqual({ order: ['a', 'b'], skips: [] });
    // Two branches side by side (b and c both read a only): no single path.
    expect(pathOrder(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']])).toBeNull();
    expect(pathOrder(['a', 'b', 'c'], [['a', 'b'], ['b', 'c'], ['c', 'a']])).toBeNull();
    expect(pathOrder(['a', 'b', 'c'], [['a', 'b']])).toBeNull();
  });

  it('a skip edge runs down the axis beside the children it passes: they sit right of it, its ends on it', () => {
    const sizes = [120, 240, 160, 120].map((width) => ({ width, height: 28 }));
    const laid = columns([0, 1, 2, 3], sizes, { rankSep: 20, column: 860 }, [[0, 3]]);
    const axis = centre(box(laid, 0));
    expect(centre(box(laid, 3))).toBe(axis);
    for (const i of [1, 2]) expect(box(laid, i).x).toBeGreaterThan(axis);
    // Without the skip, every child is centred on one axis.
    const plain = columns([0, 1, 2, 3], sizes, { rankSep: 20, column: 860 });
    expect(new Set([0, 1, 2, 3].map((i) => centre(box(plain, i)))).size).toBe(1);
  });

  it("a skip from one wrapped column to the next passes nothing: the columns' children stay centred", () => {
    const sizes = Array.from({ length: 30 }, () => ({ width: 120, height: 28 }));
    const order = sizes.map((_, i) => i);
    const laid = columns(order, sizes, { rankSep: 20, column: 500 }, [[0, 29]]);
    const xs = new Set(order.map((i) => box(laid, i).x));
    expect(xs.size).toBe(Math.ceil(30 / Math.floor((500 + 20) / 48)));
    expect(box(laid, 1).x).toBe(box(laid, 0).x);
  });

  it('a short tail after a child taller than a column goes under it when the column stays within a tenth over', () => {
    const tall = { width: 900, height: 880 };
    const norm = { width: 200, height: 28 };
    const under = columns([0, 1, 2], [tall, tall, norm], { rankSep: 20, column: 860 });
    expect(box(under, 2).y).toBe(880 + 20);
    expect(box(under, 2).x).toBe(box(under, 1).x + Math.round((Math.min(900, 320) - 200) / 2));
    // A taller tail (a block of its own) keeps a column of its own.
    const block = { width: 300, height: 170 };
    const beside = columns([0, 1, 2], [tall, tall, block], { rankSep: 20, column: 860 });
    expect(box(beside, 2).y).toBe(0);
    expect(box(beside, 2).x).toBeGreaterThan(box(beside, 1).x + 900);
  });

  it('Expand all lays out a chain of residual blocks as wrapped columns, each residual beside what it passes', () => {
    // 12 blocks /l.i: Add_a → Mul → Add_b, with Add_a → Add_b around the Mul; each block reads the one before.
    const nodes: ViewNode[] = [];
    const edges: GraphView['edges'] = [];
    const op = (id: string, name: string, opType: string) => nodes.push({ id, kind: 'op', name, opType, outputs: '[8] f32' });
    let prev: string | null = null;
    for (let i = 0; i < 12; i++) {
      const [a, m, b] = [`a${i}`, `m${i}`, `b${i}`];
      op(a, `/l.${i}/Add`, 'Add');
      op(m, `/l.${i}/Mul`, 'Mul');
      op(b, `/l.${i}/Add_1`, 'Add');
      if (prev) edges.push({ source: prev, target: a, value: `${prev}:0`, label: '[8] f32' });
      edges.push({ source: a, target: m, value: `${a}:0`, label: '[8] f32' }, { source: m, target: b, value: `${m}:0`, label: '[8] f32' }, { source: a, target: b, value: `${a}:0`, label: '[8] f32' });
      prev = b;
    }
    const view: GraphView = { nodes, edges };
    const h = buildHierarchy(view);
    const groups = [...h.groups.keys()].filter((g) => g !== ROOT);
    const byId = (items: VisibleItem[]) => new Map(items.map((it) => [it.id, it]));
    const open = byId(new GroupLayout(view, h).layout(groups).items);
    // Inside a block, the Mul the residual passes sits right of the line from Add to Add.
    const [a, m, b] = ['a0', 'm0', 'b0'].map((id) => open.get(id)!);
    expect(centre(a)).toBe(centre(b));
    expect(m.x).toBeGreaterThan(centre(a));
    // The twelve blocks (3 × 48 px each) wrap into several columns side by side.
    const frames = groups.map((g) => open.get(g)!);
    expect(new Set(frames.map((f) => f.x)).size).toBeGreaterThan(1);
    expect(Math.max(...frames.map((f) => f.y + f.height))).toBeLessThanOrEqual(860 + 30);
  });
});
