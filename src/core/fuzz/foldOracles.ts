/**
 * The four oracles of the fold fuzzer, on one generated case, with onnxruntime as the judge:
 * 1. no miscompile — what `fuse` writes loads and computes the original's outputs (verify);
 * 2. no false refusal — a pair refused only by its axis rule whose naive fold can be formed really
 *    changes the outputs when folded naively (else our rule is stricter than the math), re-checked on
 *    other values before it counts, so a coincidence of the data is named, not reported;
 * 3. onnxruntime's own optimizer — the model at `basic`/`all` against itself unoptimized
 *    (ortCheck.ts); a difference is an onnxruntime miscompile, and must be one our rules refuse;
 * 4. determinism — `fuse` bytes and `analyze --json` identical twice.
 * A model that does not load or run unoptimized is a generator bug, its own failure.
 */
import { patternOf } from '../patterns/registry';
import { analyzeModel, type Analysis } from '../analysis';
import { readModel, writeModel } from '../onnx/modelIO';
import { analysisJson } from '../report';
import { fuse, type FuseOptions } from '../rewrite/fuse';
import { naiveFoldProblem, refusedByAxisRuleOnly } from '../rewrite/naiveFold';
import { axisRuleCode } from '../rules/axisRule';
import type { Pair, PairPattern } from '../rules/pair';
import type { ReasonCode } from '../rules/reasons';
import { formatShape } from '../graph/dims';
import { shapeOf } from '../rules/common';
import { ortCheck, type OrtLevel } from '../verify/ortCheck';
import { verify, type VerifyReport } from '../verify/verify';
import { VerifyRunError } from '../verify/verifyFailure';
import { makeValueInfo } from '../onnx/builder';
import { buildFoldCase, caseShapes, caseVerifyDims, DTYPES } from './foldBuild';
import { caseFeatures, type FoldCase } from './foldCase';

export type FoldOracle = 'generator' | 'miscompile' | 'false-refusal' | 'ort-unrefused' | 'nondeterministic' | 'crash';

export interface FoldFailure {
  oracle: FoldOracle;
  /** What went wrong, in a line (the shrinker keeps a candidate only while its failure has the same oracle). */
  detail: string;
}

/** A naive fold that computed the original's numbers on this data but not on other values: named, not a failure. */
export interface Coincidence {
  pair: string;
  code: ReasonCode;
  why: string;
}

/** onnxruntime's optimized model differing from the same model unoptimized. */
export interface OrtMiscompile {
  level: OrtLevel;
  /** The fusion blamed, by its ops: `MatMul → Transpose → BatchNormalization`. */
  fusion: string;
  /** The Linear's output shape → the shape BN reads. */
  shape: string;
  maxAbsError: number;
  maxRelError: number;
  /** The error in words: the largest difference, or onnxruntime's message when its optimized model does not run. */
  error: string;
  /** confirmed: our naive fold of the pair computes onnxruntime's outputs; inferred: the pair is the one its fusion could take. */
  cause: 'confirmed' | 'inferred' | 'unexplained';
}

export interface FoldOutcome {
  features: string[];
  pairs: { pattern: PairPattern; fusable: boolean; codes: ReasonCode[] }[];
  folded: number;
  /** Pairs whose naive fold was formed and run. */
  naiveChecked: number;
  coincidences: Coincidence[];
  ortMiscompiles: OrtMiscompile[];
  /** Pairs onnxruntime is predicted to fold wrongly where its outputs were equal anyway. */
  ortPredictedEqual: number;
  failures: FoldFailure[];
}

const levels: readonly OrtLevel[] = ['basic', 'all'];

function worst(r: VerifyReport): { abs: number; rel: number } {
  return { abs: Math.max(0, ...r.outputs.map((o) => o.maxAbsError)), rel: Math.max(0, ...r.outputs.map((o) => o.maxRelError)) };
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}

