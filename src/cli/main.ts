/**
 * `fusion-inspector info | analyze | fuse | verify` — the command-line face of src/core.
 * Exit codes: 0 success (verify: equivalent), 1 verify found a difference, 2 unreadable input or usage.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { attachExternalData, externalLocations, locationProblem, normalizeLocation, type ExternalDataEntry, type ExternalFileStatus } from '../core/onnx/externalData';
import { analyzeModel } from '../core/analysis';
import { formatShape } from '../core/graph/shapeInference';
import { isOnnxReadError } from '../core/onnx/errors';
import { readModel, writeModel } from '../core/onnx/modelIO';
import type { ModelProto } from '../core/onnx/types';
import { analysisJson, summarizeModel, type TensorSummary } from '../core/report';
import { fuse } from '../core/rewrite/fuse';
import type { PairPattern } from '../core/rules/linearBatchNorm';
import { verify, VerifyError, type VerifyReport } from '../core/verify/verify';
import { table } from './table';
import { diagnose } from '../core/graph/diagnostics';
import { buildGraph } from '../core/graph/graph';

const USAGE = `usage:
  fusion-inspector info <model.onnx> [--json]
  fusion-inspector analyze <model.onnx> [--json]
  fusion-inspector fuse <in.onnx> -o <out.onnx> [--only <pair id> ...]
  fusion-inspector verify <a.onnx> <b.onnx> [--json] [--seed N] [--rtol R] [--atol A] [--dim name=value ...]`;

class UsageError extends Error {}

const PATTERN_LABEL: Record<PairPattern, string> = {
  'linear-bn': 'Linear→BN',
  'linear-transpose-bn': 'Linear→Transpose→BN',
  'linear-reshape-bn': 'Linear→Reshape→BN',
  'conv-bn': 'Conv→BN',
  'bn-linear': 'BN→Linear',
};

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['-o', '--output', '--only', '--seed', '--rtol', '--atol', '--dim']);

function parseArgs(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a !== '-') {
      const [key, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const list = flags.get(key) ?? [];
      if (VALUE_FLAGS.has(key)) {
        if (inline !== undefined) list.push(inline);
        else {
          // --only and --dim take several values until the next flag.
          const multi = key === '--only' || key === '--dim';
          if (i + 1 >= args.length || args[i + 1].startsWith('-')) throw new UsageError(`${key} needs a value`);
          list.push(args[++i]);
          while (multi && i + 1 < args.length && !args[i + 1].startsWith('-')) list.push(args[++i]);
        }
      } else if (key === '--json' || key === '--help' || key === '-h') {
        list.push('');
      } else {
        throw new UsageError(`unknown option ${key}`);
      }
      flags.set(key, list);
    } else positional.push(a);
  }
  return { positional, flags };
}

interface Loaded {
  bytes: Uint8Array;
  model: ModelProto;
  external: ExternalFileStatus[];
  externalData: ExternalDataEntry[];
}

/** External data files, read relative to the model's folder; nothing outside it (symlinks included). */
function readExternalFiles(modelPath: string, model: ModelProto): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const locations = externalLocations(model);
  if (locations.length === 0) return files;
  const dir = realpathSync(dirname(modelPath));
  for (const loc of locations) {
    if (locationProblem(loc)) continue;
    const rel = normalizeLocation(loc);
    try {
      const real = realpathSync(join(dir, rel));
      if (!real.startsWith(dir + sep)) continue;
      const b = readFileSync(real);
      files.set(rel, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    } catch {
      // Missing: reported by attachExternalData.
    }
  }
  return files;
}

function load(path: string, err: (s: string) => void = () => {}): Loaded {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let model: ModelProto;
  try {
    model = readModel(bytes);
  } catch (e) {
    if (isOnnxReadError(e)) throw new InputError(`${path}: ${e.message}`);
    throw e;
  }
  const { statuses, entries } = attachExternalData(model, readExternalFiles(path, model));
  for (const s of statuses) if (s.state !== 'loaded') err(`fusion-inspector: warning: ${path}: external data ${s.message}`);
  return { bytes, model, external: statuses, externalData: entries };
}

