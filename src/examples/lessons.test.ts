/** Every lesson opens a real example, selects a pair that exists, and its text is written for that pair's verdict. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../core/analysis';
import { exampleById } from './catalog';
import { LESSONS } from './lessons';

describe('lessons', () => {
  it('have unique ids and cover the chapters in order, once each', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    const chapters = LESSONS.map((l) => l.chapter).filter((c, i, a) => a.indexOf(c) === i);
    // A chapter's lessons are next to each other: no chapter comes back later.
    const seq = LESSONS.map((l) => l.chapter).filter((c, i, a) => i === 0 || a[i - 1] !== c);
    expect(seq).toEqual(chapters);
    expect(LESSONS[0].fusable).toBe(true);
  });

  for (const l of LESSONS) {
    it(`${l.id}: the pair ${l.pair} of ${l.example} exists and is ${l.fusable ? 'fusable' : 'not fusable'}`, () => {
      const ex = exampleById(l.example);
      expect(ex, l.example).toBeDefined();
      const pair = analyzeModel(ex!.build()).pairs.find((p) => p.id === l.pair);
      expect(pair, `${l.example} has pairs ${analyzeModel(ex!.build()).pairs.map((p) => p.id).join(', ')}`).toBeDefined();
      expect(pair!.fusable).toBe(l.fusable);
    });
  }
});
