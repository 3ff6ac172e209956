// `npm run build:package`: the CLI and the library as plain ESM for Node (no tsx at run time),
// with type declarations. onnxruntime-web stays a dependency and onnxruntime-node an optional one
// (imported only when installed, src/cli/engines.ts): neither is bundled.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist/cli', { recursive: true, force: true });
rmSync('dist/lib', { recursive: true, force: true });
rmSync('dist/types', { recursive: true, force: true });
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['onnxruntime-web', 'onnxruntime-node'], logLevel: 'warning', legalComments: 'none' };
await build({ ...common, entryPoints: { 'fusion-inspector': 'src/cli/bin.ts', analyzeWorker: 'src/cli/analyzeWorker.ts' }, outdir: 'dist/cli', outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: { index: 'src/lib/index.ts' }, outdir: 'dist/lib', outExtension: { '.js': '.mjs' } });
execFileSync('npx', ['tsc', '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });
console.log('built dist/cli, dist/lib, dist/types');
