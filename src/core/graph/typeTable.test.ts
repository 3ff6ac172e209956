import { describe, expect, it } from 'vitest';
import { UNKNOWN, type ValueType } from './dims';
import { TypeTable } from './typeTable';

describe('TypeTable', () => {
  it('gives equal types one object, and keeps unequal ones apart', () => {
    const t = new TypeTable();
    const a = t.one({ dtype: 1, shape: ['batch', 64, 56, 56] });
    expect(t.one({ dtype: 1, shape: ['batch', 64, 56, 56] })).toBe(a);
    const others: ValueType[] = [
      { dtype: 7, shape: ['batch', 64, 56, 56] },
      { dtype: 1, shape: ['batch', 56, 64, 56] },
      { dtype: 1, shape: [1, 64, 56, 56] },
      { dtype: 1, shape: [null, 64, 56, 56] },
      { dtype: 1, shape: ['batch', 64, 56] },
      { dtype: undefined, shape: ['batch', 64, 56, 56] },
      { dtype: 1, shape: null },
    ];
    for (const o of others) {
      const got = t.one(o);
      expect(got).not.toBe(a);
      expect(got).toEqual(o);
    }
    expect(t.one({ dtype: undefined, shape: null })).toBe(UNKNOWN);
    expect(t.one({ dtype: 1, shape: [] })).toBe(t.one({ dtype: 1, shape: [] }));
  });

  it('past its limit per dtype and rank, a new shape is returned as it is', () => {
    const t = new TypeTable();
    for (let i = 0; i < 200; i++) t.one({ dtype: 1, shape: [i] });
    const late = { dtype: 1, shape: [500] };
    expect(t.one(late)).toBe(late);
    expect(t.one({ dtype: 1, shape: [500] })).toEqual(late);
    // The first ones are still shared.
    expect(t.one({ dtype: 1, shape: [3] })).toBe(t.one({ dtype: 1, shape: [3] }));
  });
});
