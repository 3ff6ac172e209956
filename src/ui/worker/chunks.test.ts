import { describe, expect, it } from 'vitest';
import { CHUNK, joinResult, splitResult } from './chunks';

describe('results in parts', () => {
  it('splits every large array (top level and one down), and joins them back equal', () => {
    const big = Array.from({ length: CHUNK * 2 + 5 }, (_, i) => ({ i }));
    const result = { fileName: 'm.onnx', pairs: big, small: [1, 2], layout: { items: big.slice(0, CHUNK + 1), edges: [] }, nested: { deeper: { arr: big } } };
    const { parts, rest } = splitResult(result);
    expect(parts.map((p) => p.path.join('.'))).toEqual(['pairs', 'pairs', 'pairs', 'layout.items', 'layout.items']);
    expect((rest as typeof result).pairs).toEqual([]);
    expect((rest as typeof result).small).toEqual([1, 2]);
    // Deeper arrays travel whole; the original object is not changed.
    expect((rest as typeof result).nested.deeper.arr).toBe(big);
    expect(result.pairs).toHaveLength(CHUNK * 2 + 5);
    const back = joinResult(structuredClone(rest), structuredClone(parts));
    expect(back).toEqual(result);
  });

  it('leaves small results and non-objects alone', () => {
    expect(splitResult({ a: [1] })).toEqual({ parts: [], rest: { a: [1] } });
    expect(splitResult(null)).toEqual({ parts: [], rest: null });
    expect(joinResult(5, [])).toBe(5);
  });

  it('does not walk into bytes or maps: only plain records are split', () => {
    const bytes = new Uint8Array(CHUNK * 3);
    const map = new Map([['k', Array.from({ length: CHUNK + 1 }, (_, i) => i)]]);
    const result = { download: { bytes, buffer: bytes.buffer }, map, items: Array.from({ length: CHUNK + 1 }, (_, i) => i) };
    const { parts, rest } = splitResult(result);
    expect(parts.map((p) => p.path.join('.'))).toEqual(['items', 'items']);
    expect((rest as typeof result).download.bytes).toBe(bytes);
    expect((rest as typeof result).map).toBe(map);
  });
});