class InputError extends Error {}

function shapeText(t: TensorSummary): string {
  return `${t.name}  ${t.dtype} ${formatShape(t.shape)}`;
}

function cmdInfo(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const [path] = p.positional;
  if (!path) throw new UsageError('info needs a model path');
  const { model, external } = load(path, err);
  const s = summarizeModel(model);
  if (p.flags.has('--json')) {
    out(JSON.stringify({ ...s, externalData: external, warnings: diagnose(buildGraph(model)) }, null, 2));
    return 0;
  }
  out(`model       ${path}`);
  out(`IR version  ${s.irVersion ?? '(none)'}`);
  out(`opsets      ${s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`);
  out(`producer    ${s.producer} ${s.producerVersion}`.trimEnd());
  out(`nodes       ${s.nodeCount} (${s.initializerCount} initializers)`);
  out('op types');
  for (const [op, n] of Object.entries(s.opTypes)) out(`  ${String(n).padStart(6)}  ${op}`);
  out('inputs');
  for (const t of s.inputs) out(`  ${shapeText(t)}`);
  out('outputs');
  for (const t of s.outputs) out(`  ${shapeText(t)}`);
  if (external.length > 0) out('external data');
  for (const e of external) out(`  ${e.state.padEnd(12)} ${e.message}`);
  const diags = diagnose(buildGraph(model));
  if (diags.length > 0) out('warnings');
  for (const d of diags) out(`  ${d.code}: ${d.message}`);
  return 0;
}

function cmdAnalyze(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const [path] = p.positional;
  if (!path) throw new UsageError('analyze needs a model path');
  const { model } = load(path, err);
  const a = analyzeModel(model);
  if (p.flags.has('--json')) {
    out(JSON.stringify(analysisJson(a), null, 2));
    return 0;
  }
  const fusable = a.pairs.filter((x) => x.fusable).length;
  const linear = a.pairs.filter((x) => x.pattern === 'linear-bn').length;
  out(`${path}: ${a.pairs.length} pair(s) (${linear} Linear→BatchNormalization, ${a.pairs.length - linear} of the other patterns), ${fusable} fusable, ${a.pairs.length - fusable} not fusable`);
  if (a.pairs.length === 0) return 0;
  const rows = a.pairs.map((x) => [
    x.id,
    PATTERN_LABEL[x.pattern],
    `${x.linear.kind} ${x.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)'}`,
    formatShape(x.linear.outputShape),
    x.fusable ? 'FUSABLE' : 'NOT FUSABLE',
    x.reasons.map((r) => r.code).join(', ') || '—',
  ]);
  out(table(['pair id', 'pattern', 'Linear / Conv', 'its output', 'verdict', 'reasons'], rows));
  for (const x of a.pairs.filter((y) => !y.fusable)) {
    out('');
    out(`${x.id}:`);
    for (const r of x.reasons) out(`  ${r.code}: ${r.message}`);
  }
  return 0;
}

function cmdFuse(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const [path] = p.positional;
  const dest = (p.flags.get('-o') ?? p.flags.get('--output'))?.[0];
  if (!path || !dest) throw new UsageError('fuse needs <in.onnx> -o <out.onnx>');
  const { model, external } = load(path, err);
  const res = fuse(model, { only: p.flags.get('--only') });
  writeFileSync(dest, writeModel(res.model));
  for (const f of res.folded) out(`folded   ${f.id}  (removed ${f.removedNodes.join(', ')}; new weight ${f.weight}, bias ${f.bias})`);
  for (const s of res.skipped) out(`skipped  ${s.id}  ${s.reasons.map((r) => r.code).join(', ')}`);
  for (const u of res.unknown) out(`unknown  ${u}  (no pair has this id)`);
  for (const u of res.superseded) out(`merged   ${u}  (its BatchNormalization was already folded by the pair next to it)`);
  out(`${res.folded.length} folded, ${res.skipped.length} skipped; ${res.nodesBefore} → ${res.nodesAfter} nodes; wrote ${dest}`);
  const loaded = external.filter((e) => e.state === 'loaded');
  if (loaded.length > 0) out(`note: ${dest} still reads untouched weights from ${loaded.map((e) => e.location).join(', ')}, relative to its own folder; keep those files next to it.`);
  return 0;
}

