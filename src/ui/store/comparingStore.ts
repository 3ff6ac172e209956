/**
 * The page store's layer over InspectorStore: the before/after comparison and the exports (view as
 * SVG/PNG, the pairs report). Split from InspectorStore only to keep each file to one screenful of
 * concerns.
 */
import { reportFile, viewSvg } from './exports';
import { InspectorStore } from './inspectorStore';
import { noCurrentModel, type Side, type Viewport } from './pageState';
import type { Progress } from '../../core/session/types';

export class ComparingStore extends InspectorStore {
  protected override groupsToggled(expanded: string[]): void {
    // Both sides of a comparison follow the same groups.
    if (this.state.comparison) void this.refreshComparison(expanded);
  }

  // ---- comparison ----

  /** Opens the comparison centred on its first change (its groups opened first), or closes it. */
  async toggleCompare(): Promise<void> {
    if (this.state.comparison) {
      this.set({ comparison: null });
      return;
    }
    // While the playground's form has an error no model is current: nothing to compare.
    if (noCurrentModel(this.state)) return;
    const token = ++this.seq.compare;
    const ask = (expanded: string[]) => (progress: Progress) => this.client.call('compare', { expanded }, { onProgress: progress });
    let comparison = await this.run('Comparing', ask(this.state.expanded), 'Could not compare');
    if (!comparison || token !== this.seq.compare) return;
    const closed = comparison.changes[0]?.groups.filter((g) => !this.state.expanded.includes(g)) ?? [];
    if (closed.length > 0) {
      // The first change sits in closed groups: open them (the main view too, as a group toggled in the comparison does) and compare again.
      const expanded = [...this.state.expanded, ...closed];
      const [again] = await Promise.all([this.run('Comparing', ask(expanded), 'Could not compare'), this.applyExpanded(expanded)]);
      if (!again || token !== this.seq.compare) return;
      comparison = again;
    }
    this.set({ comparison, compareSel: { original: null, fused: null }, sharedViewport: null, compareAt: { change: 0, seq: this.state.compareAt.seq + 1 } });
  }

  /**
   * Moves both panes to the next or previous change, in graph order (stays at the first and the
   * last); the groups holding it are opened first.
   */
  stepChange = async (delta: 1 | -1): Promise<void> => {
    const c = this.state.comparison;
    if (!c) return;
    const change = this.state.compareAt.change + delta;
    const target = c.changes[change];
    if (!target) return;
    const closed = target.groups.filter((g) => !this.state.expanded.includes(g));
    if (closed.length > 0) {
      const expanded = [...this.state.expanded, ...closed];
      await Promise.all([this.applyExpanded(expanded), this.refreshComparison(expanded)]);
      if (!this.state.comparison) return;
    }
    this.set({ compareAt: { change, seq: this.state.compareAt.seq + 1 } });
  };

  private async refreshComparison(expanded: string[]): Promise<void> {
    const token = ++this.seq.compare;
    await this.guard('Could not compare', async () => {
      const comparison = await this.client.call('compare', { expanded });
      if (token === this.seq.compare && this.state.comparison) this.set({ comparison });
    });
  }

  /** A click on one side selects its counterpart on the other and shows the current model's node. */
  selectInCompare = (side: Side, id: string | null): void => {
    const c = this.state.comparison;
    if (!c) return;
    const map = new Map(side === 'original' ? c.counterparts : c.counterparts.map(([a, b]) => [b, a] as [string, string]));
    const other = id ? (map.get(id) ?? null) : null;
    this.set({ compareSel: side === 'original' ? { original: id, fused: other } : { original: other, fused: id } });
    const fusedId = side === 'fused' ? id : other;
    const token = ++this.seq.details;
    if (!fusedId) {
      this.set({ details: null });
      return;
    }
    void this.detailsOf(fusedId).then((details) => token === this.seq.details && this.set({ details }));
  };

  setSharedViewport = (from: Side, v: Viewport): void => this.set({ sharedViewport: { from, v } });

  // ---- exports ----

  async exportView(kind: 'svg' | 'png'): Promise<void> {
    const { snapshot, layout } = this.state;
    if (!snapshot || !layout) return;
    const { svg, name } = viewSvg(snapshot, layout, kind);
    if (kind === 'svg') this.env.save(new Blob([svg], { type: 'image/svg+xml' }), name);
    else {
      const png = await this.run('Rendering PNG', () => this.env.svgToPng(svg), 'Could not render the PNG');
      if (png) this.env.save(png, name);
    }
  }

  async exportReport(kind: 'md' | 'json'): Promise<void> {
    const snapshot = this.state.snapshot;
    if (!snapshot) return;
    const r = await this.run('Writing the report', (progress) => this.client.call('report', {}, { onProgress: progress }), 'Could not write the report');
    if (!r) return;
    const { blob, name } = reportFile(snapshot.fileName, r, kind);
    this.env.save(blob, name);
  }
}
