/**
 * The page store's graph view: the layout of the groups open (expand, collapse, reveal, the whole
 * layout ahead), the Compact / Detailed switch and the theme, the selection and its details, the
 * view kept in the URL's hash, and a snapshot put on screen (a new model's first view, or the next
 * step's with the open groups kept). Opening, folding and verifying build on it (InspectorStore).
 */
import type { NodeDetails, Snapshot } from '../../core/session/inspectorSession';
import { ancestorsOf, hierarchyFromGroups } from '../../core/view/hierarchy';
import type { InspectorApiClient } from '../worker/client';
import type { HashState } from '../urlState';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { ViewFocus } from '../../core/view/startView';
import type { PageEnv } from './environment';
import type { PageState, Theme } from './pageState';
import { StoreCore } from './storeCore';
import { saveDensity, savedDensity } from './densitySetting';
import type { Density } from '../../core/view/layout';
import { openableGroups, WholeLayoutAhead } from './wholeLayout';
import { prepareLayout } from '../../core/view/viewWindow';
import { nextTask } from '../idle';

const THEME_KEY = 'fusion-inspector.theme';
/** The hash state that applies nothing. */
export const NO_HASH: HashState = { node: null, pair: null, open: [] };
/** Opening a small model or one group is over in tens of milliseconds: no progress banner flashes for it. */
export const QUIET_MS = 150;
/** Layouts of more items than this are drawn in a task apart from the one receiving them. */
const DRAW_APART = 2000;
/** What a new model on screen leaves behind of the old one's selection. */
const CLEARED = { details: null, selectedNode: null, preview: null, comparison: null } as const;

export abstract class ViewingStore extends StoreCore {
  /** Hash state to apply once, to the model opened from the URL. */
  protected pendingHash: HashState;
  /** Sequence numbers of the latest request of each kind; older replies are dropped. */
  protected seq = { details: 0, preview: 0, layout: 0, compare: 0 };
  /** The layout with every group open, asked for ahead so Expand all only draws. */
  private readonly whole = new WholeLayoutAhead();

  constructor(
    protected readonly client: InspectorApiClient,
    protected readonly env: PageEnv,
  ) {
    super();
    this.pendingHash = env.readHash();
    const saved = env.loadSetting(THEME_KEY);
    this.state = { ...this.state, theme: saved === 'dark' || saved === 'light' ? saved : env.prefersDark() ? 'dark' : 'light', density: savedDensity(env) };
    env.applyTheme(this.state.theme);
    // Before the first model is asked for, so its first layout is already in the remembered density.
    client.call('setDensity', { density: this.state.density }).catch(() => {});
  }

  /** The Compact / Detailed switch: remembered, and the graph laid out again with the same groups open (the selection stays). */
  setDensity = async (density: Density): Promise<void> => {
    if (density === this.state.density) return;
    this.set({ density });
    saveDensity(this.env, density);
    await this.guard('Could not change the node density', async () => void (await this.client.call('setDensity', { density })));
    if (!this.state.snapshot) return;
    await this.applyExpanded(this.state.expanded);
    this.groupsToggled(this.state.expanded);
    this.layoutWholeAhead();
  };

  /** The toolbar's theme toggle: applied at once and remembered. */
  setTheme = (theme: Theme): void => {
    this.set({ theme });
    this.env.applyTheme(theme);
    this.env.saveSetting(THEME_KEY, theme);
  };

  protected changed(prev: PageState, s: PageState): void {
    if (s.snapshot && (s.snapshot !== prev.snapshot || s.selectedNode !== prev.selectedNode || s.selectedPair !== prev.selectedPair || s.expanded !== prev.expanded)) this.syncHash();
  }

  /** Keeps the hash in step with the view, once the hash the page was opened with is applied. */
  private syncHash(): void {
    const h = this.pendingHash;
    if (h.node || h.pair || h.open.length) return;
    const all = (this.state.snapshot?.groups.length ?? 0) - 1;
    // Every group open is written as `*`: a big model's group ids would make a URL of hundreds of kilobytes.
    const open = all > 0 && this.state.expanded.length >= all ? ['*'] : this.state.expanded;
    this.env.writeHash({ node: this.state.selectedNode, pair: this.state.selectedPair, open });
  }

  // ---- a snapshot on screen ----

  /** A newly opened model: its own first view, nothing selected. */
  protected showFresh(s: Snapshot): void {
    this.seq.layout++;
    this.set({ ...CLEARED, snapshot: s, selectedPair: null, expanded: s.expanded, layout: s.layout });
    this.layoutWholeAhead();
  }

