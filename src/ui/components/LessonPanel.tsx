/** The lesson being followed: its text, what to try, progress, and the way to the next one. */
import { useInspectorStore, useStore } from '../store/useStore';

export function LessonPanel() {
  const store = useInspectorStore();
  const id = useStore((s) => s.lesson);
  const examples = useStore((s) => s.examples);
  const visited = useStore((s) => s.visitedLessons);
  const lessons = examples?.lessons ?? [];
  const i = lessons.findIndex((l) => l.id === id);
  if (i < 0) return null;
  const l = lessons[i];
  const prev = lessons[i - 1];
  const next = lessons[i + 1];
  return (
    <section className="panel lesson-panel" aria-label="Lesson" data-testid="lesson" data-lesson={l.id}>
      <div className="lesson-meta small">
        Lesson {i + 1} of {lessons.length} · {l.chapter}
        <progress max={lessons.length} value={visited.filter((v) => lessons.some((x) => x.id === v)).length} aria-label="Lessons opened" />
      </div>
      <h2>{l.title}</h2>
      <p>{l.text}</p>
      <p className="small try-it">
        <strong>Try it:</strong> {l.tryIt}
      </p>
      <div className="lesson-nav">
        <button onClick={() => store.stepLesson(-1)} disabled={!prev} data-testid="lesson-prev" title={prev?.title}>
          ← Previous
        </button>
        <button className="linklike" onClick={() => store.setGalleryOpen(true)}>
          All lessons
        </button>
        <button className="linklike" onClick={store.closeLesson} data-testid="lesson-close">
          Leave the lessons
        </button>
        <button className="primary" onClick={() => store.stepLesson(1)} disabled={!next} data-testid="lesson-next" title={next?.title}>
          Next →
        </button>
      </div>
    </section>
  );
}
