/**
 * The ids of everything drawn: op nodes (`n<index>`), graph inputs (`in:<name>`) and outputs
 * (`out:<name>`), and name-scope groups (`g:<path>`, the root `g:`). One place makes and reads them.
 */

/** The root group: the whole model. */
export const ROOT = 'g:';

/**
 * One string per index, whoever asks: the view, the pairs, the layout and the comparison all name
 * nodes, and a 10,000-node model held ~17,000 copies of its ids. (Kept across models: at most one
 * short string per index of the largest model opened.)
 */
const nodeIds: string[] = [];

export function nodeId(index: number): string {
  return (nodeIds[index] ??= `n${index}`);
}

export function inputId(name: string): string {
  return `in:${name}`;
}

export function outputId(name: string): string {
  return `out:${name}`;
}

export function groupId(path: string): string {
  return `g:${path}`;
}

export function isGroupId(id: string): boolean {
  return id.startsWith('g:');
}

export type ParsedId = { kind: 'node'; index: number } | { kind: 'input'; name: string } | { kind: 'output'; name: string } | { kind: 'group'; path: string } | { kind: 'unknown' };

/** The index in an op node's id (`n<index>`), or -1 for any other id. Read without a regex: the page looks up every drawn item's id. */
export function nodeIndexOf(id: string): number {
  if (id.length < 2 || id.length > 10 || id.charCodeAt(0) !== 110) return -1;
  // `nodeId` never writes a leading zero: "n01" is not node 1.
  if (id.charCodeAt(1) === 48 && id.length > 2) return -1;
  let n = 0;
  for (let i = 1; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export function parseId(id: string): ParsedId {
  const index = nodeIndexOf(id);
  if (index >= 0) return { kind: 'node', index };
  if (id.startsWith('in:')) return { kind: 'input', name: id.slice(3) };
  if (id.startsWith('out:')) return { kind: 'output', name: id.slice(4) };
  if (id.startsWith('g:')) return { kind: 'group', path: id.slice(2) };
  return { kind: 'unknown' };
}
