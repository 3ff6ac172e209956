/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets onnxruntime-web use threads; the CSP keeps every connection on our origin.
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The CPU-only build: no 28 MB WebGPU wasm in the page.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { headers },
  preview: { headers },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    // Vitest runs in Node: use onnxruntime-web's Node entry, not the browser alias above.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web' }],
  },
});
