/** The side panels: the model, the verification, the selected pair's explanation, node details, the pairs. */
import { memo, useDeferredValue } from 'react';
import { useInspectorStore, useStore } from '../store/useStore';
import { isCurrent, noCurrentModel, verifyIsCurrent } from '../store/pageState';
import { ModelPanel } from './ModelPanel';
import { VerifyPanel } from './VerifyPanel';
import { VerifyInputsPanel } from './VerifyInputsPanel';
import { PerValuePanel } from './PerValuePanel';
import { OrtCheckPanel } from './OrtCheckPanel';
import { ExplainPanel } from './ExplainPanel';
import { DetailsPanel } from './DetailsPanel';
import { PairsPanel } from './PairsPanel';
import { LessonPanel } from './LessonPanel';
import { PlaygroundPanel } from './PlaygroundPanel';

export function Sidebar() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const verify = useStore((s) => s.verify);
  const current = useStore(verifyIsCurrent);
  const perValue = useStore((s) => s.perValue);
  const perValueCurrent = useStore((s) => isCurrent(s, s.perValue));
  const ortCheck = useStore((s) => s.ortCheck);
  const ortCheckCurrent = useStore((s) => isCurrent(s, s.ortCheck));
  const selectedPair = useStore((s) => s.selectedPair);
  const preview = useStore((s) => s.preview);
  const details = useStore((s) => s.details);
  const comparing = useStore((s) => s.comparison !== null);
  const isBusy = useStore((s) => s.busy !== null);
  // While the playground's form has an error, the verdicts, the proof and the pairs left on screen belong to no model.
  const noModel = useStore(noCurrentModel);
  const pair = snapshot?.pairs.find((p) => p.id === selectedPair) ?? null;
  // The pairs list follows a new model in a second render, so the graph is drawn first.
  const listed = useDeferredValue(snapshot);
  return (
    <aside className="sidebar" tabIndex={-1} aria-label="Details">
      {/* The playground's form or the lesson, and the explanation, are scrolled into view together when a pair is selected. */}
      <div data-scroll-anchor>
        <PlaygroundPanel />
        <LessonPanel />
        {verify && !noModel && (
          <VerifyPanel report={verify.report} incorrect={verify.incorrect && current} stale={!current} step={verify.step} reference={verify.reference} busy={isBusy} onWhereDiffer={() => void store.whereDiffer()} />
        )}
        {perValue && !noModel && <PerValuePanel result={perValue.result} reference={perValue.reference} stale={!perValueCurrent} onShow={(id) => void store.reveal([id])} />}
        {ortCheck && !noModel && <OrtCheckPanel report={ortCheck.report} stale={!ortCheckCurrent} />}
        {pair && !comparing && !noModel && <ExplainPanel pair={pair} preview={preview} busy={isBusy} onApplyAnyway={(id) => void store.fuse([id], true)} />}
      </div>
      <ModelPanel />
      {snapshot && !noModel && <VerifyInputsPanel />}
      {details && !noModel && <DetailsPanel details={details} onClose={() => void store.selectNode(null)} />}
      {noModel && (
        <section className="panel pairs-panel pairs-no-model" aria-label="BatchNormalization folds" data-testid="pairs-no-model">
          <h2>BatchNorm folds</h2>
          <p>{noModel} Fix the form above: the pairs of the model it describes, their verdicts and the actions come back with it.</p>
        </section>
      )}
      {listed && listed === snapshot && !noModel && <Pairs snapshot={listed} selectedPair={selectedPair} busy={isBusy} onSelect={store.selectPairCentred} onFuse={store.fuseSome} />}
      {listed !== snapshot && snapshot && (
        <section className="panel" aria-busy="true">
          <p className="muted">Listing the pairs…</p>
        </section>
      )}
    </aside>
  );
}

const Pairs = memo(PairsPanel);
