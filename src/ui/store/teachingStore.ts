/**
 * The page store with its teaching paths: lessons (the gallery in order, one pair each, progress
 * kept) and the playground (a form that builds a model in the worker). Both live in the URL —
 * `?lesson=<id>` and `?play=1&in=…` — so a reload or a teacher's link reopens the same exercise.
 */
import type { ExampleIndex, ExampleIndexEntry } from '../../examples/exampleFiles';
import type { Lesson } from '../../examples/lessons';
import { DEFAULT_FORM, channelsHint, parsePlayground, playgroundFromParams, playgroundParams, type Parsed, type PlaygroundForm } from '../../examples/playground';
import type { PlaygroundState } from './pageState';
import type { DataFile } from '../worker/protocol';
import { ComparingStore } from './comparingStore';

const VISITED_KEY = 'fusion-inspector.lessons-visited';
/** The playground rebuilds this long after the last keystroke. */
const REBUILD_DELAY_MS = 200;

function playgroundState(form: PlaygroundForm, parsed: Parsed): PlaygroundState {
  return { form, problems: parsed.ok ? [] : parsed.problems, channelsHint: channelsHint(parsed.axis) };
}

export class TeachingStore extends ComparingStore {
  private rebuildTimer: ReturnType<typeof setTimeout> | null = null;
  private playSeq = 0;

  protected override async openFromUrl(idx: ExampleIndex): Promise<void> {
    this.set({ visitedLessons: this.loadVisited() });
    const lesson = this.env.searchParam('lesson');
    if (lesson && idx.lessons.some((l) => l.id === lesson)) return this.openLesson(lesson);
    if (this.env.searchParam('play') !== null) return this.openPlayground(playgroundFromParams((k) => this.env.searchParam(k)));
    return super.openFromUrl(idx);
  }

  lessons(): Lesson[] {
    return this.state.examples?.lessons ?? [];
  }

  // ---- lessons ----

  /** Opens a lesson: its example, its pair selected and explained, the lesson's text beside it. */
  openLesson = async (id: string): Promise<void> => {
    const lesson = this.lessons().find((l) => l.id === id);
    const entry = lesson && this.state.examples?.examples.find((e) => e.id === lesson.example);
    if (!lesson || !entry) {
      this.set({ error: { title: 'No such lesson', message: `There is no lesson “${id}”.` } });
      return;
    }
    this.stopPlayground();
    this.pendingHash = { node: null, pair: null, open: [] };
    this.env.setSearch({ lesson: id });
    const visited = this.state.visitedLessons.includes(id) ? this.state.visitedLessons : [...this.state.visitedLessons, id];
    this.set({ galleryOpen: false, lesson: id, visitedLessons: visited });
    this.env.saveSetting(VISITED_KEY, JSON.stringify(visited));
    if (!(await this.openUrl(`${this.examplesBase}${entry.file}`, entry.file))) return;
    if (this.state.lesson !== id) return;
    if (this.state.snapshot?.pairs.some((p) => p.id === lesson.pair)) this.selectPair(lesson.pair, true);
  };

  /** The lesson `step` places after (1) or before (-1) the current one. */
  stepLesson = (step: 1 | -1): void => {
    const all = this.lessons();
    const i = all.findIndex((l) => l.id === this.state.lesson);
    const next = all[i + step];
    if (next) void this.openLesson(next.id);
  };

  /** Leaves the path; the example stays open as a plain example. */
  closeLesson = (): void => {
    const lesson = this.lessons().find((l) => l.id === this.state.lesson);
    const entry = lesson && this.state.examples?.examples.find((e) => e.id === lesson.example);
    this.set({ lesson: null });
    this.env.setSearch(entry ? { model: `${this.examplesBase}${entry.file}` } : {});
  };

  private loadVisited(): string[] {
    try {
      const v: unknown = JSON.parse(this.env.loadSetting(VISITED_KEY) ?? '[]');
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  // ---- playground ----

  /** Opens the playground with this form (the default one without). */
  openPlayground = async (form: PlaygroundForm = DEFAULT_FORM): Promise<void> => {
    this.set({ galleryOpen: false, lesson: null, playground: playgroundState(form, parsePlayground(form)) });
    await this.rebuild(form);
  };

  /** One field changed: the URL follows at once, the model after a short pause (or the problems are shown). */
  setPlaygroundField = <K extends keyof PlaygroundForm>(key: K, value: PlaygroundForm[K]): void => {
    const cur = this.state.playground;
    if (!cur) return;
    const form = { ...cur.form, [key]: value };
    const parsed = parsePlayground(form);
    this.set({ playground: playgroundState(form, parsed) });
    this.env.setSearch({ play: '1', ...playgroundParams(form) });
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    if (parsed.ok) this.rebuildTimer = setTimeout(() => void this.rebuild(form), REBUILD_DELAY_MS);
  };

  closePlayground = (): void => {
    this.stopPlayground();
    this.env.setSearch({});
  };

  private stopPlayground(): void {
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildTimer = null;
    this.playSeq++;
    if (this.state.playground) this.set({ playground: null });
  }

  /** Builds and opens the form's model in the worker; the first pair is selected and explained. */
  private async rebuild(form: PlaygroundForm): Promise<void> {
    const parsed = parsePlayground(form);
    this.env.setSearch({ play: '1', ...playgroundParams(form) });
    if (!parsed.ok) {
      this.set({ playground: playgroundState(form, parsed) });
      return;
    }
    const token = ++this.playSeq;
    this.pendingHash = { node: null, pair: null, open: [] };
    const snapshot = await this.runOpening('Building the playground model', (progress) => this.client.call('playground', { spec: parsed.spec }, { onProgress: progress }), 'Could not build the playground model');
    if (!snapshot || token !== this.playSeq || !this.state.playground) return;
    await this.showOpened(snapshot);
    const first = snapshot.pairs[0];
    if (first) this.selectPair(first.id, false);
  }

  // ---- leaving the paths ----

  override async pickExample(e: ExampleIndexEntry): Promise<void> {
    this.stopPlayground();
    this.set({ lesson: null });
    await super.pickExample(e);
  }

  override async openFile(file: File, extra?: DataFile[]): Promise<boolean> {
    this.stopPlayground();
    this.set({ lesson: null });
    return super.openFile(file, extra);
  }
}
