/**
 * What the user chose for a verify run, per model input — random, typed values, a `.npy`/`.pb` file
 * or an image — with the symbolic dims typed by hand and a dropped test data set; and the one
 * function that turns those choices into the worker's `PageInputs`, or says in words what is missing.
 */
import type { Dim } from '../../core/graph/dims';
import type { TensorSummary } from '../../core/report';
import { IMAGENET, imageSlot, type Normalization } from '../../core/tensorFiles/imageTensor';
import type { OrtLevel } from '../../core/verify/ortCheck';
import type { DataFile, PageInput, PageInputs } from '../worker/protocol';
import { float32Text } from '../../core/numberText';

export type InputChoice =
  | { kind: 'random' }
  | { kind: 'values'; text: string }
  /** null until a file is picked. */
  | { kind: 'file'; file: File | null }
  /** `height`/`width` as typed (used only where the input's H or W is symbolic); `mean`/`std` three numbers each, or both empty. */
  | { kind: 'image'; file: File | null; height: string; width: string; mean: string; std: string };

export type InputChoiceKind = InputChoice['kind'];

export interface VerifySetup {
  /** The model these choices belong to: a newly opened file starts over. */
  openSeq: number;
  inputs: Record<string, InputChoice>;
  /** Symbolic dims as typed ('' for the default). */
  dims: Record<string, string>;
  testData: { name: string; files: DataFile[] } | null;
  /** Another model to verify the open one against, instead of the model as opened. */
  reference: { name: string; file: File } | null;
  ortLevel: OrtLevel;
}

export function emptySetup(openSeq: number): VerifySetup {
  return { openSeq, inputs: {}, dims: {}, testData: null, reference: null, ortLevel: 'all' };
}

/** The size an image is resized to when the input's H or W is symbolic and nothing is typed. */
export const DEFAULT_IMAGE_SIZE = 224;

export const IMAGENET_TEXT = { mean: IMAGENET.mean.map(float32Text).join(', '), std: IMAGENET.std.map(float32Text).join(', ') };

export function isFloat(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

/** The choices an input offers: random only for floats, an image only for an image-shaped one. */
export function choicesFor(input: TensorSummary): InputChoiceKind[] {
  return [...(isFloat(input.dtype) ? (['random'] as const) : []), 'values', 'file', ...(imageSlot(input.dtype, input.shape) ? (['image'] as const) : [])];
}

/** The input's choice: what the user picked, else random for a float and typed values for the rest. */
export function choiceOf(setup: VerifySetup, input: TensorSummary): InputChoice {
  return setup.inputs[input.name] ?? (isFloat(input.dtype) ? { kind: 'random' } : { kind: 'values', text: '' });
}

/** The key `dims` uses for an axis: its symbolic name, or `input:axis` for an unnamed one. */
function dimKey(input: string, axis: number, d: Dim): string | null {
  return typeof d === 'number' ? null : (d ?? `${input}:${axis}`);
}

/**
 * The symbolic dims that get a number field: those of inputs left random or typed. A file, an image
 * or a test data set binds the dims of its input by its own shape.
 */
export function dimFields(inputs: readonly TensorSummary[], setup: VerifySetup): string[] {
  const bound = new Set<string>();
  const open = new Set<string>();
  for (const i of inputs) {
    const kind = choiceOf(setup, i).kind;
    const bindsOwn = kind === 'file' || kind === 'image' || (setup.testData !== null && setup.inputs[i.name] === undefined);
    i.shape?.forEach((d, axis) => {
      const k = dimKey(i.name, axis, d);
      if (k) (bindsOwn ? bound : open).add(k);
    });
  }
  return [...open].filter((k) => !bound.has(k));
}

/** An image input's size: the declared H and W, else the typed ones (default 224). */
export function imageSize(input: TensorSummary, c: Extract<InputChoice, { kind: 'image' }>): { height: number | null; width: number | null; fixed: { height: boolean; width: boolean } } {
  const slot = imageSlot(input.dtype, input.shape)!;
  const pick = (d: Dim, typed: string): number | null => {
    if (typeof d === 'number') return d;
    if (typed.trim() === '') return DEFAULT_IMAGE_SIZE;
    const n = Number(typed);
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  return { height: pick(slot.height, c.height), width: pick(slot.width, c.width), fixed: { height: typeof slot.height === 'number', width: typeof slot.width === 'number' } };
}

function triple(text: string): [number, number, number] | null {
  const v = text
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map(Number);
  return v.length === 3 && v.every(Number.isFinite) ? [v[0], v[1], v[2]] : null;
}

/** The typed mean/std: none when both are empty, else three numbers each (std not 0). */
export function normalizationOf(c: Extract<InputChoice, { kind: 'image' }>): { ok: true; value: Normalization | null } | { ok: false; problem: string } {
  if (c.mean.trim() === '' && c.std.trim() === '') return { ok: true, value: null };
  const mean = triple(c.mean);
  const std = triple(c.std);
  if (!mean || !std) return { ok: false, problem: 'mean and std take three numbers each (R, G, B), or leave both empty for [0, 1]' };
  if (std.some((s) => s === 0)) return { ok: false, problem: 'no std may be 0' };
  return { ok: true, value: { mean, std } };
}

/** The worker's inputs for these choices, or every problem in words (nothing runs while there is one). */
export function pageInputsOf(inputs: readonly TensorSummary[], setup: VerifySetup): { ok: true; given: PageInputs } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const given: Record<string, PageInput> = {};
  for (const i of inputs) {
    const c = choiceOf(setup, i);
    const what = `Input "${i.name}" (${i.dtype} [${(i.shape ?? []).map((d) => d ?? '?').join(', ')}])`;
    switch (c.kind) {
      case 'random':
        break;
      case 'values':
        if (c.text.trim() !== '') given[i.name] = { kind: 'values', text: c.text };
        // A test data set may hold it; else integers and bools cannot be made up.
        else if (setup.testData === null || setup.inputs[i.name] !== undefined)
          problems.push(`${what} needs its values: random ones would be meaningless for ${isFloat(i.dtype) ? 'it' : 'an integer or bool input (it may be a shape, an index, a mask or a sample rate)'}. Type them, or pick a .npy or .pb file.`);
        break;
      case 'file':
        if (c.file) given[i.name] = { kind: 'file', name: c.file.name, file: c.file };
        else problems.push(`${what}: pick its .npy or .pb file.`);
        break;
      case 'image': {
        const size = imageSize(i, c);
        const norm = normalizationOf(c);
        if (!c.file) problems.push(`${what}: pick its image file.`);
        else if (size.height === null || size.width === null) problems.push(`${what}: the image's height and width must be whole numbers above 0.`);
        else if (!norm.ok) problems.push(`${what}: ${norm.problem}.`);
        else given[i.name] = { kind: 'image', name: c.file.name, file: c.file, height: size.height, width: size.width, normalize: norm.value };
        break;
      }
      default:
        c satisfies never;
    }
  }
  const dims: Record<string, number> = {};
  for (const k of dimFields(inputs, setup)) {
    const t = (setup.dims[k] ?? '').trim();
    if (t === '') continue;
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1) problems.push(`The dimension ${k} must be a whole number above 0, not "${t}".`);
    else dims[k] = n;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, given: { inputs: given, dims, testData: setup.testData?.files ?? null } };
}
