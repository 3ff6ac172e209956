/**
 * Widths of the page's sans-serif text, estimated without a font (the layout runs in a worker and
 * in Node): per character class, in ems, set from DejaVu Sans — among the widest of the common UI
 * fonts, so a box sized by it holds its text in narrower fonts too (Segoe UI, SF, Roboto).
 */
import { shortenMiddle } from './names';

export interface Font {
  px: number;
  bold: boolean;
}

function em(c: string): number {
  if ('ijl.,:;\'|!I'.includes(c)) return 0.34;
  if ('frt/()[]-· '.includes(c)) return 0.44;
  if ('mwMW×✓✗…'.includes(c)) return 1.0;
  if (c >= 'A' && c <= 'Z') return 0.78;
  return 0.66;
}

/** The estimated width of `s` in pixels. */
export function textWidth(s: string, font: Font): number {
  let w = 0;
  for (const c of s) w += em(c);
  return w * font.px * (font.bold ? 1.1 : 1);
}

/** `s`, shortened in the middle until its estimated width is at most `maxPx` (unchanged when it fits). */
export function fitText(s: string, maxPx: number, font: Font): string {
  if (textWidth(s, font) <= maxPx) return s;
  let n = s.length - 1;
  while (n > 5 && textWidth(shortenMiddle(s, n), font) > maxPx) n--;
  return shortenMiddle(s, n);
}
