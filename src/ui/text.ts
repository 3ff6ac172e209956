/** Small wording helpers shared by the page's components. */

/** "1 channel", "4 channels", "? channels" when the number is unknown. */
export function count(n: number | null, noun: string): string {
  return `${n ?? '?'} ${noun}${n === 1 ? '' : 's'}`;
}
