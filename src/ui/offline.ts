/**
 * Offline use: the built page registers a service worker (public/sw.js) that keeps what the page
 * fetches from its own origin. Once it controls the page, onnxruntime-web's wasm — otherwise fetched
 * only when verification first runs — and the verification worker are fetched in idle time, so
 * verification works offline too. The 14 MB wasm never comes to the page's thread (its arrival there
 * was one 40-60 ms task, often while a model was opening): the verification worker fetches it when it
 * starts (through the service worker, which keeps it), and the keep asked for here covers a worker
 * that started before the service worker took control; sw.js downloads it once when both ask.
 */
// The file itself (not through the package's exports, which do not list it): the same asset the verification worker loads.
import wasmUrl from '../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm?url';

/** Set in this tab once it has reloaded for isolation: a page still not isolated after it is left so (no loop). */
const RELOADED = 'fusion-inspector-isolation-reload';

/**
 * The service worker adds the COOP/COEP headers that make a page cross-origin isolated (threads in
 * onnxruntime-web) to what it serves, but a page is isolated or not from its own load: one that
 * loaded without a controlling service worker (the first visit, or before sw.js had them) reloads
 * once, through it. Not when the host already isolates the page.
 */
function isolateOnce(): void {
  if (crossOriginIsolated) return void sessionStorage.removeItem(RELOADED);
  if (!navigator.serviceWorker.controller || sessionStorage.getItem(RELOADED) !== null) return;
  sessionStorage.setItem(RELOADED, '1');
  location.reload();
}

export function enableOffline(warmVerification: () => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', isolateOnce, { once: true });
  navigator.serviceWorker.register('./sw.js').then(
    (reg: ServiceWorkerRegistration | undefined) => {
      // Controlled, not isolated, and no newer service worker on its way (that one's takeover reloads).
      // (`reg` is undefined where service workers are blocked, as Playwright's `serviceWorkers: 'block'` does.)
      if (reg !== undefined && reg.installing === null && reg.waiting === null) isolateOnce();
      const warm = () => {
        const sw = navigator.serviceWorker.controller;
        if (!sw) return;
        warmVerification();
        sw.postMessage({ type: 'keep', url: new URL(wasmUrl, location.href).href });
      };
      if (navigator.serviceWorker.controller) setTimeout(warm, 2000);
      else navigator.serviceWorker.addEventListener('controllerchange', () => setTimeout(warm, 2000), { once: true });
    },
    () => {
      // No offline use (e.g. a private window or a file:// page); the page works as before.
    },
  );
}
