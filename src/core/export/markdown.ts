/** Model text in Markdown: names stay literal in code spans and plain text in prose, wherever the Markdown is rendered. */

/** A table cell: a pipe or a line break in a name must not end the cell. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Model text in prose: HTML in names must stay text wherever the Markdown is rendered. */
export function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');
}

/** A code span that survives backticks in the name itself. */
export function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\n/g, ' ')}${pad}${fence}`;
}
