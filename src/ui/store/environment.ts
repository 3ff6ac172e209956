/** What the store needs of the browser, behind one interface so the store runs in Vitest with a fake. */
import { deferredHashWriter, readHash, replaceUrl, type HashState } from '../urlState';
import { saveBlob, svgToPngBlob } from '../download';

export interface PageEnv {
  /** The page's origin; models are fetched from it only. */
  origin: string;
  /** Resolves a URL against the page's. */
  resolve(url: string): URL;
  fetchBytes(url: URL): Promise<ArrayBuffer>;
  /** A query parameter the page was opened with (`model`, `lesson`, the playground's form). */
  searchParam(name: string): string | null;
  /** Replaces the query without reloading, so a reload or a shared link reopens the same view. */
  setSearch(params: Record<string, string>): void;
  /** Small settings kept across visits (lessons seen); null when the browser keeps none. */
  loadSetting(key: string): string | null;
  saveSetting(key: string, value: string): void;
  /** Whether the system asks for dark colours. */
  prefersDark(): boolean;
  /** Shows the page in this theme. */
  applyTheme(theme: 'light' | 'dark'): void;
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
    searchParam: (name) => new URLSearchParams(window.location.search).get(name),
    setSearch(params) {
      const q = new URLSearchParams(params).toString();
      replaceUrl(q ? `?${q}` : '', window.location.hash);
    },
    loadSetting(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    saveSetting(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // Storage can be full or disabled (private windows): the setting is simply not kept.
      }
    },
    prefersDark: () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
    applyTheme(theme) {
      document.documentElement.dataset.theme = theme;
    },
    readHash: () => readHash(),
    writeHash: deferredHashWriter(),
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
