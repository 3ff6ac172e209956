/**
 * The conditions every pattern shares, each named after the reason code it gives
 * (../shared/FUSION_RULES.md; docs/RULES.md). The parameter checks (constant, readable, float,
 * 1-D, one value per channel) run in one pass over the parameters, `scanParameters`, since they
 * run for every pair of a 100,000-node model; the functions named after their codes turn its
 * findings into reasons.
 */
import { attrInt } from '../onnx/attributes';
import { inputOf, opsetVersion, type Consumer, type Graph, type GraphNode, type Value } from '../graph/graph';
import { BODY_READ, readerAt, readerNode, readerSlot } from '../graph/readers';
import { formatShape, type Dim, type ShapeInfo } from '../graph/shapeInference';
import { dtypeName, externalLocation, FLOAT_TYPES, isExternal, tensorDataProblem, tensorDims, toNumber } from '../onnx/tensor';
import type { TensorProto } from '../onnx/types';
import { nodeRef, q } from './common';
import { isOnnxOp } from '../graph/onnxDomain';
import type { Reason } from './reasons';

/** The last opset whose BatchNormalization/Gemm/MatMul semantics this tool knows. */
export const MAX_KNOWN_OPSET = 24;

const NO_NAMES: readonly string[] = [];

/**
 * Whether the value's k-th reader blocks a fold that deletes or changes the value: anything but input
 * slots of node `only` — a read inside a subgraph of `only` included — except, where allowed, a
 * Shape or Size, which reads only the shape a fold that keeps the value leaves as it was.
 */
function blocks(g: Graph, v: Value, k: number, only: number, shapeReadsAllowed: boolean): boolean {
  if (readerSlot(g, v, k) === BODY_READ) return true;
  const node = readerNode(g, v, k);
  if (node === only) return false;
  const op = g.nodes[node].opType;
  return !(shapeReadsAllowed && (op === 'Shape' || op === 'Size'));
}

/** Whether anything blocks the fold (a loop over the reader table, no object per reader: it runs for every pair). */
function readByOthers(g: Graph, v: Value, only: number, shapeReadsAllowed: boolean): boolean {
  for (let k = 0; k < v.readerCount; k++) if (blocks(g, v, k, only, shapeReadsAllowed)) return true;
  return false;
}

/** How a message names a reader: `Relu "r"`, or `a node inside the body of Loop "l"`. */
function readerRef(g: Graph, c: Consumer): string {
  switch (c.kind) {
    case 'slot':
      return nodeRef(g.nodes[c.node]);
    case 'body':
      return `a node inside ${c.where}`;
  }
}

/** Who else reads a value, for a message. */
function othersText(g: Graph, v: Value, only: number, shapeReadsAllowed: boolean): string {
  const seen = new Set<string>();
  for (let k = 0; k < v.readerCount; k++) if (blocks(g, v, k, only, shapeReadsAllowed)) seen.add(readerRef(g, readerAt(g, v, k)));
  return [...seen].join(', ');
}

/**
 * The values a fold deletes, each with the one node allowed to read it and a label for messages.
 * Parallel arrays refilled for each pair (one list, reset per call: no allocation per pair).
 */
export class PrivateValues {
  readonly values: (Value | undefined)[] = [];
  readonly readers: number[] = [];
  readonly labels: (string | null)[] = [];
  /** The fold keeps this value (new numbers, same shape): readers of its shape alone do not block it. */
  readonly shapeReads: boolean[] = [];
  length = 0;
  reset(): this {
    this.length = 0;
    return this;
  }
  add(v: Value | undefined, reader: number, label: string | null = null, shapeReads = false): void {
    this.values[this.length] = v;
    this.readers[this.length] = reader;
    this.labels[this.length] = label;
    this.shapeReads[this.length] = shapeReads;
    this.length++;
  }
}

/**
 * PRE_BN_VALUE_SHARED: each value the fold deletes may be read by its one reader only, and must
 * not be a graph output. `what` names the op the BN is folded into.
 */
