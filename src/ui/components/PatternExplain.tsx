/** The explanation for the folds beyond Linear→BN: which axis each op acts on, and the formulas. */
import { formatShape } from '../../core/graph/shapeInference';
import type { FoldPreview, PairView } from '../../core/session/inspectorSession';
import { Formulas } from './Formulas';

function lines(pair: PairView): { axes: string; ok: string } {
  const c = pair.batchNorm.channels ?? '?';
  const out = formatShape(pair.linear.outputShape);
  const w = pair.weightShape ? formatShape(pair.weightShape) : '?';
  switch (pair.pattern) {
    case 'conv-bn':
      return {
        axes: `${pair.linear.kind} writes its ${pair.outFeatures ?? '?'} output channels on axis 1 of ${out} — the axis BatchNorm normalizes (${c} channels).`,
        ok: 'Each output channel gets its own scale, whatever the group count, so the fold is exact.',
      };
    case 'linear-transpose-bn': {
      const perm = pair.transpose?.perm;
      return {
        axes: `${pair.linear.kind} writes its ${pair.outFeatures ?? '?'} features on the last axis of ${out}; Transpose ${perm ? `perm [${perm.join(', ')}]` : '(reverse)'} decides which axis lands on axis 1, where BatchNorm normalizes ${c} channels.`,
        ok: 'The permutation puts the feature axis on axis 1, so each channel is one feature and the fold is exact.',
      };
    }
    case 'linear-reshape-bn': {
      const to = formatShape(pair.reshape?.shape ?? null);
      return {
        axes: `${pair.linear.kind} writes its ${pair.outFeatures ?? '?'} features on the last axis of ${out}; Reshape to ${to} cuts the values, in row order, into ${c} channels on axis 1, where BatchNorm normalizes. Element i lands in channel ⌊i / R⌋ mod C, R being the product of the axes after axis 1.`,
        ok: 'C·R divides the feature count, so every feature stays in one channel in every row: one scale per feature, and the fold is exact.',
      };
    }
    case 'linear-bn':
      // Linear→BN has its own panel (the axis strip); this text is its fallback.
      return { axes: `${pair.linear.kind} writes its features on the last axis of ${out}; BatchNorm normalizes axis 1 (${c} channels).`, ok: 'On a rank-2 output the features are on axis 1, so the fold is exact.' };
    case 'bn-linear':
      return {
        axes: `BatchNorm normalizes axis 1 (${c} channels) of the value ${pair.linear.kind} reads; the Linear contracts its last axis (${pair.weightShape ? `weight ${w}` : 'its input features'}).`,
        ok: 'On a rank-2 input the channels are the input features, so the normalization moves into the weights exactly.',
      };
  }
}

export function PatternExplain({ pair, preview }: { pair: PairView; preview: FoldPreview | null }) {
  const l = lines(pair);
  return (
    <>
      <p className="small">{l.axes}</p>
      <Formulas pair={pair} preview={preview} />
      <p className={`conclusion ${pair.fusable ? 'ok' : 'no'}`} data-testid="conclusion">
        {pair.fusable ? l.ok : `Not fusable: ${pair.reasons.map((r) => r.code).join(', ')} (see the reasons in the list).`}
      </p>
    </>
  );
}
