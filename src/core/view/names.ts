/** Long names made to fit: shortened in the middle, so both the scope and the op stay readable. */

/** `s` cut to at most `max` characters, the middle replaced by "…". */
export function shortenMiddle(s: string, max: number): string {
  if (s.length <= max || max < 5) return s;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (keep - head))}`;
}

/** The longest common prefix of the names that ends at a `/` (a shared scope), or ''. */
export function commonScope(names: readonly string[]): string {
  if (names.length < 2) return '';
  let p = names[0];
  for (const n of names.slice(1)) {
    let i = 0;
    while (i < p.length && i < n.length && p[i] === n[i]) i++;
    p = p.slice(0, i);
  }
  const cut = p.lastIndexOf('/');
  return cut >= 0 ? p.slice(0, cut + 1) : '';
}

/**
 * What a compact node says after its op type: the node's name less the scope of the group drawn
 * around it (`/features/features.1/block/block.0/block.0.0/Conv` in `…/block.0` is `block.0.0`), less
 * a last segment that only repeats the op type; '' when nothing is left. The full name stays in the
 * node's title, its details and what a screen reader hears.
 */
export function shortName(name: string, opType: string, scope: string): string {
  const rest = scope !== '' && name.startsWith(`${scope}/`) ? name.slice(scope.length + 1) : name.replace(/^\/+/, '');
  const parts = rest.split('/').filter((p) => p !== '');
  const op = opType.slice(opType.lastIndexOf('.') + 1);
  if (parts.length > 0 && parts[parts.length - 1] === op) parts.pop();
  return parts.join('/');
}
