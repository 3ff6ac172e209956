/**
 * The library, for Node (ESM): `import { readModel, analyze, fuse, verify } from 'fusion-inspector'`.
 * `verifyPerValue(a, b)` says where two models part (the first value beyond tolerance); `ortCheck(bytes, { level })`
 * compares a model with its onnxruntime-optimized self.
 * `readNpy`, `readTensorProto` and `readTestDataSet` read real inputs (and expected outputs) for `verify(a, b, { inputs, expected })`.
 * `analyze` returns the same object `fusion-inspector analyze --json` prints (`schemaVersion` 1).
 * Only the core is here: no React, no DOM.
 */
import { analyzeModel } from '../core/analysis';
import { readModel as readBytes } from '../core/onnx/modelIO';
import type { ModelProto } from '../core/onnx/types';
import { analysisJson, type AnalysisJson } from '../core/report';
import { fuse as fuseModel, type FuseOptions, type FuseResult } from '../core/rewrite/fuse';
import { load } from '../cli/loadModel';

export { writeModel } from '../core/onnx/modelIO';
export {
  verify,
  VerifyError,
  VerifyInputError,
  type VerifyOptions,
  type VerifyReport,
  type OutputComparison,
  type ExpectedCheck,
  type Deviation,
} from '../core/verify/verify';
export { resolveInputs, type InputValue, type UserInput, type ValuesInput, type FileInput, type InputUsed, type InputOrigin, type DimUsed, type InputProblem } from '../core/verify/verifyInputs';
export { verifyPerValue, DEFAULT_BUDGET_BYTES, type PerValueOptions, type PerValueReport, type ValueResult, type ComparedValue } from '../core/verify/perValue';
export type { ComparisonOptions } from '../core/verify/comparisonOptions';
export type { Producer, Unmatched, UnmatchedValue } from '../core/verify/valueMatch';
// verify, verifyPerValue and ortCheck run onnxruntime-web unless given `engine`: `engine: await engineFor('node')` for onnxruntime-node (when installed).
export { engineFor, loadNodeEngine } from '../cli/engines';
export { webEngine, type OrtEngine, type EngineInfo, type EngineName } from '../core/verify/ortSession';
export { ortCheck, ORT_LEVELS, type OrtCheckOptions, type OrtCheckReport, type OrtLevel, type OrtCause } from '../core/verify/ortCheck';
export type { AxisRefusedPair } from '../core/verify/ortFusions';
export { readNpy } from '../core/tensorFiles/npy';
export { readTensorProto } from '../core/tensorFiles/tensorProtoFile';
export { readTestDataSet, bindTestDataSet, type TestDataSet, type TestDataTensor } from '../core/tensorFiles/testDataSet';
export { TensorFileError, type TensorValue, type TensorDtype, type TensorDataOf, type TensorFileErrorCode, type ValueSummary } from '../core/tensorFiles/tensorValue';
export { SCHEMA_VERSION, type AnalysisJson, type PairJson, type MorePairJson, type ModelSummary } from '../core/report';
export { REASON_CODES, type ReasonCode, type Reason } from '../core/rules/reasons';
export type { FuseOptions, FuseResult } from '../core/rewrite/fuse';
export type { ModelProto } from '../core/onnx/types';
export { OnnxReadError } from '../core/onnx/errors';

/** A model from its bytes, or from a file path (external data files are read from beside it). Throws OnnxReadError on a file that is not ONNX. */
export function readModel(source: Uint8Array | ArrayBuffer | string): ModelProto {
  if (typeof source === 'string') return load(source).model;
  return readBytes(source instanceof Uint8Array ? source : new Uint8Array(source));
}

function model(m: ModelProto | Uint8Array | string): ModelProto {
  return m instanceof Uint8Array || typeof m === 'string' ? readModel(m) : m;
}

/** Every BatchNormalization pair with its verdict and reasons. */
export function analyze(m: ModelProto | Uint8Array | string): AnalysisJson {
  return analysisJson(analyzeModel(model(m)));
}

/** Folds the fusable pairs (or `opts.only`); `writeModel(result.model)` gives the bytes. */
export function fuse(m: ModelProto | Uint8Array | string, opts: FuseOptions = {}): FuseResult {
  return fuseModel(model(m), opts);
}