  /** Asks for the current model's whole layout once the page is idle (wholeLayout.ts). */
  private layoutWholeAhead(): void {
    const s = this.state.snapshot;
    if (s) this.whole.ask(s, this.state.density, (expanded) => this.client.call('layout', { expanded }));
  }

  /** After a fold, undo or redo: keep the groups the user had open and the pair if it still exists. */
  protected async showNext(s: Snapshot): Promise<void> {
    const keep = this.state.expanded.filter((g) => s.groups.some((x) => x.id === g));
    const pair = this.state.selectedPair && s.pairs.some((x) => x.id === this.state.selectedPair) ? this.state.selectedPair : null;
    const show = { ...CLEARED, snapshot: s, selectedPair: pair, expanded: keep };
    const token = ++this.seq.layout;
    // The new groups and their layout are shown together: the old layout's frames may name groups the
    // fold removed (Conv → Add → BN leaves the Conv alone in its box), and a frame without its group cannot be drawn.
    const layout = await this.client.call('layout', { expanded: keep }).catch((e: unknown) => {
      this.set(show);
      throw e;
    });
    this.set((await this.drawApart(layout, token, 'reply')) ? { ...show, layout } : show);
    this.layoutWholeAhead();
  }

  /** Applies the URL hash once, to the first model opened. */
  protected async applyPendingHash(): Promise<void> {
    const h = this.pendingHash;
    const s = this.state.snapshot;
    if (!s || (!h.node && !h.pair && h.open.length === 0)) return;
    this.pendingHash = NO_HASH;
    const open = h.open.includes('*') ? openableGroups(s) : h.open.filter((g) => s.groups.some((x) => x.id === g));
    if (open.length) await this.applyExpanded(open);
    if (h.pair && s.pairs.some((p) => p.id === h.pair)) this.selectPair(h.pair, !h.node);
    if (h.node && s.nodes.some((n) => n.id === h.node)) {
      await this.selectNode(h.node);
      await this.reveal([h.node]);
    }
    this.syncHash();
  }

  // ---- the graph view ----

  /**
   * Lays out the current model with these groups open (cached per group in the worker). A layout
   * still running after a moment shows progress and can be cancelled; the previous view then stays.
   */
  /** Returns whether the new layout is on screen (not cancelled, failed or overtaken). */
  async applyExpanded(next: string[], focusIds?: (layout: LayoutResult) => string[], place: ViewFocus['place'] = 'centre'): Promise<boolean> {
    const before = this.state.expanded;
    const token = ++this.seq.layout;
    this.set({ expanded: next });
    let callId = -1;
    const layout = await this.run(
      'Laying out',
      (progress) => {
        const call = this.client.start('layout', { expanded: next }, { onProgress: progress });
        callId = call.id;
        return call.done;
      },
      'Could not lay out the graph',
      { cancel: () => this.client.cancel(callId), quietMs: QUIET_MS, cancelled: 'Layout cancelled; the previous view is kept.' },
    );
    if (token !== this.seq.layout) return false;
    if (layout === null) {
      this.set({ expanded: before });
      return false;
    }
    if (!(await this.drawApart(layout, token, 'reply'))) return false;
    this.set(this.shown(layout, focusIds, place));
    return true;
  }

  /**
   * Whether `layout` is still the one to draw, after waiting for a task of its own where drawing in
   * this one makes it long. A store change is drawn at once, in the task that made it: a large layout
   * has its lookups made in the task that received it and is drawn in the next (10,000 nodes
   * expanded: one task of over 100 ms); one drawn from a click waits too, since a click is handled
   * inside a frame whose style, layout and paint then followed the drawing in the same task
   * (MobileNetV3's Expand all: one task of 104-153 ms). False when a newer layout was asked for meanwhile.
   */
  private async drawApart(layout: LayoutResult, token: number, from: 'reply' | 'click'): Promise<boolean> {
    const large = layout.items.length > DRAW_APART;
    if (large) prepareLayout(layout);
    if (large || from === 'click') await nextTask();
    return token === this.seq.layout;
  }

  /** A layout to draw and its view's target: they come together, so the first drawing of it is already there (no move after). */
  private shown(layout: LayoutResult, focusIds: ((layout: LayoutResult) => string[]) | undefined, place: ViewFocus['place']): Pick<PageState, 'layout'> & Partial<Pick<PageState, 'focus'>> {
    const ids = focusIds?.(layout) ?? [];
    return { layout, ...(ids.length > 0 ? { focus: { nodeIds: ids, seq: (this.state.focus?.seq ?? 0) + 1, animate: false, place } } : {}) };
  }

