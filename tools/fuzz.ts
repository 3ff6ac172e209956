/**
 * `npm run fuzz [-- --cases N --seed S --corpus]`: the long fuzz run. Prints a summary and every
 * distinct failure; exits 1 when there is one.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeCase, type Seed } from '../src/core/fuzz/mutations';
import { runFuzzCase } from '../src/core/fuzz/fuzzCase';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const cases = arg('cases', 100_000);
const seed = arg('seed', 1);
const root = join(import.meta.dirname, '..');
const seeds: Seed[] = [];
const dirs = [join(root, 'public/examples')];
if (process.argv.includes('--corpus')) dirs.push(join(root, '../shared/corpus'));
for (const d of dirs) {
  if (!existsSync(d)) continue;
  for (const f of readdirSync(d)) if (f.endsWith('.onnx')) seeds.push({ name: f, bytes: new Uint8Array(readFileSync(join(d, f))) });
}

const t0 = performance.now();
const tally: Record<string, number> = {};
const failures = new Map<string, string>();
let slowest = 0;
for (let i = 0; i < cases; i++) {
  const c = makeCase(seeds, seed, i);
  const o = runFuzzCase(c.bytes);
  slowest = Math.max(slowest, o.ms);
  if (o.ok) {
    const key = o.result === 'model' ? 'model' : `error ${o.code}`;
    tally[key] = (tally[key] ?? 0) + 1;
  } else {
    const key = o.problem.split('\n').slice(0, 2).join(' | ');
    if (!failures.has(key)) failures.set(key, `case ${i} (${c.kind} of ${c.base || 'random bytes'}): ${o.problem}`);
    tally.failure = (tally.failure ?? 0) + 1;
  }
  if ((i + 1) % 10_000 === 0) console.error(`${i + 1} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const secs = (performance.now() - t0) / 1000;
console.log(`${cases} cases from ${seeds.length} seed models (seed ${seed}) in ${secs.toFixed(1)} s; slowest case ${slowest.toFixed(0)} ms`);
for (const [k, v] of Object.entries(tally).sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(24)} ${v}`);
for (const f of failures.values()) console.log(`\nFAILURE ${f}`);
process.exit(failures.size > 0 ? 1 : 0);
