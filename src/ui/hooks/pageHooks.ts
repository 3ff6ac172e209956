/** The page's effects, each a named hook over the store. */
import { useEffect } from 'react';
import { filesFromDrop } from '../files';
import type { InspectorStore } from '../store/inspectorStore';
import { useStore } from '../store/useStore';

/** First load: `?model=` or the default example. */
export function useInitialModel(store: InspectorStore): void {
  useEffect(() => {
    void store.init();
  }, [store]);
}

/** Drag and drop anywhere on the page. */
export function useDragAndDrop(store: InspectorStore): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      store.setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) store.setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      store.setDragging(false);
      if (e.dataTransfer) void filesFromDrop(e.dataTransfer).then((picked) => store.openPicked(picked));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [store]);
}

/** Ctrl+Z / Ctrl+Shift+Z for undo and redo (not while typing). */
export function useUndoKeys(store: InspectorStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        void store.undoRedo(e.shiftKey ? 'redo' : 'undo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

/** Performance marks the bench reads: the layout committed, then painted. */
export function usePaintMarks(): void {
  const layout = useStore((s) => s.layout);
  useEffect(() => {
    if (!layout) return;
    performance.mark('fi:layout-committed');
    requestAnimationFrame(() => performance.mark('fi:layout-painted'));
  }, [layout]);
}

/**
 * Focus never ends on <body>: when the focused element is removed or disabled (a fused pair's row,
 * a group's toggle replaced by its frame, a button disabled while busy), focus goes to the graph if
 * it was there, else to the pairs panel's heading (or the side panel while that list is redrawn).
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget) return;
      const from = e.target instanceof HTMLElement ? e.target : null;
      const inCanvas = Boolean(from?.closest('.canvas-inner'));
      const modal = from?.closest('[role="dialog"]');
      setTimeout(() => {
        if (document.activeElement !== document.body || modal) return;
        const target = inCanvas ? document.querySelector<HTMLElement>('.canvas-inner') : (document.querySelector<HTMLElement>('[data-focus-home]') ?? document.querySelector<HTMLElement>('.sidebar'));
        target?.focus({ preventScroll: true });
      }, 0);
    };
    document.addEventListener('focusout', onFocusOut);
    return () => document.removeEventListener('focusout', onFocusOut);
  }, []);
}
