/**
 * `fusion-inspector ort-check <model.onnx> [--level basic|extended|all]`: the model in onnxruntime (`--engine`)
 * with graph optimizations disabled and at the level, every output compared; when they differ, the
 * pairs we refuse for an axis reason that onnxruntime's fusion takes are named (and confirmed when
 * our naive fold of them reproduces onnxruntime's outputs). Inputs as for verify (--input,
 * --test-data, --dim, --seed). Exit codes: 0 equal, 1 they differ, 2 unreadable input or usage.
 */
import { float64Text } from '../core/numberText';
import { ORT_LEVELS, ortCheck, type OrtCheckOptions, type OrtCheckReport, type OrtLevel } from '../core/verify/ortCheck';
import { unknownDimError } from '../core/verify/verifyInputs';
import { strings, UsageError, type Parsed } from './args';
import { load } from './loadModel';
import { ENGINE_HELP, engineName, givenInputs, INPUT_OPTIONS, loadEngine, num, parseDims, parseInputs, printReport, readSet, runChecked, testDataSets } from './verifyCommand';

const COMMAND = 'ort-check';

export const ORT_CHECK_COMMAND = {
  args: `<model.onnx> [--level ${ORT_LEVELS.join('|')}] [--json] [--engine web|node] [--seed N] [--rtol R] [--atol A] [--dim name=value]... [--input NAME=VALUE[,VALUE...] | --input NAME=@FILE.npy|.pb]... [--test-data DIR]...`,
  positionals: 1,
  summary: [
    "run the model in onnxruntime with graph optimizations disabled and at --level (default all) and compare every output",
    '  when they differ, it names the pairs refused for an axis reason that onnxruntime\'s MatMul+BatchNormalization fusion folds anyway',
    '  inputs as for verify',
    ENGINE_HELP,
    '                       onnxruntime-node also writes its optimized model, whose BatchNormalizations are counted',
  ].join('\n  '),
  options: { ...INPUT_OPTIONS, level: { type: 'string' } },
} as const;

function isLevel(s: string): s is OrtLevel {
  return (ORT_LEVELS as readonly string[]).includes(s);
}

function levelOf(p: Parsed): OrtLevel {
  const v = p.values.level;
  if (v === undefined) return 'all';
  if (typeof v !== 'string' || !isLevel(v)) throw new UsageError(`--level takes ${ORT_LEVELS.join(', ')}, got "${String(v)}"`, COMMAND);
  return v;
}

function causeText(r: OrtCheckReport): string {
  const pairs = (ids: string[]) => ids.map((id) => `"${id}"`).join(', ');
  switch (r.cause.kind) {
    case 'equal':
      return `onnxruntime's optimizations at level ${r.level} leave every output within tolerance`;
    case 'confirmed':
      return `cause (confirmed): onnxruntime folds ${pairs(r.cause.pairs)} on the wrong axis — our naive fold of exactly ${r.cause.pairs.length === 1 ? 'that pair' : 'those pairs'} (Apply anyway), run without optimizations, gives onnxruntime's optimized outputs (max rel err ${float64Text(Number(Math.max(0, ...r.cause.check.outputs.map((o) => o.maxRelError)).toPrecision(3)))})`;
    case 'inferred':
      return `likely cause (inferred, not confirmed): onnxruntime's fusion takes ${pairs(r.cause.pairs)}, but their naive fold alone does not reproduce its outputs; the rest of the difference comes from elsewhere`;
    case 'unexplained':
      return `no pair we refuse for an axis reason is one onnxruntime's fusion takes: the difference comes from another of its rewrites`;
    default:
      return r.cause satisfies never;
  }
}

function printOrtCheck(path: string, r: OrtCheckReport, out: (s: string) => void): void {
  out(`${path}: a = onnxruntime with graph optimizations disabled, b = level ${r.level}`);
  printReport(r.comparison, out);
  if (r.axisRefused.length > 0) {
    out('pairs refused for an axis reason:');
    for (const p of r.axisRefused) out(`  ${p.id}  ${p.code}  ${p.nodes.join(' → ')}\n    ${p.ortFolds ? 'onnxruntime folds it' : 'onnxruntime leaves it'}: ${p.why}`);
  }
  out(causeText(r));
  switch (r.optimizedModel.kind) {
    case 'counted':
      out(`onnxruntime's optimized model still has ${r.optimizedModel.batchNormalizations} BatchNormalization node(s) (of ${r.optimizedModel.nodes} nodes)`);
      break;
    case 'not-written':
      out(`BatchNormalizations left after optimization: not counted — ${r.optimizedModel.why}`);
      break;
    default:
      r.optimizedModel satisfies never;
  }
  out(r.pass ? `EQUAL at level ${r.level}` : `DIFFERENT at level ${r.level}`);
}

export async function cmdOrtCheck(p: Parsed, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  // Every option is read before anything runs, so that a bad one is a usage error, not a run failure.
  const level = levelOf(p);
  const engineAsked = engineName(p, COMMAND);
  const seed = num(p, 'seed', COMMAND);
  const rtol = num(p, 'rtol', COMMAND);
  const atol = num(p, 'atol', COMMAND);
  const dims = parseDims(p, COMMAND);
  const inputArgs = parseInputs(p, COMMAND);
  const dataDirs = strings(p, 'test-data');
  const [path] = p.positional;
  const m = load(path, err);
  const unknownDim = unknownDimError(m.model, dims);
  if (unknownDim) throw new UsageError(`--dim ${unknownDim.input}: ${unknownDim.message}`, COMMAND);
  const given = givenInputs(inputArgs);
  const engine = await loadEngine(engineAsked);
  const base: OrtCheckOptions = { level, externalData: m.externalData, seed, rtol, atol, dims, engine };
  const check = (inputs: OrtCheckOptions['inputs']) => runChecked(() => ortCheck(m.bytes, { ...base, inputs }), engine, COMMAND);
  if (dataDirs.length === 0) {
    const report = await check(given);
    if (p.values.json === true) out(JSON.stringify(report, null, 2));
    else printOrtCheck(path, report, out);
    return report.pass ? 0 : 1;
  }
  const results: { testData: string; report: OrtCheckReport }[] = [];
  for (const dir of dataDirs.flatMap(testDataSets)) {
    // Only the set's inputs: its stored outputs say what the model should give, not what onnxruntime's optimizer does.
    const report = await check({ ...readSet(dir, m).inputs, ...given });
    results.push({ testData: dir, report });
    if (p.values.json !== true) {
      out(`test data set ${dir}`);
      printOrtCheck(path, report, out);
      out('');
    }
  }
  const pass = results.every((r) => r.report.pass);
  if (p.values.json === true) out(JSON.stringify({ pass, sets: results.map((r) => ({ testData: r.testData, ...r.report })) }, null, 2));
  else out(`${results.filter((r) => r.report.pass).length} of ${results.length} test data set(s) equal at level ${level}`);
  return pass ? 0 : 1;
}