export function preBnValueShared(g: Graph, list: PrivateValues, what: string, folded = 'BatchNormalization'): Reason | null {
  let shared: string[] | null = null;
  let outputOnly = true;
  for (let i = 0; i < list.length; i++) {
    const v = list.values[i];
    const only = list.readers[i];
    const label = list.labels[i];
    if (!v) continue;
    const name = label ? `${label} ${q(v.name)}` : q(v.name);
    const shapeReads = list.shapeReads[i];
    if (readByOthers(g, v, only, shapeReads)) {
      (shared ??= []).push(`${name} is also read by ${othersText(g, v, only, shapeReads)}`);
      outputOnly = false;
    }
    if (v.isGraphOutput) (shared ??= []).push(`${name} is a graph output`);
  }
  if (!shared) return null;
  return {
    code: 'PRE_BN_VALUE_SHARED',
    message: `${shared.join('; ')}. Folding ${folded} into the ${what} would change what ${shared.length === 1 && outputOnly ? 'the model returns there' : 'those readers see'}.`,
  };
}

/** Ops an exporter puts between a DequantizeLinear and the weight it feeds (layout only). */
const LAYOUT_OPS: ReadonlySet<string> = new Set(['Identity', 'Reshape', 'Transpose', 'Unsqueeze', 'Squeeze', 'Flatten', 'Cast']);

/** The DequantizeLinear a value comes from through layout-only ops, if any. */
function dequantizedFrom(g: Graph, v: Value): GraphNode | null {
  for (let at: Value | undefined = v, steps = 0; at && at.producer >= 0 && steps < 16; steps++) {
    const n: GraphNode = g.nodes[at.producer];
    if (n.opType === 'DequantizeLinear') return n;
    if (!LAYOUT_OPS.has(n.opType)) return null;
    at = inputOf(g, n, 0);
  }
  return null;
}

/** What one pass over a pair's parameters found; each list is null when empty. */
export interface ParameterScan {
  /** BN's channel count: its scale's length, else what the caller knew. */
  channels: number | null;
  missing: string[] | null;
  notConst: string[] | null;
  quantized: string[] | null;
  notLoaded: [string, TensorProto][] | null;
  broken: string[] | null;
  dtypes: string[] | null;
  paramShapes: string[] | null;
  paramCounts: Reason[] | null;
}

/** Names messages use for the two ops, built on first use (most pairs need no message). */
export interface OpRefs {
  readonly bn: string;
  readonly lin: string;
}

const NO_REASONS: readonly Reason[] = [];

/**
 * Every parameter constant, readable, floating-point, and (for BN) 1-D with one value per channel.
 * One pass, one lookup per parameter, over parallel arrays (roles, names, values; BN's own from
 * `firstBn` on) — measured as the fastest form for the 100,000-node case. `skipNotConst` exempts a
 * role already reported otherwise (a residual Add's computed operand).
 */
export function scanParameters(
  g: Graph,
  shapes: ShapeInfo,
  roles: readonly string[],
  names: readonly string[],
  values: readonly (Value | undefined)[],
  firstBn: number,
  channels: number | null,
  refs: OpRefs,
  skipNotConst: string | null,
): ParameterScan {
  const s: ParameterScan = { channels, missing: null, notConst: null, quantized: null, notLoaded: null, broken: null, dtypes: null, paramShapes: null, paramCounts: null };
  for (let i = 0; i < names.length; i++) {
    const role = roles[i];
    const name = names[i];
    const v = values[i];
    if (name === '') {
      (s.missing ??= []).push(role);
      continue;
    }
    const c = v?.constant;
    let problem: string | null = null;
    if (c === undefined) {
      const dq = v ? dequantizedFrom(g, v) : null;
      if (dq) {
        (s.quantized ??= []).push(`${role} ${q(name)} is computed by ${nodeRef(dq)} from ${q(dq.proto.input[0] ?? '')}`);
      } else if (role !== skipNotConst) {
        const why = v?.notConstantBecause ?? (v?.isGraphInput ? `${q(name)} is a graph input` : v && v.producer >= 0 ? `${q(name)} is computed by ${nodeRef(g.nodes[v.producer])}` : `${q(name)} is not defined`);
        (s.notConst ??= []).push(`${role}: ${why}`);
      }
    } else {
      problem = tensorDataProblem(c);
      if (problem !== null) {
        if (isExternal(c)) (s.notLoaded ??= []).push([`${role} ${q(name)}`, c]);
        else (s.broken ??= []).push(`${role} ${q(name)} cannot be read (${problem})`);
      }
    }
    // A readable constant's type is its tensor's (shape inference records exactly that), which
    // saves a lookup in a map of every value; anything else is read from shape inference.
    const info = c !== undefined && problem === null ? undefined : shapes.types.get(name);
    if ((c === undefined || problem !== null) && info === undefined) continue;
    const dt = info ? info.dtype : c!.dataType;
    if (dt !== undefined && !FLOAT_TYPES.has(dt)) (s.dtypes ??= []).push(`${role} ${q(name)} is ${dtypeName(dt)}`);
    if (i < firstBn) continue;
    // Rank and length read without building a dims array (the shape is formatted only for a message).
    const sh = info ? info.shape : null;
    if (info && sh === null) continue;
    const rank = sh ? sh.length : c!.dims.length;
    const count = sh ? sh[0] : rank > 0 ? toNumber(c!.dims[0]) : null;
    if (rank !== 1) {
      (s.paramShapes ??= []).push(`BatchNormalization ${role} ${q(name)} has shape ${formatShape(sh ?? tensorDims(c!))}, not 1-D`);
    } else if (typeof count === 'number') {
      // scale comes before B, mean and var, so the channel count is settled when they are checked.
      if (role === 'scale') s.channels = count;
      else if (s.channels !== null && count !== s.channels) {
        (s.paramCounts ??= []).push({ code: 'CHANNEL_MISMATCH', message: `${refs.bn}'s ${role} ${q(name)} has ${count} values but its scale has ${s.channels}; every parameter needs one value per channel.` });
      }
    }
  }
  return s;
}

