/** What the store needs of the browser, behind one interface so the store runs in Vitest with a fake. */
import { readHash, writeHash, type HashState } from '../urlState';
import { saveBlob, svgToPngBlob } from '../download';

export interface PageEnv {
  /** The page's origin; models are fetched from it only. */
  origin: string;
  /** Resolves a URL against the page's. */
  resolve(url: string): URL;
  fetchBytes(url: URL): Promise<ArrayBuffer>;
  /** The `?model=` the page was opened with. */
  modelParam(): string | null;
  /** Puts `?model=` (or removes it) without reloading, so a reload or a shared link reopens the same model. */
  setModelParam(url: string | null): void;
  readHash(): HashState;
  writeHash(h: HashState): void;
  save(blob: Blob, fileName: string): void;
  confirm(message: string): boolean;
  svgToPng(svg: string): Promise<Blob>;
  mark(name: string): void;
}

export function browserEnv(): PageEnv {
  return {
    origin: window.location.origin,
    resolve: (url) => new URL(url, window.location.href),
    async fetchBytes(url) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`The server answered ${res.status} ${res.statusText} for ${url.pathname}.`);
      return res.arrayBuffer();
    },
    modelParam: () => new URLSearchParams(window.location.search).get('model'),
    setModelParam(url) {
      const p = new URLSearchParams(window.location.search);
      if (url === null) p.delete('model');
      else p.set('model', url);
      const q = p.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${q ? `?${q}` : ''}`);
    },
    readHash: () => readHash(),
    writeHash,
    save: saveBlob,
    confirm: (m) => window.confirm(m),
    svgToPng: svgToPngBlob,
    mark: (name) => performance.mark(name),
  };
}

/** The URL a model may be opened from (this site only: nothing is fetched from other origins), or why not. */
export function sameOriginUrl(env: PageEnv, url: string): URL | string {
  let target: URL;
  try {
    target = env.resolve(url);
  } catch {
    return 'That is not a valid URL.';
  }
  if (target.origin !== env.origin) return 'Only models on this site can be opened by URL; nothing is fetched from other origins. Drop the file on the page instead.';
  return target;
}
