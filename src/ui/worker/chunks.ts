/**
 * Large results travel in parts. A snapshot of a 50,000-node model holds hundreds of thousands of
 * small objects; read in one message, their copy took the page's main thread 250 ms in one task.
 * Every array over `CHUNK` items (at the top of the result or one level down, such as
 * `layout.items`) is sent ahead in slices, each its own message and so its own short task, and put
 * back in place when the result arrives.
 */

import { isPlainRecord } from './plainRecord';

/** Items per part: a part's copy stays well under a 50 ms task. */
export const CHUNK = 2000;

export interface Part {
  path: string[];
  items: unknown[];
}

type Obj = Record<string, unknown>;

/** The parts to send first, and the result with those arrays left empty. */
export function splitResult(result: unknown): { parts: Part[]; rest: unknown } {
  const parts: Part[] = [];
  const strip = (o: Obj, path: string[], depth: number): Obj => {
    let copy: Obj | null = null;
    for (const [k, v] of Object.entries(o)) {
      let next: unknown = v;
      if (Array.isArray(v) && v.length > CHUNK) {
        for (let i = 0; i < v.length; i += CHUNK) parts.push({ path: [...path, k], items: v.slice(i, i + CHUNK) });
        next = [];
      } else if (depth === 0 && isPlainRecord(v)) {
        const inner = strip(v, [...path, k], depth + 1);
        if (inner !== v) next = inner;
      }
      if (next !== v) copy ??= { ...o };
      if (copy) copy[k] = next;
    }
    return copy ?? o;
  };
  const rest = isPlainRecord(result) ? strip(result, [], 0) : result;
  return { parts, rest };
}

/** Puts the parts back into the result, in the order they came. */
export function joinResult(rest: unknown, parts: readonly Part[]): unknown {
  if (parts.length === 0 || !isPlainRecord(rest)) return rest;
  for (const p of parts) {
    let o: Obj = rest;
    for (const k of p.path.slice(0, -1)) o = o[k] as Obj;
    const key = p.path[p.path.length - 1];
    const arr = o[key] as unknown[];
    for (const it of p.items) arr.push(it);
  }
  return rest;
}
