/**
 * Teaching view of the selected pair, built from its own data: which axis each op acts on, the
 * axis card, where each feature lands among the channels, the fold's formulas with the real shapes,
 * a one-sentence conclusion, each reason with why it blocks and what would lift it, and — for a
 * pair refused only by its axis rule — "Apply anyway" to show the error the naive fold causes.
 */
import { useEffect, useRef } from 'react';
import { Formulas } from './Formulas';
import { AxisCard } from './AxisCard';
import { FeatureMapView } from './FeatureMapView';
import { ReasonList } from './ReasonList';
import type { FoldPreview, PairView } from '../../core/session/inspectorSession';
import { formatShape } from '../../core/graph/dims';
import { float32Text } from '../../core/numberText';
import { axesSentence, conclusion } from '../../core/teaching/pairStory';
import { naiveFoldTool } from '../../core/rewrite/naiveFold';
import { pairTitle } from '../../core/session/pairTitle';

/** Stored float32 values, each as the shortest decimal that reads back as it. */
function nums(xs: number[]): string {
  return xs.map(float32Text).join(', ');
}

interface Props {
  pair: PairView;
  preview: FoldPreview | null;
  busy: boolean;
  onApplyAnyway: (pairId: string) => void;
}

export function ExplainPanel({ pair, preview, busy, onApplyAnyway }: Props) {
  const ref = useRef<HTMLElement>(null);
  // A newly selected pair brings its explanation into view (the sidebar may be scrolled far down).
  useEffect(() => {
    const el = ref.current;
    const anchor = el?.closest<HTMLElement>('[data-scroll-anchor]') ?? el;
    anchor?.scrollIntoView?.({ block: 'start' });
  }, [pair.id]);
  const title = pairTitle(pair);
  return (
    <section ref={ref} className="panel explain-panel" aria-label="Explain the selected pair" data-testid="explain" data-pair-id={pair.id}>
      <div className="panel-head">
        <h2>
          Why {pair.fusable ? 'this folds' : 'this does not fold'}: <span title={title.full}>{title.short}</span>
        </h2>
      </div>
      <p className="muted small">
        value <code className="small">{pair.id}</code>
      </p>
      <p className="small">{axesSentence(pair)}</p>
      <AxisCard pair={pair} />
      <FeatureMapView pair={pair} />
      <Formulas pair={pair} preview={preview} />
      <p className={`conclusion ${pair.fusable ? 'ok' : 'no'}`} data-testid="conclusion">
        {pair.fusable ? '✓ ' : '✗ '}
        {conclusion(pair)}
      </p>
      <ReasonList pair={pair} />
      {preview?.pairId === pair.id && preview.numbers && (
        <div className="preview" data-testid="fold-preview">
          <div className="muted small">Folded weight keeps its shape {formatShape(preview.numbers.weightShape)}; the first entries each s value scales:</div>
          {preview.numbers.slices.map((sl) => (
            <div key={sl.at} className="preview-slice" data-testid="preview-slice" data-s-index={sl.sIndex}>
              {sl.what}: s[{sl.sIndex}] = <code>{float32Text(sl.s)}</code>, {sl.at}
              <div className="preview-values">
                before <code>{nums(sl.before)}</code>
                <br />
                after <code>{nums(sl.after)}</code>
              </div>
            </div>
          ))}
          {preview.numbers.biasBefore.length > 0 && (
            <div>
              b[:{preview.numbers.biasBefore.length}] before: <code>{nums(preview.numbers.biasBefore)}</code>
            </div>
          )}
          <div>
            b′[:{preview.numbers.biasAfter.length}]{preview.numbers.biasBefore.length > 0 ? ' after' : ' (new bias)'}: <code>{nums(preview.numbers.biasAfter)}</code>
          </div>
        </div>
      )}
      {pair.axisRuleOnly && pair.naiveProblem === null && (
        <div className="apply-anyway">
          <p className="small">
            {naiveFoldTool(pair.pattern)}: channel c’s scale is given to feature c, as if the axes matched. Try it: the tool folds it against the rule and runs verification, so you can see the error it causes.
          </p>
          <button className="danger" disabled={busy} onClick={() => onApplyAnyway(pair.id)} data-testid="apply-anyway">
            Apply anyway (incorrect)
          </button>
        </div>
      )}
      {pair.axisRuleOnly && pair.naiveProblem !== null && (
        <p className="small warn" data-testid="cannot-form">
          Even a naive fold cannot be formed here: {pair.naiveProblem}.
        </p>
      )}
    </section>
  );
}
