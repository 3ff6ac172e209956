/** Every lesson opens a real example, selects a pair that exists, and its text is written for that pair's verdict. */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../core/analysis';
import { exampleById } from './catalog';
import { LESSONS } from './lessons';
import { exampleIndex } from './exampleFiles';
import { lessonTag } from './lessonTag';
import { COLOUR_WORDS } from '../core/testing/colourWords';

describe('lessons', () => {
  it('have unique ids and cover the chapters in order, once each', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    const chapters = LESSONS.map((l) => l.chapter).filter((c, i, a) => a.indexOf(c) === i);
    // A chapter's lessons are next to each other: no chapter comes back later.
    const seq = LESSONS.map((l) => l.chapter).filter((c, i, a) => i === 0 || a[i - 1] !== c);
    expect(seq).toEqual(chapters);
    expect(LESSONS[0].fusable).toBe(true);
  });

  it('name no colours: a label is named by its words', () => {
    for (const l of LESSONS) {
      expect(l.text, l.id).not.toMatch(COLOUR_WORDS);
      expect(l.tryIt, l.id).not.toMatch(COLOUR_WORDS);
      expect(l.title, l.id).not.toMatch(COLOUR_WORDS);
    }
  });

  it('are tagged with both counts when their model holds both kinds of pair, else with their pair’s verdict', () => {
    const index = exampleIndex();
    for (const l of LESSONS) {
      const pairs = analyzeModel(exampleById(l.example)!.build()).pairs;
      const ok = pairs.filter((p) => p.fusable).length;
      const no = pairs.length - ok;
      const tag = lessonTag(l, index.examples.find((e) => e.id === l.example));
      if (ok > 0 && no > 0) expect(tag, l.id).toEqual({ kind: 'both', ok, no });
      else expect(tag, l.id).toEqual({ kind: l.fusable ? 'folds' : 'does-not' });
    }
    expect(lessonTag(LESSONS.find((l) => l.id === 'mlp')!, index.examples.find((e) => e.id === 'mlp'))).toEqual({ kind: 'both', ok: 2, no: 2 });
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
