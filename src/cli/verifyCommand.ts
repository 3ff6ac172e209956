/**
 * `fusion-inspector verify <a.onnx> <b.onnx>`: both models in onnxruntime (onnxruntime-node when
 * installed, else onnxruntime-web; `--engine`) on the same inputs —
 * seeded random floats, values typed on the command line (`--input sr=16000`), `.npy`/`.pb` files
 * (`--input x=@clip.npy`), or ONNX test data sets (`--test-data DIR`, whose stored outputs both
 * models are also compared with). Exit codes: 0 equivalent, 1 a difference, 2 unreadable input or usage.
 */
import { failureOfError } from '../core/verify/verifyFailure';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ExternalDataEntry } from '../core/onnx/externalData';
import { float64Text } from '../core/numberText';
import { originText, summaryText } from '../core/verify/inputText';
import { readNpy } from '../core/tensorFiles/npy';
import { readTensorProto } from '../core/tensorFiles/tensorProtoFile';
import { bindTestDataSet, readTestDataSet } from '../core/tensorFiles/testDataSet';
import { TensorFileError, type TensorValue } from '../core/tensorFiles/tensorValue';
import { verifyParsed, VerifyError, VerifyInputError, type OutputComparison, type VerifyReport, type Deviation } from '../core/verify/verify';
import { unknownDimError, type FileInput, type InputUsed, type InputValue } from '../core/verify/verifyInputs';
import { strings, UsageError, type Parsed } from './args';
import { InputError, load, type Loaded } from './loadModel';
import { table } from './table';
import { verifyPerValue, type PerValueOptions } from '../core/verify/perValue';
import { printPerValue } from './perValueReport';
import { EngineUnavailable, engineFor, engineText, isEngineName } from './engines';
import { ENGINE_NAMES, type EngineName, type OrtEngine } from '../core/verify/ortSession';

/** The options of a command that runs models on inputs (verify, ort-check): the same names, read by the same parsers below. */
export const INPUT_OPTIONS = {
  json: { type: 'boolean' },
  seed: { type: 'string' },
  rtol: { type: 'string' },
  atol: { type: 'string' },
  dim: { type: 'string', multiple: true },
  input: { type: 'string', multiple: true },
  'test-data': { type: 'string', multiple: true },
  engine: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--engine` line of verify's and ort-check's usage. */
export const ENGINE_HELP = `  --engine ${ENGINE_NAMES.join('|')}    onnxruntime-node (native CPU) or onnxruntime-web (wasm); by default node when installed, else web`;

/**
 * Timed runs per model: two — the fewest that also show whether the original model is deterministic.
 * The library's default of five made the CLI's ViT verify spend most of its time running the models.
 */
const CLI_RUNS = 2;

export const VERIFY_COMMAND = {
  args: '<a.onnx> <b.onnx> [--json] [--engine web|node] [--runs N] [--seed N] [--rtol R] [--atol A] [--dim name=value]... [--input NAME=VALUE[,VALUE...] | --input NAME=@FILE.npy|.pb]... [--test-data DIR]... [--per-value [--budget-mb N]]',
  positionals: 2,
  summary: [
    'run both models in onnxruntime on the same inputs and compare every output',
    '  inputs not given are seeded random floats (integer and bool inputs must be given)',
    '  --input NAME=1,2,3   numbers in the input\'s declared shape (one for a scalar [] or [1]); NAME=@x.npy or @x.pb: a file',
    '  --test-data DIR      each ONNX test data set (test_data_set_N/input_N.pb, output_N.pb; DIR is one or holds several):',
    '                       its inputs, and both models compared with its stored outputs too',
    '  --per-value          also compare every value both models share (by name, dtype and shape) and name the first beyond tolerance',
    '                       (--budget-mb: output megabytes one run of both models may hold, 256 by default)',
    ENGINE_HELP,
    `  --runs N             timed runs of each model (the median is printed; at least 2, ${CLI_RUNS} by default)`,
  ].join('\n  '),
  options: { ...INPUT_OPTIONS, 'per-value': { type: 'boolean' }, 'budget-mb': { type: 'string' }, runs: { type: 'string' } },
} as const;

/** The option parsers below are shared with ort-check (`command`: whose usage a bad option shows). */
export function engineName(p: Parsed, command = 'verify'): EngineName | undefined {
  const v = p.values.engine;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !isEngineName(v)) throw new UsageError(`--engine takes ${ENGINE_NAMES.join(' or ')}, got "${String(v)}"`, command);
  return v;
}

/** The engine asked for, loaded; one that cannot load here is the user's to fix (exit 2). */
export async function loadEngine(name: EngineName | undefined): Promise<OrtEngine> {
  try {
    return await engineFor(name);
  } catch (e) {
    if (e instanceof EngineUnavailable) throw new InputError(e.message);
    throw e;
  }
}

export function num(p: Parsed, flag: string, command = 'verify'): number | undefined {
  const v = p.values[flag];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} needs a number, got "${v}"`, command);
  return n;
}

