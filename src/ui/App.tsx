/** The inspector page: composition only. State and actions live in the store (store/inspectorStore.ts). */
import { VerifyingStore } from './store/verifyingStore';
import { browserEnv } from './store/environment';
import { StoreContext, useInspectorStore, useStore } from './store/useStore';
import { InspectorClient } from './worker/client';
import { Verifier } from './worker/verifier';
import { useDragAndDrop, useFocusRescue, useInitialModel, usePaintMarks, useUndoKeys } from './hooks/pageHooks';
import { Toolbar } from './components/Toolbar';
import { Subbar } from './components/Subbar';
import { StatusBanners } from './components/StatusBanners';
import { ProgressBanner } from './components/ProgressBanner';
import { CanvasArea } from './components/CanvasArea';
import { Sidebar } from './components/Sidebar';
import { Gallery } from './components/Gallery';

let storeSingleton: VerifyingStore | null = null;

/** One store and one worker per page, even under StrictMode's double effects. */
export function pageStore(): VerifyingStore {
  storeSingleton ??= new VerifyingStore(new InspectorClient(), new Verifier(), browserEnv(), `${import.meta.env.BASE_URL}examples/`);
  return storeSingleton;
}

function Page() {
  const store = useInspectorStore();
  useInitialModel(store);
  useDragAndDrop(store);
  useUndoKeys(store);
  usePaintMarks();
  useFocusRescue();
  const dragging = useStore((s) => s.dragging);
  const galleryOpen = useStore((s) => s.galleryOpen);
  const examples = useStore((s) => s.examples);
  const visited = useStore((s) => s.visitedLessons);
  const lesson = useStore((s) => s.lesson);
  return (
    <div className="app">
      <Toolbar />
      <Subbar />
      <StatusBanners />
      <main className="main">
        <div className="canvas">
          <ProgressBanner />
          <CanvasArea />
        </div>
        <Sidebar />
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          Drop the .onnx file to open it
        </div>
      )}
      {galleryOpen && <Gallery index={examples} visited={visited} current={lesson} onPick={(e) => void store.pickExample(e)} onLesson={(id: string) => void store.openLesson(id)} onPlayground={() => void store.openPlayground()} onClose={() => store.setGalleryOpen(false)} />}
    </div>
  );
}

export function App() {
  return (
    <StoreContext.Provider value={pageStore()}>
      <Page />
    </StoreContext.Provider>
  );
}
