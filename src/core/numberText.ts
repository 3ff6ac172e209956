/**
 * Numbers as people write them. A float32 read from a model (an epsilon stored as 1e-5 reads back
 * as 0.000009999999747378752 in float64) is printed as the shortest decimal that reads back as the
 * same float32: `1e-5`, `0.1`, `3.14159`.
 */

/** The shortest decimal text whose float32 rounding is `x`'s float32 rounding. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const f = Math.fround(x);
  if (f === 0) return '0';
  for (let digits = 1; digits <= 9; digits++) {
    const text = f.toPrecision(digits);
    if (Math.fround(Number(text)) === f) return tidy(Number(text));
  }
  return tidy(f);
}

/** The shortest text of a float64 that reads back as itself (JavaScript's own), in the same style. */
export function float64Text(x: number): string {
  return Number.isFinite(x) ? tidy(x) : String(x);
}

/** `1e-5` rather than `0.00001`, `123456` rather than `1.23456e+5`, no `+` in exponents. */
function tidy(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e21)) return x.toExponential().replace('e+', 'e');
  return String(x);
}
