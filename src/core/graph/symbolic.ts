/**
 * Symbolic dims as exporters compute them: products of named dims and a whole number (`batch`,
 * `batch*197`, `batch*3`). A symbolic dim is kept as a canonical string — the symbols in name
 * order, then the coefficient — so equal products are equal strings. Sums are not represented:
 * where one would be needed the dim stays unknown (null), never guessed.
 */
import type { Dim } from './dims';

/** c · Π syms (a symbol may repeat). */
export interface Monomial {
  c: number;
  syms: string[];
}

const NUMBER = /^\d+$/;

export function toMonomial(d: Dim): Monomial | null {
  if (d === null) return null;
  if (typeof d === 'number') return Number.isSafeInteger(d) ? { c: d, syms: [] } : null;
  let c = 1;
  const syms: string[] = [];
  for (const part of d.split('*')) {
    if (NUMBER.test(part)) c *= Number(part);
    else if (part !== '') syms.push(part);
    else return { c: 1, syms: [d] }; // not a product we wrote: an opaque name
  }
  syms.sort();
  return { c, syms };
}

export function fromMonomial(m: Monomial): Dim {
  if (!Number.isSafeInteger(m.c)) return null;
  if (m.syms.length === 0 || m.c === 0) return m.c;
  const syms = [...m.syms].sort();
  return m.c === 1 ? syms.join('*') : `${syms.join('*')}*${m.c}`;
}

/** The canonical form of a dim (a product written in another order becomes the same string). */
export function canonical(d: Dim): Dim {
  const m = toMonomial(d);
  return m ? fromMonomial(m) : null;
}

export function mulDims(a: Dim, b: Dim): Dim {
  const x = toMonomial(a);
  const y = toMonomial(b);
  if (!x || !y) return null;
  return fromMonomial({ c: x.c * y.c, syms: [...x.syms, ...y.syms] });
}

/** a / b when it divides exactly (as ONNX's integer Div and Reshape's −1 need it), else null. */
export function divDims(a: Dim, b: Dim): Dim {
  const x = toMonomial(a);
  const y = toMonomial(b);
  if (!x || !y || y.c === 0 || x.c % y.c !== 0) return null;
  const syms = [...x.syms];
  for (const s of y.syms) {
    const k = syms.indexOf(s);
    if (k < 0) return null;
    syms.splice(k, 1);
  }
  return fromMonomial({ c: x.c / y.c, syms });
}

/** a + b: exact for numbers, and for adding 0; a sum of symbols cannot be written. */
export function addDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  return null;
}

export function subDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  if (a !== null && a === b) return 0;
  return null;
}

/** The product of several dims, symbolic where needed; null when any is unknown. */
export function productDims(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) {
    p = mulDims(p, d);
    if (p === null) return null;
  }
  return p;
}

/** The value of a dim for given symbol values (tests compare with the runtime's sizes). */
export function evaluateDim(d: Dim, values: ReadonlyMap<string, number>): number | null {
  const m = toMonomial(d);
  if (!m) return null;
  let v = m.c;
  for (const s of m.syms) {
    const x = values.get(s);
    if (x === undefined) return null;
    v *= x;
  }
  return v;
}
