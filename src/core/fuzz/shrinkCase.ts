/**
 * Shrinking a failing FoldCase to a minimal one: greedy, one smaller description at a time (a
 * stage removed, a size lowered, an option set back to its plain value), kept while it is still a
 * valid model and still fails the same way.
 */
import { caseShapes, InvalidCase } from './foldBuild';
import type { FoldCase, Stage } from './foldCase';

function valid(c: FoldCase): boolean {
  try {
    caseShapes(c);
    return true;
  } catch (e) {
    if (e instanceof InvalidCase) return false;
    throw e;
  }
}

/** Plainer versions of one stage, smallest change first. */
function plainerStages(s: Stage): Stage[] {
  const out: Stage[] = [];
  switch (s.op) {
    case 'gemm':
      if (s.transA) out.push({ ...s, transA: 0 });
      if (s.transB) out.push({ ...s, transB: 0 });
      if (s.alpha !== 1) out.push({ ...s, alpha: 1 });
      if (s.beta !== 1) out.push({ ...s, beta: 1 });
      if (s.bias !== 'N') out.push({ ...s, bias: 'N' });
      if (s.out > 1) out.push({ ...s, out: s.out - 1 });
      break;
    case 'matmul':
      if (s.add !== 'none') out.push({ ...s, add: 'none' });
      if (s.out > 1) out.push({ ...s, out: s.out - 1 });
      break;
    case 'conv':
      if (s.transpose) out.push({ ...s, transpose: false });
      if (s.group > 1) out.push({ ...s, group: 1 });
      if (s.kernel > 1) out.push({ ...s, kernel: s.kernel - 1 });
      if (s.stride > 1) out.push({ ...s, stride: 1 });
      if (s.pad > 0) out.push({ ...s, pad: 0 });
      if (s.dilation > 1) out.push({ ...s, dilation: 1 });
      if (s.bias) out.push({ ...s, bias: false });
      if (s.out > 1) out.push({ ...s, out: s.out - s.group });
      break;
    case 'bn':
      if (s.training) out.push({ ...s, training: false });
      if (s.epsilon !== 1e-5) out.push({ ...s, epsilon: 1e-5 });
      break;
    case 'reshape':
      for (let i = 0; i < s.shape.length; i++) if (s.shape[i] > 1) out.push({ ...s, shape: s.shape.map((d, j) => (j === i ? d - 1 : d)) });
      break;
    case 'add-const':
    case 'mul-const':
      if (s.dims.length > 0) out.push({ ...s, dims: [] });
      break;
    case 'transpose':
    case 'flatten':
    case 'squeeze':
    case 'unsqueeze':
      break;
  }
  return out;
}

/** Every one-step smaller description, most shrinking first. */
export function shrinkCandidates(c: FoldCase): FoldCase[] {
  const out: FoldCase[] = [];
  for (let i = 0; i < c.stages.length; i++) {
    const stages = c.stages.filter((_, j) => j !== i);
    const reader = c.reader.kind === 'none' ? c.reader : c.reader.at === i ? { kind: 'none' as const } : { ...c.reader, at: c.reader.at > i ? c.reader.at - 1 : c.reader.at };
    out.push({ ...c, stages, reader });
  }
  if (c.reader.kind !== 'none') out.push({ ...c, reader: { kind: 'none' } });
  if (c.params !== 'initializer') out.push({ ...c, params: 'initializer' });
  if (c.dtype !== 'float32') out.push({ ...c, dtype: 'float32' });
  if (c.symbolic) out.push({ ...c, symbolic: false });
  if (c.opset !== 17) out.push({ ...c, opset: 17 });
  for (let i = 0; i < c.input.length; i++) {
    if (c.input[i] > 1) out.push({ ...c, input: c.input.map((d, j) => (j === i ? 1 : d)) }, { ...c, input: c.input.map((d, j) => (j === i ? d - 1 : d)) });
  }
  c.stages.forEach((s, i) => {
    for (const t of plainerStages(s)) out.push({ ...c, stages: c.stages.map((u, j) => (j === i ? t : u)) });
  });
  return out.filter(valid);
}

/** The smallest description found that still fails (`stillFails`), within `budget` tries. */
export async function shrinkCase(c: FoldCase, stillFails: (c: FoldCase) => Promise<boolean>, budget = 300): Promise<FoldCase> {
  let best = c;
  let tries = 0;
  for (let improved = true; improved && tries < budget; ) {
    improved = false;
    for (const cand of shrinkCandidates(best)) {
      if (++tries > budget) break;
      if (await stillFails(cand)) {
        best = cand;
        improved = true;
        break;
      }
    }
  }
  return best;
}
