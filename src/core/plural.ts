/** Counted nouns as people write them: "1 node", "4 nodes". */

/** "1 channel", "4 channels", "? channels" when the number is unknown. */
export function count(n: number | null, noun: string): string {
  return `${n ?? '?'} ${noun}${n === 1 ? '' : 's'}`;
}
