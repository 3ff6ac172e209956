/**
 * The layout with every group open, asked of the worker once the page is idle after a model (or a
 * fold, undo, density) is shown, so *Expand all* only draws: no round trip to the worker, whose reply
 * was a quarter of a small model's expand. Kept for one snapshot in one density; anything newer makes
 * it stale. Only for small models: receiving a 2,000-node model's whole layout (~0.4 MB as JSON) was a
 * main-thread task of up to 290 ms under load, and drawing it from the click a 600 ms one; the bigger
 * ones lay out their groups when asked, as before (their expand is not dominated by the round trip).
 */
import type { Snapshot } from '../../core/session/inspectorSession';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { Density } from '../../core/view/layout';
import { ROOT } from '../../core/view/hierarchy';
import { whenIdle } from '../idle';

/** Models up to this many nodes get their whole layout ahead (MobileNetV3's 161 is 38 KB as JSON, 4 ms in the worker). */
export const AHEAD_MAX_NODES = 500;

/** Every group but the root: what *Expand all* opens. */
export function openableGroups(s: Snapshot): string[] {
  return s.groups.map((g) => g.id).filter((g) => g !== ROOT);
}

/** Whether every group of the snapshot is open (then *Expand all* has nothing to do). */
export function everyGroupOpen(s: Snapshot, expanded: readonly string[]): boolean {
  const open = new Set(expanded);
  return s.groups.every((g) => g.id === ROOT || open.has(g.id));
}

export class WholeLayoutAhead {
  private asked: { snapshot: Snapshot; density: Density } | null = null;
  private kept: { snapshot: Snapshot; layout: LayoutResult } | null = null;

  constructor(private readonly schedule: (f: () => void) => void = whenIdle) {}

  /** Asks for `snapshot`'s whole layout in `density` when idle, unless it is already asked for or too big. */
  ask(snapshot: Snapshot, density: Density, fetch: (expanded: string[]) => Promise<LayoutResult>): void {
    if (snapshot.nodes.length > AHEAD_MAX_NODES || everyGroupOpen(snapshot, snapshot.expanded)) return;
    if (this.asked?.snapshot === snapshot && this.asked.density === density) return;
    const asked = (this.asked = { snapshot, density });
    this.schedule(() => {
      if (this.asked !== asked) return;
      fetch(openableGroups(snapshot)).then(
        (layout) => {
          if (this.asked === asked) this.kept = { snapshot, layout };
        },
        // Only a head start: Expand all asks again when it has none.
        () => {},
      );
    });
  }

  /** The whole layout of `snapshot` in `density`, if it has arrived. */
  take(snapshot: Snapshot, density: Density): LayoutResult | null {
    const k = this.kept;
    return k && k.snapshot === snapshot && k.layout.density === density ? k.layout : null;
  }
}
