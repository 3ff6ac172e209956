/**
 * The fold as the page states it: which per-channel scale each weight entry gets, which axis of the
 * weight is scaled, and where the shift goes. Plain data, so the page renders it and a test
 * evaluates exactly what is stated on the real tensors (src/core/patterns/formula.test.ts).
 */
import { formatShape, type Dim } from '../graph/shapeInference';
import { float32Text } from '../numberText';

/** How BN's per-channel s (and t) become one value per weight index. */
export type ScaleMap =
  | { op: 'per-channel' }
  /** One channel: the same s for every one of `count` features. */
  | { op: 'uniform'; count: number | null }
  /** Through a Reshape: feature n takes channel ⌊n / R⌋ mod C. */
  | { op: 'reshape'; r: number; c: number };

export type WeightRule =
  /** W′ = diag(s) · W: row i times s[i]. */
  | { op: 'diag-left' }
  /** W′ = W · diag(s): column j times s[j]. */
  | { op: 'diag-right' }
  /** Conv: W′[m, …] = s[m] · W[m, …]. */
  | { op: 'filters' }
  /** ConvTranspose [C, M/G, k…]: W′[c, j, …] = s[g(c)·(M/G) + j] · W[c, j, …], g(c) = ⌊c / (C/G)⌋. */
  | { op: 'grouped-axis1'; groups: number }
  /** BN → Conv [M, C/G, k…]: W′[m, j, …] = W[m, j, …] · s[k(m) · (C/G) + j], k(m) = ⌊m / (M/G)⌋ the group of filter m. */
  | { op: 'input-channels'; groups: number };

export type BiasRule =
  /** b′ = s · (b − μ) + β, one value per output feature (b = 0 without a bias). */
  | { op: 'affine' }
  /** b′ = b + α · (t · W): t a row of K values, W [K, N]. */
  | { op: 'shift-through-rows'; alpha: number }
  /** b′ = b + α · (W · t): W [N, K], t a column of K values. */
  | { op: 'shift-through-cols'; alpha: number }
  /** Conv → Add(a) → BN: b′ = s · (b + a − μ) + β, a the Add's constant, one value per channel (or one). */
  | { op: 'affine-add'; constant: string }
  /** BN → Conv: b′[m] = b[m] + Σ_{j, …} W[m, j, …] · t[k(m) · (C/G) + j]. */
  | { op: 'shift-through-filters' }
  /** Linear/Conv → Mul(s) [→ Add(t)]: b′ = s · b + t, s and t the constants themselves (t = 0 without the Add). */
  | { op: 'scale-shift'; scale: string; shift: string | null };

export interface FoldFormula {
  scale: ScaleMap;
  weight: WeightRule;
  bias: BiasRule;
  /** The weight's shape as the model has it. */
  weightShape: Dim[] | null;
  /** Gemm's beta when it is not 1: b is beta·C. */
  gemmBeta: number | null;
}

/** Gemm's alpha and beta are stored float32 attributes. */
const num = float32Text;

/** Where s (and t) come from: BatchNorm's parameters, or the Mul's and Add's constants. */
function firstLine(b: BiasRule): string {
  switch (b.op) {
    case 'affine':
    case 'affine-add':
      return 's = γ / √(σ² + ε)';
    case 'shift-through-rows':
    case 'shift-through-cols':
    case 'shift-through-filters':
      return 's = γ / √(σ² + ε),  t = β − s · μ   (BN: z = s · x + t)';
    case 'scale-shift':
      return `s = "${b.scale}" (the Mul's constant), t = ${b.shift ? `"${b.shift}" (the Add's constant)` : '0 (no Add)'}   (z = s · x + t)`;
  }
}

/** The formula lines the page shows, in order. */
export function formulaLines(f: FoldFormula): string[] {
  const w = f.weightShape ? formatShape(f.weightShape) : '[?]';
  const lines = [firstLine(f.bias)];
  switch (f.scale.op) {
    case 'per-channel':
      break;
    case 'uniform':
      lines.push(`s has one value: it scales all ${f.scale.count ?? '?'} features alike`);
      break;
    case 'reshape':
      lines.push(`s_n = s[⌊n / ${f.scale.r}⌋ mod ${f.scale.c}]   (feature n → channel ⌊n / R⌋ mod C, R = ${f.scale.r}, C = ${f.scale.c})`);
      break;
  }
  const sv = f.scale.op === 'reshape' ? 's_n' : 's';
  switch (f.weight.op) {
    case 'diag-left':
      lines.push(`W′ = diag(${sv}) · W   (W: ${w}, row i scaled by ${sv}[i])`);
      break;
    case 'diag-right':
      lines.push(`W′ = W · diag(${sv})   (W: ${w}, column j scaled by ${sv}[j])`);
      break;
    case 'filters':
      lines.push(`W′[m, …] = s[m] · W[m, …]   (W: ${w}, one filter per output channel m)`);
      break;
    case 'grouped-axis1':
      lines.push(`W′[c, j, …] = s[k(c) · (M/G) + j] · W[c, j, …]   (W: ${w}, G = ${f.weight.groups} groups, k(c) = ⌊c / (C/G)⌋ the group of input channel c)`);
      break;
    case 'input-channels':
      lines.push(`W′[m, j, …] = W[m, j, …] · s[k(m) · (C/G) + j]   (W: ${w}, G = ${f.weight.groups} groups, k(m) = ⌊m / (M/G)⌋ the group of filter m, j its input channel in the group)`);
      break;
  }
  const beta = f.gemmBeta !== null ? `   (b = ${num(f.gemmBeta)} · C, Gemm's beta times its C)` : '';
  const alpha = (a: number) => (a === 1 ? '' : `${num(a)} · `);
  switch (f.bias.op) {
    case 'affine':
      lines.push(f.scale.op === 'reshape' ? `b′ = s_n · (b − μ_n) + β_n   (μ_n, β_n taken like s_n)${beta}` : `b′ = s · (b − μ) + β${beta}`);
      break;
    case 'shift-through-rows':
      lines.push(`b′ = b + ${alpha(f.bias.alpha)}t · W${beta}`);
      break;
    case 'shift-through-cols':
      lines.push(`b′ = b + ${alpha(f.bias.alpha)}W · t${beta}`);
      break;
    case 'affine-add':
      lines.push(`b′ = s · (b + a − μ) + β   (a = "${f.bias.constant}", the constant the Add adds, one value per channel)`);
      break;
    case 'shift-through-filters':
      lines.push('b′[m] = b[m] + Σ_{j, …} W[m, j, …] · t[k(m) · (C/G) + j]   (the shift carried through every weight of filter m)');
      break;
    case 'scale-shift':
      lines.push(`b′ = s · b + t${beta}`);
      break;
  }
  return lines;
}
