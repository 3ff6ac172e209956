// Offline use once loaded: every same-origin GET goes to the network first (so the page is never a
// stale version while online) and is kept in a cache; without a network, the cache answers. The app,
// its workers, the examples and onnxruntime-web's wasm are all fetched from this origin.
const CACHE = 'fusion-inspector-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

// Network fetches made here now, by URL, until their response is kept: a second request for the
// same file meanwhile waits for that one rather than downloading it again — the page asking to keep
// the 14 MB wasm while the verification worker's own fetch of it passes through here, or the other
// way round.
const passing = new Map();

/** Runs `download` (which ends once the response is kept) as the one fetch of `url` now. */
function oneFetch(url, download) {
  const p = download().finally(() => passing.get(url) === p && passing.delete(url));
  passing.set(url, p);
  return p;
}

// The page names a file to keep before it is needed (the wasm): fetched here, off the page's thread.
self.addEventListener('message', (e) => {
  const data = e.data;
  if (!data || data.type !== 'keep' || typeof data.url !== 'string') return;
  const url = new URL(data.url, self.location.href);
  if (url.origin !== self.location.origin) return;
  const keep = () => caches.open(CACHE).then((c) => c.match(url).then((hit) => hit ?? oneFetch(url.href, () => c.add(url))));
  e.waitUntil(
    Promise.resolve(passing.get(url.href))
      .catch(() => {})
      .then(keep)
      .catch(() => {}),
  );
});

// Cross-origin isolation on any static host: onnxruntime-web runs threads only in an isolated page
// (SharedArrayBuffer), and a page is isolated by its own response's headers. So every same-origin
// response this worker hands out (the page itself, its scripts and workers, the wasm; from the
// network or the cache) carries them; offline.ts reloads once when the page loaded without them.
// Everything the page loads is same-origin (its CSP), so require-corp blocks nothing.
function isolated(res) {
  // Opaque responses and redirects cannot be rebuilt (nor need to be).
  if (res.type !== 'basic' && res.type !== 'default') return res;
  const headers = new Headers(res.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  const fromCache = () => caches.match(req, { ignoreSearch: true }).then((hit) => (hit ? isolated(hit) : Response.error()));
  const other = passing.get(req.url);
  // The same file on its way already: the response it keeps is as new as a second download.
  if (other) return e.respondWith(other.then(fromCache, fromCache));
  const got = fetch(req);
  // Copied before the page's answer reads the body (this callback is registered first).
  const kept = oneFetch(req.url, () =>
    got.then((res) => {
      if (!res.ok) return undefined;
      const copy = res.clone();
      return caches.open(CACHE).then((c) => c.put(req, copy));
    }),
  );
  e.waitUntil(kept.catch(() => {}));
  e.respondWith(got.then(isolated, fromCache));
});
