/** Seeded fuzzing of the reader and the whole page pipeline; `npm run fuzz` runs the long version. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeCase, type Seed } from './mutations';
import { runFuzzCase } from './fuzzCase';

const dir = join(__dirname, '../../../public/examples');
const seeds: Seed[] = readdirSync(dir)
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));

describe('fuzz', () => {
  it('the unmutated seeds all open as models', () => {
    expect(seeds.length).toBeGreaterThan(5);
    for (const s of seeds) expect(runFuzzCase(s.bytes)).toMatchObject({ ok: true, result: 'model' });
  });

  it('3,000 seeded cases: each ends in a model or a typed error, quickly', () => {
    const failures: string[] = [];
    const results = { model: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const c = makeCase(seeds, 20261124, i);
      const o = runFuzzCase(c.bytes);
      if (o.ok) results[o.result]++;
      else failures.push(`case ${i} (${c.kind} of ${c.base || 'random bytes'}): ${o.problem}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Both outcomes must occur, or the mutations are not reaching past the first check.
    expect(results.model).toBeGreaterThan(100);
    expect(results.error).toBeGreaterThan(100);
  });

  it('the runner catches an untyped failure (the check can fail)', () => {
    // Not bytes at all: the pipeline throws a TypeError, which must be reported, not counted as ok.
    const o = runFuzzCase(undefined as unknown as Uint8Array);
    expect(o.ok).toBe(false);
  });
});