/** NON_CONSTANT_PARAMS: missing, computed or overridable parameters, and data that cannot be read. */
export function nonConstantParams(s: ParameterScan, bn: GraphNode, bnRef: string): readonly Reason[] {
  if (!s.missing && !s.notConst && !s.notLoaded && !s.broken) return NO_REASONS;
  const out: Reason[] = [];
  if (s.missing) {
    out.push({
      code: 'NON_CONSTANT_PARAMS',
      message: `The fold needs every parameter, but ${s.missing.join(', ')} ${s.missing.length === 1 ? 'is' : 'are'} missing: ${bnRef} has ${bn.proto.input.length} input(s) where BatchNormalization takes 5 (X, scale, B, mean, var).`,
    });
  }
  if (s.notConst) out.push({ code: 'NON_CONSTANT_PARAMS', message: `The fold needs constant parameters, known before the model runs. Not constant — ${s.notConst.join('; ')}.` });
  if (s.notLoaded || s.broken) {
    const parts: string[] = [];
    if (s.notLoaded) {
      const files = [...new Set(s.notLoaded.map(([, t]) => externalLocation(t) ?? '?'))];
      parts.push(`${s.notLoaded.map(([what]) => what).join(', ')} ${s.notLoaded.length === 1 ? 'is' : 'are'} stored in external data (${files.map(q).join(', ')}) that is not loaded — add the data file to judge this pair`);
    }
    if (s.broken) parts.push(...s.broken);
    out.push({ code: 'NON_CONSTANT_PARAMS', message: `The fold needs the parameters' values, but ${parts.join('; ')}.` });
  }
  return out;
}

/** QUANTIZED_WEIGHT: a parameter that comes from DequantizeLinear. */
export function quantizedWeight(s: ParameterScan): Reason | null {
  if (!s.quantized) return null;
  return {
    code: 'QUANTIZED_WEIGHT',
    message: `${s.quantized.join('; ')}: a quantized parameter. Folding BatchNormalization would need it as a float tensor, which silently drops the quantization; fold before quantizing, or re-quantize the folded weight.`,
  };
}

/** UNSUPPORTED_DTYPE: non-floating tensors, or BN parameters that are not 1-D. */
export function unsupportedDtype(s: ParameterScan, x: string, xDtype: number | undefined): Reason | null {
  const dtypes = s.dtypes ?? [];
  if (xDtype !== undefined && !FLOAT_TYPES.has(xDtype)) dtypes.push(`${q(x)} is ${dtypeName(xDtype)}`);
  if (dtypes.length === 0 && !s.paramShapes) return null;
  return { code: 'UNSUPPORTED_DTYPE', message: `The fold works on floating-point tensors with 1-D BatchNormalization parameters: ${[...dtypes, ...(s.paramShapes ?? [])].join('; ')}.` };
}