/** A verify that throws at the original's load or run is the generator's fault; anywhere else, the fold's. */
function isOriginalsFault(e: unknown): boolean {
  return e instanceof VerifyRunError && (e.stage === 'load-original' || e.stage === 'run-original');
}

function shapeText(a: Analysis, p: Pair): string {
  const bnInput = a.graph.nodes[p.batchNorm.nodeIndex].proto.input[0] ?? '';
  return `${formatShape(p.linear.outputShape)} → ${formatShape(shapeOf(a.shapes, bnInput))}`;
}

/** The fusion as onnxruntime's MatMulBNFusion matches it: `MatMul → Reshape → BatchNormalization`. */
function fusionText(p: Pair): string {
  switch (p.pattern) {
    case 'linear-transpose-bn':
      return `${p.linear.kind} → Transpose → BatchNormalization`;
    case 'linear-reshape-bn':
      return `${p.linear.kind} → Reshape → BatchNormalization`;
    case 'conv-add-bn':
      return `${p.linear.kind} → Add → BatchNormalization`;
    case 'bn-linear':
    case 'bn-conv':
      return `BatchNormalization → ${p.linear.kind}`;
    case 'linear-affine':
      return `${p.linear.kind} → Mul`;
    case 'linear-bn':
    case 'conv-bn':
      return `${p.linear.kind} → BatchNormalization`;
  }
}

/** The pairs onnxruntime's MatMul+BatchNormalization fusion could take by their shape (a bias-free MatMul before the BN, through a Transpose or Reshape). */
function ortCandidates(a: Analysis): string[] {
  return a.pairs.filter((p) => (p.pattern === 'linear-bn' || p.pattern === 'linear-transpose-bn' || p.pattern === 'linear-reshape-bn') && p.linear.kind === 'MatMul').map((p) => p.id);
}

export interface FoldCaseOptions {
  /** Other values tried before an equal naive fold counts as a false refusal (3). */
  recheckSeeds?: number;
  /** For the oracles' own tests: fuse with these options (a wrong fold must be caught). */
  fuseOptions?: FuseOptions;
  /** For the oracles' own tests: the verdicts oracle 2 reads, changed (a needless refusal must be caught). */
  verdicts?: (pairs: Pair[]) => Pair[];
}