  toggleGroup = (id: string): void => {
    const cur = this.state.expanded;
    const next = cur.includes(id) ? cur.filter((g) => g !== id) : [...cur, id];
    void this.applyExpanded(next);
    this.groupsToggled(next);
  };

  /** After a group is opened or closed by hand (the comparison's two sides follow). */
  protected groupsToggled(_expanded: string[]): void {}

  /**
   * Opens every group, then shows the graph at its start's zoom: the start itself when it shows the
   * first pair whole, else the view at that zoom holding the pair and the most around it
   * (densestView.ts, in GraphCanvas), centred on the pair only when it does not fit. The old viewport
   * may show nothing of the new layout.
   */
  expandAll = async (): Promise<void> => {
    const s = this.state.snapshot;
    if (!s) return;
    const pair = s.pairs[0];
    const focusIds = (layout: LayoutResult) => {
      const start = layout.items.find((i) => i.kind === 'node');
      return pair ? [...pair.linearNodeIds, pair.bnNodeId] : start ? [start.id] : [];
    };
    const all = openableGroups(s);
    const ready = this.whole.take(s, this.state.density);
    if (!ready) {
      await this.applyExpanded(all, focusIds, 'start');
      return;
    }
    // Laid out ahead: drawn without the worker, and any layout still on its way is overtaken.
    const token = ++this.seq.layout;
    if (!(await this.drawApart(ready, token, 'click'))) return;
    this.set({ expanded: all, ...this.shown(ready, focusIds, 'start') });
  };

  /** Closes every group, then shows the graph's start. */
  collapseAll = async (): Promise<void> => {
    await this.applyExpanded([], (layout) => (layout.items[0] ? [layout.items[0].id] : []));
  };

  /** Centres the view on these drawn items (a new `seq` each time, so the same ones can be asked for again). */
  private focusOn(ids: string[]): void {
    this.set({ focus: { nodeIds: ids, seq: (this.state.focus?.seq ?? 0) + 1, animate: true, place: 'centre' } });
  }

  private hierarchyCache: { groups: Snapshot['groups']; h: ReturnType<typeof hierarchyFromGroups> } | null = null;

  /** The group tree of a snapshot, built once per snapshot (a 50,000-node model has thousands of groups). */
  private hierarchyOf(groups: Snapshot['groups']): ReturnType<typeof hierarchyFromGroups> {
    if (this.hierarchyCache?.groups !== groups) this.hierarchyCache = { groups, h: hierarchyFromGroups(groups) };
    return this.hierarchyCache.h;
  }

  /** Opens the groups holding these nodes and centres on them. */
  async reveal(ids: string[]): Promise<void> {
    const s = this.state.snapshot;
    if (!s) return;
    const hierarchy = this.hierarchyOf(s.groups);
    const need = new Set(this.state.expanded);
    const before = need.size;
    for (const id of ids) for (const g of ancestorsOf(hierarchy, id)) need.add(g);
    if (need.size === before) this.focusOn(ids);
    else await this.applyExpanded([...need], () => ids);
  }

  selectPair = (id: string, centre: boolean): void => {
    this.set({ selectedPair: id, preview: null });
    const token = ++this.seq.preview;
    this.client.call('preview', { pairId: id }).then(
      (preview) => token === this.seq.preview && this.set({ preview }),
      () => token === this.seq.preview && this.set({ preview: null }),
    );
    const p = this.state.snapshot?.pairs.find((x) => x.id === id);
    if (centre && p) void this.reveal([...p.linearNodeIds, p.bnNodeId]);
  };

  /** A pair's row: select it and centre the graph on it (stable, so memoized rows keep their props). */
  selectPairCentred = (p: { id: string }): void => this.selectPair(p.id, true);

  selectNode = async (id: string | null): Promise<void> => {
    const token = ++this.seq.details;
    this.set({ selectedNode: id, ...(id ? {} : { details: null }) });
    if (!id) return;
    const details = await this.detailsOf(id);
    if (token !== this.seq.details) return;
    this.set({ details });
    const pairId = details?.pairIds[0];
    if (pairId) this.selectPair(pairId, false);
  };

  /** A node's details. The worker may read the model again first (its analyses are dropped after each snapshot): progress shows if that is slow. */
  protected detailsOf(id: string): Promise<NodeDetails | null> {
    return this.run('Reading the node', (progress) => this.client.call('details', { nodeId: id }, { onProgress: progress }), 'Could not read the node', { quietMs: QUIET_MS });
  }

  /** A search hit: select it and bring it into view. */
  pickNode = (id: string): void => void Promise.all([this.selectNode(id), this.reveal([id])]);
}