export function parseDims(p: Parsed, command = 'verify'): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const d of strings(p, 'dim')) {
    const m = /^([^=]+)=(\d+)$/.exec(d);
    if (!m) throw new UsageError(`--dim takes name=value, got "${d}"`, command);
    dims[m[1]] = Number(m[2]);
  }
  return dims;
}

/** `--input` as asked for: numbers, or a file still to read. */
export type InputArg = { name: string; kind: 'values'; values: number[] } | { name: string; kind: 'file'; path: string };

export function parseInputs(p: Parsed, command = 'verify'): InputArg[] {
  const seen = new Set<string>();
  return strings(p, 'input').map((arg) => {
    const m = /^([^=]+)=(.*)$/.exec(arg);
    if (!m || m[2] === '') throw new UsageError(`--input takes NAME=VALUE[,VALUE...] or NAME=@FILE, got "${arg}"`, command);
    const name = m[1];
    if (seen.has(name)) throw new UsageError(`--input ${name} is given twice`, command);
    seen.add(name);
    if (m[2].startsWith('@')) return { name, kind: 'file', path: m[2].slice(1) };
    const values = m[2].split(',').map((s) => {
      const t = s.trim();
      const n = t === 'true' ? 1 : t === 'false' ? 0 : Number(t);
      if (t === '' || Number.isNaN(n)) throw new UsageError(`--input ${name}: "${s}" is not a number`, command);
      return n;
    });
    return { name, kind: 'values', values };
  });
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${what}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message.split('\n')[0]}`);
  }
}

/** A `.npy` or `.pb` file's tensor, by its extension. */
function readTensorFile(path: string, what: string): TensorValue {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.pb') throw new InputError(`${what}: ${path} is neither a .npy nor a .pb (TensorProto) file`);
  const bytes = readBytes(path, what);
  try {
    return ext === '.npy' ? readNpy(bytes) : readTensorProto(bytes);
  } catch (e) {
    if (e instanceof TensorFileError) throw new InputError(`${what}: ${path}: ${e.message}`);
    throw e;
  }
}

export function givenInputs(args: InputArg[]): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const a of args) out[a.name] = a.kind === 'values' ? { values: a.values } : ({ file: a.path, tensor: readTensorFile(a.path, `--input ${a.name}`) } satisfies FileInput);
  return out;
}

/** The test data sets a `--test-data` folder names: itself when it holds input_N.pb files, else its `test_data_set_*` folders. */
export function testDataSets(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`--test-data: ${dir} is not a folder`);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--test-data: cannot read ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message.split('\n')[0]}`);
  }
  if (entries.some((f) => /^input_\d+\.pb$/.test(f))) return [dir];
  const sets = entries
    .filter((f) => /^test_data_set_\d+$/.test(f) && statSync(join(dir, f)).isDirectory())
    .sort((a, b) => Number(a.slice(14)) - Number(b.slice(14)))
    .map((f) => join(dir, f));
  if (sets.length === 0) throw new InputError(`--test-data: ${dir} holds neither input_N.pb files nor test_data_set_N folders`);
  return sets;
}

