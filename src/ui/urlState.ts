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
  replaceUrl(window.location.search, hash ? `#${hash}` : '');
}

/** Replaces the page's query and hash (each with its `?` or `#`, or empty) without reloading; not at all when they are unchanged, since replaceState costs the main thread a few ms. */
export function replaceUrl(search: string, hash: string): void {
  if (search === window.location.search && hash === window.location.hash) return;
  window.history.replaceState(null, '', `${window.location.pathname}${search}${hash}`);
}

/**
 * `writeHash` a moment later, once for a burst of changes: replaceState costs the main thread 2-5 ms,
 * and a newly opened model's first hash would otherwise be written in the task that draws it.
 * What is pending is written before the page is left.
 */
export function deferredHashWriter(delayMs = 200): (s: HashState) => void {
  let pending: HashState | null = null;
  const flush = () => {
    if (!pending) return;
    const s = pending;
    pending = null;
    writeHash(s);
  };
  window.addEventListener('pagehide', flush);
  return (s) => {
    if (pending === null) setTimeout(flush, delayMs);
    pending = s;
  };
}
