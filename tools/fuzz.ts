/**
 * `npm run fuzz [-- --cases N --seed S --corpus]`: the long fuzz run of the reader and the page
 * pipeline. `npm run fuzz -- --folds [--cases N --seed S --doc FILE]`: the generative fold fuzzer
 * (generated models, onnxruntime as the oracle); `--doc` writes onnxruntime's miscompiles as a
 * markdown table. Prints a summary and every distinct failure (shrunk); exits 1 when there is one.
 */
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { makeCase, type Seed } from '../src/core/fuzz/mutations';
import { runFuzzCase } from '../src/core/fuzz/fuzzCase';
import { failureText, ortMiscompileTable, runFoldFuzz } from '../src/core/fuzz/foldRun';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const cases = arg('cases', 100_000);
const seed = arg('seed', 1);
const root = join(import.meta.dirname, '..');

if (process.argv.includes('--folds')) {
  const s = await runFoldFuzz({
    cases,
    seed,
    onProgress: (done, ms) => {
      if (done % 5_000 === 0) console.error(`${done} cases, ${(ms / 1000).toFixed(0)} s`);
    },
  });
  const coincidences = s.coincidences.length;
  const summary = [
    `${s.cases} generated cases (seed ${s.seed}) in ${(s.ms / 1000).toFixed(1)} s on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    `cases per generator: ${Object.entries(s.generators).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `pairs per pattern (fusable/refused): ${Object.entries(s.patterns).map(([k, v]) => `${k} ${v.fusable}/${v.refused}`).join(', ')}`,
    `folds verified: ${s.folded}; naive folds run: ${s.naiveChecked}; coincidences (named: a naive fold equal on some values only, or outputs that do not depend on the pair): ${coincidences}`,
    `failures by oracle: ${Object.entries(s.failureCounts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `onnxruntime miscompiles (cases): ${s.ortRows.reduce((a, r) => a + r.cases, 0)}; predicted wrong-axis folds where its outputs were equal anyway: ${s.ortPredictedEqual}`,
  ];
  console.log(summary.join('\n'));
  for (const c of s.coincidences.slice(0, 20)) console.log(`  coincidence, case ${c.index}: ${c.pair} (${c.code}) ${c.why}`);
  console.log(`\n${ortMiscompileTable(s.ortRows)}`);
  for (const f of s.failures) console.log(`\nFAILURE ${failureText(f)}`);
  const doc = process.argv.indexOf('--doc');
  if (doc >= 0) writeFileSync(process.argv[doc + 1], `${summary.map((l) => `- ${l}`).join('\n')}\n\n${ortMiscompileTable(s.ortRows)}\n`);
  process.exit(s.failures.length > 0 ? 1 : 0);
}
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
