import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InspectorSession } from '../../core/session/inspectorSession';
import { StringTable } from './stringTable';
import { joinResult, splitResult } from './chunks';

const PUBLIC = resolve(fileURLToPath(import.meta.url), '../../../../public');

describe('StringTable', () => {
  it('keeps a reply as it was, with one table entry per distinct string', () => {
    const snap = new InspectorSession().open('mlp.onnx', new Uint8Array(readFileSync(resolve(PUBLIC, 'examples/mlp.onnx'))));
    const cloned = structuredClone(snap);
    const distinct = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') distinct.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
    };
    walk(cloned);
    const table = new StringTable();
    expect(table.intern(cloned)).toBe(cloned);
    expect(cloned).toEqual(snap);
    expect(table.size).toBe(distinct.size);
    // Many more strings than distinct ones: the case the table is for.
    let all = 0;
    const count = (v: unknown): void => {
      if (typeof v === 'string') all++;
      else if (Array.isArray(v)) v.forEach(count);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(count);
    };
    count(cloned);
    expect(all).toBeGreaterThan(2 * distinct.size);
  });

  it('works part by part, as large replies arrive, and leaves typed arrays alone', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `n${i % 7}`, kind: 'node', data: new Float32Array([i]) }));
    const { parts, rest } = splitResult({ layout: { items } });
    const table = new StringTable();
    const joined = joinResult(table.intern(structuredClone(rest)), parts.map((p) => table.intern(structuredClone(p)))) as { layout: { items: typeof items } };
    expect(joined.layout.items).toEqual(items);
    // n0…n6 and 'node', and the parts' path ('layout', 'items').
    expect(table.size).toBe(10);
  });
});
