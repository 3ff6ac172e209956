/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content-Security-Policy: every connection stays on our origin; 'wasm-unsafe-eval' is what
 * onnxruntime-web's wasm needs. Only the dev server allows inline scripts (React refresh's
 * preamble); the built page does not.
 */
function csp(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${dev ? " 'unsafe-inline'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

/** Puts the policy in index.html (for any static host) — workers get it from the headers below. */
const cspMeta: Plugin = {
  name: 'fusion-inspector-csp',
  transformIndexHtml: {
    order: 'pre',
    handler: (html, ctx) => html.replace('%CSP%', csp(ctx.server !== undefined)),
  },
};

// Cross-origin isolation lets onnxruntime-web use threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs: the built page works from any static host and under any sub-path.
  base: './',
  // The page alone in dist/page (dist/cli, dist/lib and dist/types hold the package).
  build: { outDir: 'dist/page' },
  plugins: [react(), cspMeta],
  resolve: {
    // The CPU-only build: the WebGPU build (its own 27 MB wasm) is imported by the verification
    // worker only where the browser hands out a WebGPU adapter (src/ui/worker/webBackendSetup.ts).
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  // Not pre-bundled: each build finds its wasm next to itself (new URL(…, import.meta.url)).
  optimizeDeps: { exclude: ['onnxruntime-web', 'onnxruntime-web/webgpu'] },
  server: { headers: { ...isolation, 'Content-Security-Policy': csp(true) } },
  preview: { headers: { ...isolation, 'Content-Security-Policy': csp(false) } },
  worker: {
    format: 'es',
    // onnxruntime-web starts its threads as workers of its own script (new Worker(import.meta.url)):
    // bundled into the verification worker, each thread would run that worker's code too (and take
    // over its messages). Its own chunk, imported by nothing else, runs only onnxruntime.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'ort-wasm', test: /onnxruntime-web[\\/]dist[\\/]ort\.wasm\.bundle/ }] } } },
  },
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    // Vitest runs in Node: use onnxruntime-web's Node entry, not the browser alias above.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web' }],
  },
});
