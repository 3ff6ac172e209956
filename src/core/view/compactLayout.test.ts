import { describe, expect, it } from 'vitest';
import { shortName } from './names';
import { compactNodeSize } from './layout';
import { columns } from './columns';
import { showsWhole } from './startView';
import { textWidth } from './textWidth';

describe('compact nodes and wrapped columns', () => {
  it("a compact node names itself within its frame, without repeating its op type", () => {
    expect(shortName('/features/features.1/block/block.0/block.0.0/Conv', 'Conv', '/features/features.1/block/block.0')).toBe('block.0.0');
    expect(shortName('/encoder/layers.0/self_attn/MatMul_1', 'MatMul', '/encoder/layers.0/self_attn')).toBe('MatMul_1');
    expect(shortName('/encoder/layers.0/Add', 'Add', '/encoder/layers.0')).toBe('');
    expect(shortName('Identity_0', 'Identity', '')).toBe('Identity_0');
    expect(shortName('/x/Op', 'com.microsoft.Op', '/x')).toBe('');
  });

  it('a compact node is one line tall (a BatchNormalization one more for its verdict) and as wide as its line', () => {
    const plain = compactNodeSize({ opType: 'Conv' }, 'block.0.0');
    const bn = compactNodeSize({ opType: 'BatchNormalization', pair: { id: 'p', fusable: true, short: 'fusable' } }, 'block.0.1');
    const blocked = compactNodeSize({ opType: 'BatchNormalization', pair: { id: 'p', fusable: false, short: 'different axes (rank ≠ 2)' } }, 'bn');
    expect(bn.height).toBeGreaterThan(plain.height);
    expect(blocked.height).toBeGreaterThan(bn.height);
    expect(bn.width).toBeGreaterThanOrEqual(textWidth('BatchNormalization', { px: 13, bold: true }) + textWidth('block.0.1', { px: 13, bold: false }));
    // The detailed card is 68 px tall for a plain node: the compact one is well under half.
    expect(plain.height).toBeLessThan(34);
  });

  it('a chain taller than a column wraps into columns side by side, each within the height', () => {
    const sizes = Array.from({ length: 30 }, () => ({ width: 100, height: 30 }));
    const order = sizes.map((_, i) => i);
    const one = columns(order, sizes, { rankSep: 20, column: null });
    expect(one.height).toBe(30 * 30 + 29 * 20);
    const wrapped = columns(order, sizes, { rankSep: 20, column: 500 });
    expect(wrapped.height).toBeLessThanOrEqual(500);
    const xs = new Set(order.map((i) => wrapped.boxes[4 * i]));
    expect(xs.size).toBe(Math.ceil(30 / Math.floor((500 + 20) / 50)));
    // Path order runs down each column, then on to the next one's top.
    for (let i = 1; i < 30; i++) {
      const [x0, y0, x1, y1] = [wrapped.boxes[4 * (i - 1)], wrapped.boxes[4 * (i - 1) + 1], wrapped.boxes[4 * i], wrapped.boxes[4 * i + 1]];
      expect(x1 > x0 || (x1 === x0 && y1 > y0)).toBe(true);
    }
  });

  it('a short lead (a graph input) shares the column of the tall child after it', () => {
    const sizes = [{ width: 100, height: 30 }, { width: 900, height: 480 }];
    const laid = columns([0, 1], sizes, { rankSep: 20, column: 500 });
    expect(laid.boxes[0 * 4]).toBeLessThan(320);
    expect(laid.boxes[1 * 4]).toBe(0);
    expect(laid.boxes[1 * 4 + 1]).toBe(50);
  });

  it('showsWhole: whether a view holds items entirely', () => {
    const it = { id: 'a', kind: 'node' as const, x: 10, y: 10, width: 100, height: 30, depth: 0 };
    expect(showsWhole({ x: 0, y: 0, zoom: 1 }, [it], { width: 200, height: 100 })).toBe(true);
    expect(showsWhole({ x: -50, y: 0, zoom: 1 }, [it], { width: 200, height: 100 })).toBe(false);
  });
});