export async function runFoldCase(c: FoldCase, opts: FoldCaseOptions = {}): Promise<FoldOutcome> {
  const out: FoldOutcome = { features: caseFeatures(c), pairs: [], folded: 0, naiveChecked: 0, coincidences: [], ortMiscompiles: [], ortPredictedEqual: 0, failures: [] };
  const fail = (oracle: FoldOracle, detail: string) => out.failures.push({ oracle, detail });
  let bytes: Uint8Array;
  let analysis: Analysis;
  try {
    bytes = writeModel(buildFoldCase(c));
    analysis = analyzeModel(readModel(bytes));
  } catch (e) {
    fail('crash', `build or analyze threw ${errorText(e)}`);
    return out;
  }
  const vopts = { runs: 1, ...caseVerifyDims(c) };
  out.pairs = analysis.pairs.map((p) => ({ pattern: p.pattern, fusable: p.fusable, codes: p.reasons.map((r) => r.code) }));
  for (const p of analysis.pairs) out.features.push(`pattern:${p.pattern}`, `pattern:${p.pattern}:${p.fusable ? 'fusable' : 'refused'}`);

  // 3 first: it also runs the original unoptimized, the check that the generator made a valid model.
  for (const level of levels) {
    let found: { cause: OrtMiscompile['cause']; blamed: string[]; abs: number; rel: number; error: string };
    try {
      const r = await ortCheck(bytes, { ...vopts, level });
      if (r.pass) {
        out.ortPredictedEqual += r.axisRefused.filter((p) => p.ortFolds).length;
        continue;
      }
      const e = worst(r.comparison);
      const cause = r.cause.kind === 'confirmed' || r.cause.kind === 'inferred' ? r.cause : null;
      found = { cause: cause?.kind ?? 'unexplained', blamed: cause?.pairs ?? ortCandidates(analysis), abs: e.abs, rel: e.rel, error: `max abs error ${e.abs.toPrecision(3)}` };
    } catch (e) {
      if (!(e instanceof VerifyRunError && (e.stage === 'load-fused' || e.stage === 'run-fused'))) {
        fail(isOriginalsFault(e) ? 'generator' : 'crash', `ortCheck at ${level}: ${errorText(e)}`);
        return out;
      }
      // The optimized model itself fails to load or run: a miscompile of its own kind.
      found = { cause: 'inferred', blamed: ortCandidates(analysis), abs: Infinity, rel: Infinity, error: e.message.split('\n')[0] };
    }
    if (found.blamed.length === 0) {
      // Not the MatMul+BatchNormalization fusion (e.g. MatMulScaleFusion keeping a float64 scale as FusedMatMul's float32 alpha): kept in the table by its ops.
      const ops = analysis.graph.nodes.filter((n) => n.opType !== 'Constant').map((n) => n.opType);
      out.ortMiscompiles.push({ level, fusion: `another fusion, ops ${ops.join(' → ')}`, shape: formatShape(c.input), maxAbsError: found.abs, maxRelError: found.rel, error: found.error, cause: 'unexplained' });
    }
    for (const id of found.blamed) {
      const p = analysis.pairs.find((q) => q.id === id)!;
      out.ortMiscompiles.push({ level, fusion: fusionText(p), shape: shapeText(analysis, p), maxAbsError: found.abs, maxRelError: found.rel, error: found.error, cause: found.cause });
      // Every onnxruntime miscompile must be at a pair we refuse.
      if (p.fusable) fail('ort-unrefused', `onnxruntime at ${level} differs (${found.error}) at ${p.pattern} pair ${p.id}, which we fold`);
    }
  }

  // 1. No miscompile.
  let fusedBytes: Uint8Array;
  try {
    const res = fuse(analysis, opts.fuseOptions);
    out.folded = res.folded.length;
    fusedBytes = writeModel(res.model);
  } catch (e) {
    fail('crash', `fuse threw ${errorText(e)}`);
    return out;
  }
  if (out.folded > 0) {
    try {
      const r = await verify(bytes, fusedBytes, vopts);
      if (!r.pass) {
        const e = worst(r);
        fail('miscompile', `the fused model's outputs differ (max abs error ${e.abs.toPrecision(3)}, rel ${e.rel.toPrecision(3)})${r.problems.length ? `: ${r.problems.join(' ')}` : ''}`);
      }
    } catch (e) {
      fail(isOriginalsFault(e) ? 'generator' : 'miscompile', `verify of the fused model: ${errorText(e)}`);
    }
  }

  // 2. No false refusal.
  for (const p of opts.verdicts ? opts.verdicts(analysis.pairs) : analysis.pairs) {
    if (!refusedByAxisRuleOnly(p) || naiveFoldProblem(p) !== null) continue;
    const code = axisRuleCode(p.pattern)!;
    // The op's own output (for the patterns that fold into the op before them): zero on every input means no input reaches the pair.
    const opOut = patternOf(p).placement.side !== 'before' ? analysis.graph.nodes[p.linear.nodeIndices[p.linear.nodeIndices.length - 1]].proto.output[0] : undefined;
    const changed = await naiveChanges(c, p.id, vopts);
    if (changed === null) continue;
    out.naiveChecked++;
    if (changed.outputs) continue;
    if (changed.value) {
      // The pair's own value changes but no graph output shows it: the outputs do not depend on it here.
      out.coincidences.push({ pair: p.id, code, why: 'the pair’s value changes, but the graph outputs do not depend on it (e.g. a later op reads only padding)' });
      continue;
    }
    // Equal on this data: try other values before calling the rule too strict.
    let differsElsewhere = false;
    let alwaysZero = opOut !== undefined;
    for (let k = 0; k <= (opts.recheckSeeds ?? 3) && (k === 0 || !differsElsewhere); k++) {
      const seeded = { ...c, seed: c.seed + k * 7_777 };
      if (k > 0) differsElsewhere = (await naiveChanges(seeded, p.id, vopts))?.value === true;
      if (alwaysZero) alwaysZero = await opWritesZero(seeded, opOut!, vopts);
    }
    if (differsElsewhere) out.coincidences.push({ pair: p.id, code, why: coincidenceWhy(c) });
    // An op whose output is zero on every input (a Conv reading only padding) leaves the pair only its constants: any axis agrees.
    else if (alwaysZero) out.coincidences.push({ pair: p.id, code, why: 'the op before the pair writes zero on every input (it reads only padding), so its constants agree on any axis' });
    else fail('false-refusal', `${p.pattern} pair ${p.id} is refused with ${code}, but its naive fold computes the same value on ${1 + (opts.recheckSeeds ?? 3)} sets of values`);
  }

  // 4. Determinism.
  const again = writeModel(fuse(analyzeModel(readModel(bytes)), opts.fuseOptions).model);
  if (!sameBytes(again, fusedBytes)) fail('nondeterministic', 'fuse wrote different bytes for the same model');
  const j1 = JSON.stringify(analysisJson(analyzeModel(readModel(bytes))));
  const j2 = JSON.stringify(analysisJson(analysis));
  if (j1 !== j2) fail('nondeterministic', 'analyze --json differs for the same model');
  return out;
}