export function readSet(dir: string, model: Loaded): { inputs: Record<string, FileInput>; expected: Record<string, FileInput> } {
  const files = readdirSync(dir)
    .filter((f) => /^(input|output)_\d+\.pb$/.test(f))
    .map((f) => ({ name: join(dir, f), bytes: readBytes(join(dir, f), '--test-data') }));
  try {
    return bindTestDataSet(model.model, readTestDataSet(files));
  } catch (e) {
    if (e instanceof TensorFileError || e instanceof VerifyError) throw new InputError(`--test-data ${dir}: ${e.message}`);
    throw e;
  }
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

function inputRow(i: InputUsed): string[] {
  // On the command line the values were given, not typed: the rest of the words are the page's.
  const from = i.origin.kind === 'values' ? 'given values' : originText(i.origin);
  return [i.name, i.dtype, `[${i.dims.join(', ')}]`, from, summaryText(i.summary, i.dtype, '  ')];
}

function deviationText(d: Deviation): string {
  return `${d.maxAbsError.toExponential(3)} ${d.pass ? 'PASS' : 'FAIL'}`;
}

function outputPass(o: OutputComparison): boolean {
  return o.pass && (o.expected.kind === 'not-given' || (o.expected.original.pass && o.expected.fused.pass));
}

export function printReport(r: VerifyReport, out: (s: string) => void): void {
  out(table(['input', 'dtype', 'shape', 'from', 'values'], r.inputs.map(inputRow)));
  if (r.dims.length > 0) out(`dynamic dims: ${r.dims.map((d) => `${d.name}=${d.value}${d.setBy === 'default' ? ' (default)' : d.setBy === 'input' ? ' (from a given input)' : ''}`).join(', ')}`);
  const withExpected = r.outputs.some((o) => o.expected.kind === 'compared');
  const rows = r.outputs.map((o) => [
    o.name,
    `[${o.dims.join(', ')}]`,
    o.maxAbsError.toExponential(3),
    o.maxRelError.toExponential(3),
    o.meanAbsError.toExponential(3),
    `rtol ${float64Text(o.rtol)} atol ${float64Text(o.atol)}`,
    ...(withExpected ? (o.expected.kind === 'compared' ? [deviationText(o.expected.original), deviationText(o.expected.fused)] : ['—', '—']) : []),
    outputPass(o) ? 'PASS' : 'FAIL',
  ]);
  const expectedHeads = withExpected ? ['a vs expected (max abs)', 'b vs expected (max abs)'] : [];
  out(table(['output', 'shape', 'a vs b max abs err', 'max rel err', 'mean abs err', 'tolerance', ...expectedHeads, 'result'], rows));
  out(`engine: ${engineText(r.engine)}`);
  out(`${r.runtimeStartMs > 0 ? `onnxruntime start (once): ${r.runtimeStartMs.toFixed(1)} ms; ` : ''}session create: a ${r.original.createMs.toFixed(1)} ms, b ${r.fused.createMs.toFixed(1)} ms; median run: a ${r.original.runMs.toFixed(2)} ms, b ${r.fused.runMs.toFixed(2)} ms`);
  for (const pr of r.problems) out(`problem: ${pr}`);
  out(r.pass ? 'EQUIVALENT' : 'NOT EQUIVALENT');
}

/** One run of a check on `engine`; what the inputs get wrong is the user's (exit 2), what onnxruntime says about the models is said as such, naming the engine that ran. */
export async function runChecked<T>(run: () => Promise<T>, engine: OrtEngine, command = 'verify'): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof VerifyInputError && e.problem === 'unknown-input') throw new UsageError(`--input ${e.input}=…: ${e.message}`, command);
    if (e instanceof VerifyError) throw new InputError(e.message);
    // The same sentence the page shows, then onnxruntime's own first line for a bug report.
    const failure = failureOfError(e, engine.info.package);
    const raw = failure.raw?.split('\n').find((l) => l.trim() !== '') ?? '';
    throw new InputError(raw === '' ? failure.sentence : `${failure.sentence}\n  onnxruntime said: ${raw}`);
  }
}

