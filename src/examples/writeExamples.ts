/** `npm run examples`: writes public/examples/*.onnx and index.json from the catalog. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleFiles } from './exampleFiles';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/examples');
mkdirSync(outDir, { recursive: true });
const files = exampleFiles();
for (const [name, bytes] of files) writeFileSync(join(outDir, name), bytes);
console.log(`wrote ${files.size} files to ${outDir}`);
