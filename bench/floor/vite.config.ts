// Builds the heap-floor page on its own (bench/floor.ts serves it); nothing of the app is included.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({ root: here, logLevel: 'error', build: { outDir: fileURLToPath(new URL('../../dist/bench-floor', import.meta.url)), emptyOutDir: true } });