/**
 * Whether the naive fold of pair `id` changes the case's graph outputs, and the value the pair writes
 * (exposed as an output of both models, so a later op that ignores it cannot hide the change); null
 * when the fold cannot be formed in this build.
 */
async function naiveChanges(c: FoldCase, id: string, vopts: { runs: number; seed: number; dims?: Record<string, number> }): Promise<{ outputs: boolean; value: boolean } | null> {
  const model = buildFoldCase(c);
  const outputs = model.graph!.output;
  const exposed = !outputs.some((o) => o.name === id);
  if (exposed) outputs.push(makeValueInfo(id, DTYPES[c.dtype], null));
  const bytes = writeModel(model);
  const naive = fuse(readModel(bytes), { only: [id], ignoreAxisRule: true });
  if (naive.folded.length === 0) return null;
  const r = await verify(bytes, writeModel(naive.model), { ...vopts, seed: c.seed });
  return { outputs: r.outputs.some((o) => !o.pass && (o.name !== id || !exposed)), value: r.outputs.some((o) => !o.pass && o.name === id) };
}

/** Whether the op before a pair writes zero everywhere on the case's inputs (its value exposed in a model of its own, no fold). */
async function opWritesZero(c: FoldCase, opOut: string, vopts: { runs: number; seed: number; dims?: Record<string, number> }): Promise<boolean> {
  const model = buildFoldCase(c);
  if (!model.graph!.output.some((o) => o.name === opOut)) model.graph!.output.push(makeValueInfo(opOut, DTYPES[c.dtype], null));
  const bytes = writeModel(model);
  const r = await verify(bytes, bytes, { ...vopts, seed: c.seed });
  return r.outputs.find((o) => o.name === opOut)?.maxAbsReference === 0;
}

/** Why random values can make a wrong fold agree: the case's features that allow it. */
function coincidenceWhy(c: FoldCase): string {
  const shapes = caseShapes(c);
  const why: string[] = [];
  if (shapes.some((s) => s.includes(1))) why.push('a size-1 axis');
  if (c.params === 'computed') why.push('equal variances (ConstantOfShape)');
  if (c.dtype === 'float16') why.push('float16 tolerance');
  return why.length ? `agrees on some values only (${why.join(', ')})` : 'agrees on some values only';
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