/** Both models' external files; the same location in both must be the same file. */
function mergeExternal(a: ExternalDataEntry[], b: ExternalDataEntry[]): ExternalDataEntry[] {
  const out = new Map(a.map((e) => [e.path, e]));
  for (const e of b) {
    const prev = out.get(e.path);
    if (prev && (prev.data.length !== e.data.length || Buffer.compare(prev.data, e.data) !== 0)) {
      throw new InputError(`both models read external data "${e.path}", but from different files; onnxruntime-web takes one file per location`);
    }
    out.set(e.path, e);
  }
  return [...out.values()];
}

function num(p: Parsed, flag: string): number | undefined {
  const v = p.flags.get(flag)?.[0];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} needs a number, got "${v}"`);
  return n;
}

function printReport(r: VerifyReport, out: (s: string) => void): void {
  out(`inputs (seed ${r.seed}): ${r.inputs.map((i) => `${i.name} ${i.dtype} [${i.dims.join(', ')}] ${i.source}`).join('; ')}`);
  if (r.dims.length > 0) out(`dynamic dims: ${r.dims.map((d) => `${d.name}=${d.value}${d.defaulted ? ' (default)' : ''}`).join(', ')}`);
  const rows = r.outputs.map((o) => [
    o.name,
    `[${o.dims.join(', ')}]`,
    o.maxAbsError.toExponential(3),
    o.maxRelError.toExponential(3),
    o.meanAbsError.toExponential(3),
    `rtol ${o.rtol} atol ${o.atol}`,
    o.pass ? 'PASS' : 'FAIL',
  ]);
  out(table(['output', 'shape', 'max abs err', 'max rel err', 'mean abs err', 'tolerance', 'result'], rows));
  out(`session create: a ${r.original.createMs.toFixed(1)} ms, b ${r.fused.createMs.toFixed(1)} ms; median run: a ${r.original.runMs.toFixed(2)} ms, b ${r.fused.runMs.toFixed(2)} ms`);
  for (const pr of r.problems) out(`problem: ${pr}`);
  out(r.pass ? 'EQUIVALENT' : 'NOT EQUIVALENT');
}

async function cmdVerify(p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [a, b] = p.positional;
  if (!a || !b) throw new UsageError('verify needs two model paths');
  const ma = load(a, err);
  const mb = load(b, err);
  const dims: Record<string, number> = {};
  for (const d of p.flags.get('--dim') ?? []) {
    const m = /^([^=]+)=(\d+)$/.exec(d);
    if (!m) throw new UsageError(`--dim takes name=value, got "${d}"`);
    dims[m[1]] = Number(m[2]);
  }
  let report: VerifyReport;
  try {
    report = await verify(ma.bytes, mb.bytes, { externalData: mergeExternal(ma.externalData, mb.externalData), seed: num(p, '--seed'), rtol: num(p, '--rtol'), atol: num(p, '--atol'), dims });
  } catch (e) {
    if (e instanceof VerifyError) throw new InputError(e.message);
    throw new InputError(`onnxruntime could not run the models: ${(e as Error).message.split('\n')[0]}`);
  }
  if (p.flags.has('--json')) out(JSON.stringify(report, null, 2));
  else printReport(report, out);
  return report.pass ? 0 : 1;
}

export async function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    const p = parseArgs(rest);
    if (!cmd || cmd === '--help' || cmd === '-h' || p.flags.has('--help') || p.flags.has('-h')) {
      out(USAGE);
      return cmd ? 0 : 2;
    }
    switch (cmd) {
      case 'info':
        return cmdInfo(p, out, err);
      case 'analyze':
        return cmdAnalyze(p, out, err);
      case 'fuse':
        return cmdFuse(p, out, err);
      case 'verify':
        return await cmdVerify(p, out, err);
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`fusion-inspector: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof InputError) {
      err(`fusion-inspector: ${e.message}`);
      return 2;
    }
    err(`fusion-inspector: internal error: ${(e as Error).message}`);
    return 2;
  }
}
