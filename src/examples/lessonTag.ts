/**
 * The verdict tag a lesson gets in the lessons list, from its example's expected verdicts: a lesson
 * whose model holds both kinds of pair is tagged with both counts, not with the verdict of the one
 * pair it selects.
 */
import type { ExampleIndexEntry } from './exampleFiles';
import type { Lesson } from './lessons';

/** How many of an example's pairs are fusable and how many are not. */
export function exampleHolds(e: Pick<ExampleIndexEntry, 'expect'>): { ok: number; no: number } {
  const v = Object.values(e.expect);
  const ok = v.filter((x) => x.fusable).length;
  return { ok, no: v.length - ok };
}

export type LessonTag = { kind: 'folds' } | { kind: 'does-not' } | { kind: 'both'; ok: number; no: number };

export function lessonTag(lesson: Pick<Lesson, 'fusable'>, example: Pick<ExampleIndexEntry, 'expect'> | undefined): LessonTag {
  const h = example ? exampleHolds(example) : { ok: 0, no: 0 };
  if (h.ok > 0 && h.no > 0) return { kind: 'both', ...h };
  return lesson.fusable ? { kind: 'folds' } : { kind: 'does-not' };
}
