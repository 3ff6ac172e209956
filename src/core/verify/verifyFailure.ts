/**
 * A verification that could not run, in words: what is wrong and what to do, with onnxruntime's own
 * text kept apart (`raw`) for whoever wants it. The page shows the sentence with the raw text behind
 * a disclosure; the CLI can print the same sentence. onnxruntime's messages are matched by the
 * phrases its C++ code writes (ShapeInferenceError, "No Op registered", …); anything unrecognised
 * still gets a sentence, the generic one.
 */

/** Stable codes, one per kind of failure. */
export type VerifyFailureCode = 'SHAPE_MISMATCH' | 'TYPE_MISMATCH' | 'MISSING_INPUT' | 'UNSUPPORTED_OP' | 'INVALID_MODEL' | 'OUT_OF_MEMORY' | 'CANCELLED' | 'CANNOT_COMPARE' | 'UNKNOWN';

/** Which model onnxruntime was loading or running when it failed. */
export type VerifyStage = 'load-original' | 'load-fused' | 'run-original' | 'run-fused';

export interface VerifyFailure {
  code: VerifyFailureCode;
  /** What is wrong and what to do, for people. */
  sentence: string;
  /** onnxruntime's (or the worker's) own text; null when the sentence is already the whole story. */
  raw: string | null;
}

/** onnxruntime failed while loading or running one of the two models; the message is its own text. */
export class VerifyRunError extends Error {
  constructor(
    readonly stage: VerifyStage,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyRunError';
  }
}

/** A failure carried across a boundary (the verification worker's reply) as an error; the message is the sentence. */
export class VerifyFailedError extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.sentence);
    this.name = 'VerifyFailedError';
  }
}

const textOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** For `.catch`: an error of onnxruntime's at `stage`, rethrown with the stage attached. */
export function failedAt(stage: VerifyStage): (e: unknown) => never {
  return (e) => {
    throw new VerifyRunError(stage, textOf(e));
  };
}

/** A failure whose words are already ours (the verifier's own checks). */
export function ownWords(message: string, code: VerifyFailureCode = 'CANNOT_COMPARE'): VerifyFailure {
  return { code, sentence: message, raw: null };
}

interface Found {
  /** The node onnxruntime names, with its op type when it says it. */
  node: string | null;
  op: string | null;
  input: string | null;
}

function found(raw: string): Found {
  const running = /running (\w+) node\. Name:'([^']*)'/.exec(raw);
  const nodeOp = /Node \(([^)]*)\) Op \((\w+)\)/.exec(raw);
  const inNode = /Optype \((\w+)\)[^]*?in node \(([^)]*)\)/.exec(raw);
  const input = /for input: (\S+)/.exec(raw) ?? /input '([^']+)' is missing/.exec(raw) ?? /Missing Input: (\S+)/.exec(raw);
  const node = running?.[2] ?? nodeOp?.[1] ?? inNode?.[2] ?? null;
  const op = running?.[1] ?? nodeOp?.[2] ?? inNode?.[1] ?? /No Op registered for (\w+)/.exec(raw)?.[1] ?? null;
  return { node: node || null, op, input: input?.[1] ?? null };
}

/** The model as people call it at each stage, and what onnxruntime was doing with it. */
function subject(stage: VerifyStage | null): { who: string; doing: 'load' | 'run' | 'check' } {
  switch (stage) {
    case 'load-original':
      return { who: 'the model as opened', doing: 'load' };
    case 'load-fused':
      return { who: 'the folded model', doing: 'load' };
    case 'run-original':
      return { who: 'the model as opened', doing: 'run' };
    case 'run-fused':
      return { who: 'the folded model', doing: 'run' };
    case null:
      return { who: 'the model', doing: 'check' };
  }
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The kinds in the order they are tried: memory first ("Aborted(OOM)" is not a cancel). */
const KINDS: readonly { code: VerifyFailureCode; test: RegExp }[] = [
  { code: 'OUT_OF_MEMORY', test: /out of memory|\bOOM\b|bad_alloc|allocation failed|failed to allocate|could not allocate|maximum memory size|cannot enlarge memory/i },
  { code: 'CANCELLED', test: /\bcancel(l?ed)?\b|AbortError/i },
  { code: 'MISSING_INPUT', test: /is missing in 'feeds'|missing input/i },
  { code: 'TYPE_MISMATCH', test: /type error|unexpected input data type|bound to different types|type mismatch|type \(tensor\([^)]*\)\) of (input|output) (parameter|arg)/i },
  { code: 'SHAPE_MISMATCH', test: /shapeinferenceerror|dimension mismatch|invalid rank for input|invalid dimensions for input|cannot be reshaped|incompatible dimensions|dimension != |shape mismatch|invalid input (scale|b|mean|var)\b/i },
  { code: 'UNSUPPORTED_OP', test: /no op registered|could not find an implementation|is under development|unsupported (model )?(ir )?(version|opset)|not (yet )?(supported|implemented)/i },
  { code: 'INVALID_MODEL', test: /protobuf parsing failed|failed to load model|invalid_protobuf|invalid_graph|model_path must not be empty/i },
];

