/** The examples as a path of lessons (with progress), the playground, and every example as a card. */
import type { ExampleIndex, ExampleIndexEntry } from '../../examples/exampleFiles';
import { Modal } from './Modal';
import { exampleHolds, lessonTag, type LessonTag } from '../../examples/lessonTag';

interface Props {
  index: ExampleIndex | null;
  visited: readonly string[];
  current: string | null;
  onPick: (e: ExampleIndexEntry) => void;
  onLesson: (id: string) => void;
  onPlayground: () => void;
  onClose: () => void;
}

function Tag({ tag }: { tag: LessonTag }) {
  switch (tag.kind) {
    case 'folds':
      return <span className="verdict-mini ok">✓ folds</span>;
    case 'does-not':
      return <span className="verdict-mini no">✗ does not</span>;
    case 'both':
      return (
        <>
          <span className="verdict-mini ok">✓ {tag.ok} fold</span> <span className="verdict-mini no">✗ {tag.no} do not</span>
        </>
      );
  }
}

export function Gallery({ index, visited, current, onPick, onLesson, onPlayground, onClose }: Props) {
  const lessons = index?.lessons ?? [];
  const seen = lessons.filter((l) => visited.includes(l.id)).length;
  const chapters = lessons.map((l) => l.chapter).filter((c, i, a) => a.indexOf(c) === i);
  return (
    <Modal label="Lessons and examples" className="gallery" testId="gallery" onClose={onClose}>
      <div className="panel-head">
        <h2>Learn BatchNorm folding: lessons, playground, examples</h2>
        <button onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {!index && <p className="muted">Loading the list…</p>}
      {lessons.length > 0 && (
        <section aria-label="Lessons" data-testid="lesson-path">
          <div className="lesson-progress">
            <span>
              Lessons: {seen} of {lessons.length} opened
            </span>
            <progress max={lessons.length} value={seen} aria-label="Lessons opened" />
          </div>
          <div className="lesson-chapters">
            {chapters.map((ch) => (
              <div key={ch} className="lesson-chapter">
                <h3>{ch}</h3>
                <ol>
                  {lessons.map((l, i) =>
                    l.chapter !== ch ? null : (
                      <li key={l.id}>
                        <button
                          className={`lesson-link ${l.id === current ? 'current' : ''}`}
                          onClick={() => onLesson(l.id)}
                          data-lesson={l.id}
                          data-autofocus={l.id === (current ?? lessons.find((x) => !visited.includes(x.id))?.id ?? lessons[0].id) ? '' : undefined}
                        >
                          <span className="lesson-num">{i + 1}.</span> {l.title}{' '}
                          <span className="lesson-tag" data-testid="lesson-tag">
                            <Tag tag={lessonTag(l, index?.examples.find((e) => e.id === l.example))} />
                          </span>
                          {visited.includes(l.id) && (
                            <span className="seen" aria-label="opened before">
                              {' '}
                              ·seen
                            </span>
                          )}
                        </button>
                      </li>
                    ),
                  )}
                </ol>
              </div>
            ))}
          </div>
          <button className="primary playground-link" onClick={onPlayground} data-testid="open-playground">
            ★ Playground: build your own case
          </button>
        </section>
      )}
      <h3 className="gallery-sub">All examples</h3>
      <div className="gallery-grid">
        {index?.examples.map((e) => {
          const { ok, no } = exampleHolds(e);
          return (
            <button key={e.id} className="gallery-card" onClick={() => onPick(e)} data-example={e.id}>
              <div className="gallery-title">{e.title}</div>
              <div className="gallery-tags">
                {ok > 0 && <span className="verdict ok">✓ {ok} fusable</span>}
                {no > 0 && <span className="verdict no">✗ {no} not fusable</span>}
                {ok + no === 1 && e.rule !== 'VALID' && <code className="code">{e.rule}</code>}
              </div>
              <div className="gallery-text">{e.explanation}</div>
            </button>
          );
        })}
      </div>
    </Modal>
  );
}
