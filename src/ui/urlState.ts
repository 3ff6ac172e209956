/** The view in the URL hash — selected node or pair, open groups — so a reload or a shared link reopens it. */
export interface HashState {
  node: string | null;
  pair: string | null;
  open: string[];
}

export function readHash(hash: string = window.location.hash): HashState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const open = p.get('open');
  return { node: p.get('node'), pair: p.get('pair'), open: open ? open.split('|').filter(Boolean) : [] };
}

export function writeHash(s: HashState): void {
  const p = new URLSearchParams();
  if (s.node) p.set('node', s.node);
  if (s.pair) p.set('pair', s.pair);
  if (s.open.length) p.set('open', s.open.join('|'));
  const hash = p.toString();
  const url = `${window.location.pathname}${window.location.search}${hash ? `#${hash}` : ''}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url);
}