/** The page's only engine, and the CLI's and library's unless told otherwise. */
const WEB = 'onnxruntime-web';

/**
 * onnxruntime's text (from `stage`, when known) as a sentence that says what is wrong and what to do.
 * `engine` is the package that ran (`onnxruntime-node` under the CLI's `--engine node`): a limit of one build is not the other's.
 */
export function describeVerifyFailure(raw: string, stage: VerifyStage | null, engine: string = WEB): VerifyFailure {
  const code = KINDS.find((k) => k.test.test(raw))?.code ?? 'UNKNOWN';
  const { who, doing } = subject(stage);
  const f = found(raw);
  const at = f.node ? ` at node “${f.node}”${f.op ? ` (${f.op})` : ''}` : f.op ? ` in a ${f.op} node` : '';
  const cannot = doing === 'check' ? 'so verification could not finish' : `so onnxruntime cannot ${doing} it`;
  // The model as opened passed the same step: what broke is the fold, not the model.
  const foldBlame = stage === 'load-fused' || stage === 'run-fused' ? ' The model as opened passed this step, so the fold caused it: undo the fold and report the model.' : '';
  const sentence = ((): string => {
    switch (code) {
      case 'SHAPE_MISMATCH':
        return `${capital(who)} has tensors whose sizes do not fit together${at}${f.input ? ` (input “${f.input}”)` : ''}, ${cannot}.${
          foldBlame ||
          ` Check the sizes along ${f.node ? 'that node’s' : 'each node’s'} axes — a BatchNormalization’s channels must equal the size of its input’s axis 1, a MatMul’s inner sizes must agree, a Reshape must keep the element count — or give the model’s named dims other values.`
        }`;
      case 'TYPE_MISMATCH':
        return `${capital(who)} mixes element types${at}${f.input ? ` (input “${f.input}”)` : ''} (for example float and double), ${cannot}.${foldBlame || ' Make the types agree: cast one side, or export the whole model in one precision.'}`;
      case 'MISSING_INPUT':
        return `${capital(who)} needs ${f.input ? `the input “${f.input}”` : 'an input'}, which was not given, ${cannot}. Give every graph input a value, or store it in the model as an initializer.`;
      case 'UNSUPPORTED_OP':
        return `${capital(who)} uses ${f.op ? `the operator ${f.op}` : 'an operator'} at an opset version ${engine} does not run, ${cannot}.${foldBlame || ` Export the model with a released opset (the details say up to which one ${engine} goes), or replace that operator.`}`;
      case 'INVALID_MODEL':
        return `onnxruntime could not read ${who} as an ONNX model (the file is damaged or not ONNX).${foldBlame || ' Open the file again; if it came from an export, export it again.'}`;
      case 'OUT_OF_MEMORY':
        return `Memory ran out ${doing === 'check' ? 'during verification' : `while ${doing === 'load' ? 'loading' : 'running'} ${who}`}. Close other tabs, or give the model’s named dims smaller values, and verify again.`;
      case 'CANCELLED':
        return 'Verification was stopped before it finished; nothing was compared. Run it again to compare.';
      case 'CANNOT_COMPARE':
      case 'UNKNOWN':
        return `onnxruntime could not ${doing === 'check' ? 'verify' : doing} ${who}, for a reason Fusion Inspector does not recognise.${foldBlame || ' onnxruntime’s own words are given with it; if the model runs elsewhere, please report it with them.'}`;
    }
  })();
  return { code, sentence, raw };
}

/** Any error met while verifying on `engine` (a package name), as a failure: onnxruntime's at a stage, one already in words, or anything else. */
export function failureOfError(e: unknown, engine: string = WEB): VerifyFailure {
  if (e instanceof VerifyFailedError) return e.failure;
  if (e instanceof VerifyRunError) return describeVerifyFailure(e.message, e.stage, engine);
  return describeVerifyFailure(textOf(e), null, engine);
}