/** `--budget-mb`, only with `--per-value`, which compares on one set of inputs. */
function budgetOf(p: Parsed, dataDirs: string[]): number | undefined {
  if (dataDirs.length > 0) throw new UsageError('--per-value compares on one set of inputs: give them with --input, not --test-data', 'verify');
  const mb = num(p, 'budget-mb');
  if (mb !== undefined && !(mb > 0)) throw new UsageError(`--budget-mb needs a positive number, got ${mb}`, 'verify');
  return mb === undefined ? undefined : Math.max(1, Math.floor(mb * 1024 * 1024));
}

async function perValue(a: Loaded, b: Loaded, opts: PerValueOptions & { engine: OrtEngine }, p: Parsed, out: (s: string) => void): Promise<number> {
  const report = await runChecked(() => verifyPerValue(a.bytes, b.bytes, opts), opts.engine);
  if (p.values.json === true) out(JSON.stringify(report, null, 2));
  else printPerValue(report, out);
  return report.pass ? 0 : 1;
}

export async function cmdVerify(p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  // Every option is read before anything runs, so that a bad one is a usage error, not a run failure.
  const engineAsked = engineName(p);
  const runs = num(p, 'runs') ?? CLI_RUNS;
  if (!Number.isInteger(runs) || runs < 2) throw new UsageError(`--runs needs a whole number of at least 2, got ${runs}`, 'verify');
  const seed = num(p, 'seed');
  const rtol = num(p, 'rtol');
  const atol = num(p, 'atol');
  const dims = parseDims(p);
  const inputArgs = parseInputs(p);
  const dataDirs = strings(p, 'test-data');
  const [pa, pb] = p.positional;
  const a = load(pa, err);
  const b = load(pb, err);
  const unknownDim = unknownDimError(a.model, dims);
  if (unknownDim) throw new UsageError(`--dim ${unknownDim.input}: ${unknownDim.message}`, 'verify');
  const given = givenInputs(inputArgs);
  const engine = await loadEngine(engineAsked);
  const base = { externalData: mergeExternal(a.externalData, b.externalData), seed, rtol, atol, dims, engine };
  if (p.values['per-value'] === true) return perValue(a, b, { ...base, inputs: given, budgetBytes: budgetOf(p, dataDirs) }, p, out);
  if (dataDirs.length === 0) {
    const report = await runChecked(() => verifyParsed(a, b, { ...base, runs, inputs: given }), engine);
    if (p.values.json === true) out(JSON.stringify(report, null, 2));
    else printReport(report, out);
    return report.pass ? 0 : 1;
  }
  const sets = dataDirs.flatMap(testDataSets);
  const results: { testData: string; report: VerifyReport }[] = [];
  for (const dir of sets) {
    const set = readSet(dir, a);
    // --input takes the place of the set's value for that input.
    const report = await runChecked(() => verifyParsed(a, b, { ...base, runs, inputs: { ...set.inputs, ...given }, expected: set.expected }), engine);
    results.push({ testData: dir, report });
    if (p.values.json !== true) {
      out(`test data set ${dir} (${basename(dir)}): ${Object.keys(set.inputs).length} input(s), ${Object.keys(set.expected).length} expected output(s)`);
      printReport(report, out);
      out('');
    }
  }
  const pass = results.every((r) => r.report.pass);
  if (p.values.json === true) out(JSON.stringify({ pass, sets: results.map((r) => ({ testData: r.testData, ...r.report })) }, null, 2));
  else out(`${results.filter((r) => r.report.pass).length} of ${results.length} test data set(s) equivalent${pass ? '' : `; failing: ${results.filter((r) => !r.report.pass).map((r) => r.testData).join(', ')}`}`);
  return pass ? 0 : 1;
}
