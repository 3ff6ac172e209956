/**
 * The line under the fold's formulas naming what normalizes: a BatchNormalization's parameters and
 * ε, or — for Linear/Conv → Mul [→ Add] — the Mul's scale and the Add's shift as they are, with
 * their own shapes (a Mul has no γ, μ, σ² or ε).
 */
import { formatShape } from '../graph/dims';
import { float32Text } from '../numberText';
import { q } from '../rules/common';
import type { ConstantView, NormView } from '../session/types';

function constantText(c: ConstantView): string {
  return `${q(c.constant)} ${formatShape(c.shape)}`;
}

export function normParamsText(norm: NormView, channels: number | null): string {
  switch (norm.op) {
    case 'BatchNormalization':
      return `γ, β, μ, σ²: [${channels ?? '?'}], ε = ${float32Text(norm.epsilon)}`;
    case 'Mul': {
      const s = `s = ${constantText(norm.scale)}, the Mul’s constant`;
      return norm.shift ? `${s}; t = ${constantText(norm.shift)}, the Add’s constant` : `${s}; no Add after it, so t = 0`;
    }
  }
}
