/**
 * Offline use: the built page registers a service worker (public/sw.js) that keeps what the page
 * fetches from its own origin. Once it controls the page, onnxruntime-web's wasm — otherwise fetched
 * only when verification first runs — and the verification worker are fetched in idle time, so
 * verification works offline too. The service worker fetches the 14 MB wasm itself: fetched by the
 * page, its arrival took the page's main thread one 40-60 ms task, often while a model was opening.
 */
// The file itself (not through the package's exports, which do not list it): the same asset the verification worker loads.
import wasmUrl from '../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm?url';

export function enableOffline(warmVerification: () => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').then(
    () => {
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