/** BN_TRAINING_MODE: only inference-mode BatchNormalization is a fixed affine map. */
export function bnTrainingMode(g: Graph, bn: GraphNode, refs: OpRefs): Reason | null {
  const p = bn.proto;
  const training = attrInt(p, 'training_mode', 0);
  const isTest = attrInt(p, 'is_test');
  const extraOutputs = p.output.length > 1 ? p.output.slice(1).filter((o) => o !== '') : NO_NAMES;
  const opset = opsetVersion(g, '') ?? 0;
  if (training !== 1 && extraOutputs.length === 0 && (opset >= 7 || isTest === 1)) return null;
  const parts: string[] = [];
  if (training === 1) parts.push('training_mode=1');
  if (extraOutputs.length > 0) parts.push(`it writes its running statistics (${extraOutputs.map(q).join(', ')})`);
  if (opset < 7 && isTest !== 1) parts.push('is_test is not set (opset < 7)');
  return {
    code: 'BN_TRAINING_MODE',
    message: `${refs.bn} runs in training mode: ${parts.join(', ')}. It then normalizes with the batch's own statistics, which change with every input; only inference-mode BatchNormalization is a fixed affine map that can be folded.`,
  };
}

/** UNSUPPORTED_OPSET: opsets and attributes whose semantics this tool knows; ops in other domains. */
export function unsupportedOpset(g: Graph, bn: GraphNode, linearNodes: readonly number[], refs: OpRefs): readonly Reason[] {
  const opset = opsetVersion(g, '') ?? 0;
  const spatial = attrInt(bn.proto, 'spatial');
  let foreign = false;
  for (const i of linearNodes) if (!isOnnxOp(g.nodes[i])) foreign = true;
  if (!foreign && opset >= 7 && opset <= MAX_KNOWN_OPSET && spatial !== 0) return NO_REASONS;
  const out: Reason[] = [];
  if (opset < 7 || opset > MAX_KNOWN_OPSET || spatial === 0) {
    const why =
      spatial === 0
        ? `${refs.bn} has spatial=0 (per-activation statistics), which this fold does not model`
        : opset < 7
          ? `the model uses ai.onnx opset ${opset}; BatchNormalization before opset 7 has legacy attributes (is_test, spatial, consumed_inputs)`
          : `the model uses ai.onnx opset ${opset}, newer than the opsets this tool knows (up to ${MAX_KNOWN_OPSET})`;
    out.push({ code: 'UNSUPPORTED_OPSET', message: `${why}; not claimed fusable.` });
  }
  for (const i of linearNodes) {
    const d = g.nodes[i].domain;
    if (!isOnnxOp(g.nodes[i])) out.push({ code: 'UNSUPPORTED_OPSET', message: `${nodeRef(g.nodes[i])} is in domain ${q(d)}, not ai.onnx.` });
  }
  return out;
}

/** CHANNEL_MISMATCH: BN needs one channel per feature (or per output channel); one channel always fits. */
export function channelMismatch(channels: number | null, n: number | null, bnRef: string, linRef: string, sizeName: string, perName: string): Reason | null {
  if (channels === null || n === null || channels === n || channels === 1) return null;
  return { code: 'CHANNEL_MISMATCH', message: `${bnRef} has ${channels} channels but ${linRef} has ${n} ${sizeName}; a per-channel scale needs one channel per ${perName}.` };
}

/** UNKNOWN_RANK / LINEAR_OUTPUT_RANK for a Linear whose output BN reads directly. */
export function linearOutputRank(linRef: string, bnRef: string, xShape: Dim[] | null, channels: number | null, n: number | null, x: string): Reason | null {
  if (xShape === null) {
    return {
      code: 'UNKNOWN_RANK',
      message: `The rank of ${q(x)}, the value between ${linRef} and ${bnRef}, cannot be determined from the model, so it is unknown whether BatchNormalization's axis 1 is the Linear's feature axis. Not claimed fusable.`,
    };
  }
  if (xShape.length === 2 || channels === 1) return null;
  const last = xShape.length - 1;
  const same = n !== null && channels !== null && n === channels;
  return {
    code: 'LINEAR_OUTPUT_RANK',
    message:
      `${linRef} writes its ${n ?? '?'} features on the last axis (axis ${last}) of ${formatShape(xShape)}, ` +
      `while ${bnRef} normalizes axis 1 (${channels ?? '?'} channels). They act on different axes, so the per-channel scale γ/√(σ²+ε) ` +
      `cannot be folded into the weight's ${n ?? '?'} output features` +
      (same ? ` — even though both sizes are ${n}: matching sizes are not enough.` : '.') +
      ` Only a rank-2 output [N, C] puts the features on axis 1.`,
  };
}
