/** The side panels: the model, the verification, the selected pair's explanation, node details, the pairs. */
import { useInspectorStore, useStore } from '../store/useStore';
import { verifyIsCurrent } from '../store/pageState';
import { ModelPanel } from './ModelPanel';
import { VerifyPanel } from './VerifyPanel';
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
  const selectedPair = useStore((s) => s.selectedPair);
  const preview = useStore((s) => s.preview);
  const details = useStore((s) => s.details);
  const comparing = useStore((s) => s.comparison !== null);
  const isBusy = useStore((s) => s.busy !== null);
  const pair = snapshot?.pairs.find((p) => p.id === selectedPair) ?? null;
  return (
    <aside className="sidebar" tabIndex={-1} aria-label="Details">
      {/* The playground's form or the lesson, and the explanation, are scrolled into view together when a pair is selected. */}
      <div data-scroll-anchor>
        <PlaygroundPanel />
        <LessonPanel />
        {verify && <VerifyPanel report={verify.report} incorrect={verify.incorrect && current} stale={!current} step={verify.step} />}
        {pair && !comparing && <ExplainPanel pair={pair} preview={preview} busy={isBusy} onApplyAnyway={(id) => void store.fuse([id], true)} />}
      </div>
      <ModelPanel />
      {details && <DetailsPanel details={details} onClose={() => void store.selectNode(null)} />}
      {snapshot && <PairsPanel snapshot={snapshot} selectedPair={selectedPair} busy={isBusy} onSelect={(p) => store.selectPair(p.id, true)} onFuse={(ids) => void store.fuse(ids)} />}
    </aside>
  );
}
