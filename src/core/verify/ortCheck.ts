/**
 * What onnxruntime's own optimizer does to a model: the model run with graph optimizations
 * disabled and at a level (`basic`, `extended`, `all`), every output compared under verify's
 * tolerances. When they differ, the pairs we refuse for an axis reason that onnxruntime's
 * MatMul+BatchNormalization fusion takes are named (ortFusions.ts), and checked: our naive fold
 * of exactly those pairs ("Apply anyway") run without optimizations must compute what onnxruntime's
 * optimized model computes — then they are the cause, confirmed, not only inferred.
 *
 * How many BatchNormalizations onnxruntime's optimized model still has is counted when the engine
 * can write that model (onnxruntime-node can; onnxruntime-web cannot — see ortSession.ts); else
 * the report says why not.
 */
import { analyzeModel } from '../analysis';
import { readModel, writeModel } from '../onnx/modelIO';
import { fuse } from '../rewrite/fuse';
import { webEngine, type OrtOptimization } from './ortSession';
import { axisRefusedPairs, type AxisRefusedPair } from './ortFusions';
import { verify, type VerifyOptions, type VerifyReport } from './verify';

export type OrtLevel = Exclude<OrtOptimization, 'disabled'>;
export const ORT_LEVELS: readonly OrtLevel[] = ['basic', 'extended', 'all'];

export type OrtCheckOptions = Omit<VerifyOptions, 'fusedOptimization' | 'expected'> & { level?: OrtLevel };

/** Why the outputs differ, as far as it can be told. */
export type OrtCause =
  | { kind: 'equal' }
  /** Our naive fold of these pairs, unoptimized, computes onnxruntime's optimized outputs within tolerance. */
  | { kind: 'confirmed'; pairs: string[]; check: VerifyReport }
  /** onnxruntime would fold these pairs, but their naive fold alone does not reproduce its outputs: likely, not proven. */
  | { kind: 'inferred'; pairs: string[]; check: VerifyReport | null }
  /** No pair we refuse for an axis reason is one onnxruntime folds: the difference comes from elsewhere. */
  | { kind: 'unexplained' };

export interface OrtCheckReport {
  /** Every output equal within tolerance at the level. */
  pass: boolean;
  level: OrtLevel;
  /** `original`: optimizations disabled; `fused`: at the level. */
  comparison: VerifyReport;
  /** Every pair refused by its axis rule, with whether onnxruntime folds it regardless. */
  axisRefused: AxisRefusedPair[];
  cause: OrtCause;
  /** How many BatchNormalizations onnxruntime's optimized model still has, when it can be known. */
  optimizedModel: { kind: 'counted'; batchNormalizations: number; nodes: number } | { kind: 'not-written'; why: string };
}

export async function ortCheck(bytes: Uint8Array, opts: OrtCheckOptions = {}): Promise<OrtCheckReport> {
  const { level = 'all', ...verifyOpts } = opts;
  const runs = opts.runs ?? 1;
  const comparison = await verify(bytes, bytes, { ...verifyOpts, runs, fusedOptimization: level });
  const analysis = analyzeModel(readModel(bytes));
  const axisRefused = axisRefusedPairs(analysis.pairs);
  const optimizedModel = await optimizedCount(bytes, level, opts);
  const taken = axisRefused.filter((p) => p.ortFolds).map((p) => p.id);
  let cause: OrtCause;
  if (comparison.pass) cause = { kind: 'equal' };
  else if (taken.length === 0) cause = { kind: 'unexplained' };
  else {
    const naive = fuse(analysis, { only: taken, ignoreAxisRule: true });
    const folded = naive.folded.map((f) => f.id);
    if (folded.length !== taken.length) cause = { kind: 'inferred', pairs: taken, check: null };
    else {
      const check = await verify(writeModel(naive.model), bytes, { ...verifyOpts, runs, fusedOptimization: level });
      cause = check.pass ? { kind: 'confirmed', pairs: taken, check } : { kind: 'inferred', pairs: taken, check };
    }
  }
  return { pass: comparison.pass, level, comparison, axisRefused, cause, optimizedModel };
}

async function optimizedCount(bytes: Uint8Array, level: OrtLevel, opts: OrtCheckOptions): Promise<OrtCheckReport['optimizedModel']> {
  const writer = (opts.engine ?? webEngine).optimizedModel;
  switch (writer.kind) {
    case 'cannot':
      return { kind: 'not-written', why: writer.why };
    case 'writes': {
      const nodes = readModel(await writer.write(bytes, opts.externalData ?? [], level)).graph?.node ?? [];
      return { kind: 'counted', batchNormalizations: nodes.filter((n) => n.opType === 'BatchNormalization').length, nodes: nodes.length };
    }
    default:
      return writer satisfies never;
  }
}
