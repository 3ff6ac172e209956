/** What a screen reader hears for the item the keyboard is on. */
import type { ViewNode } from '../../core/view/graphView';
import type { ById } from '../../core/view/idIndex';
import type { Group } from '../../core/view/hierarchy';
import type { LayoutResult, VisibleItem } from '../../core/view/groupLayout';
import { count } from '../../core/plural';

export function describeItem(it: VisibleItem, nodes: ById<ViewNode>, groups: ReadonlyMap<string, Group>, layout: LayoutResult): string {
  const ins = layout.edges.filter((e) => e.target === it.id).length;
  const outs = layout.edges.filter((e) => e.source === it.id).length;
  const links = `${ins} in, ${outs} out`;
  if (it.kind !== 'node') {
    const g = groups.get(it.id);
    if (!g) return '';
    const pairs = [g.fusable ? `${g.fusable} fusable` : '', g.blocked ? `${g.blocked} not fusable` : ''].filter(Boolean).join(', ');
    return `Group ${g.path || g.label}, ${it.kind === 'frame' ? 'open (Backspace closes)' : 'closed (Enter opens)'}, ${count(g.nodeCount, 'node')}${pairs ? `, ${pairs}` : ''}; ${links}.`;
  }
  const n = nodes.get(it.id);
  if (!n) return '';
  const pair = n.pair ? (n.pair.fusable ? ', part of a fusable fold' : `, not fusable: ${n.pair.short}`) : '';
  return `${n.opType} ${n.name || '(unnamed)'}, output ${n.outputs}${pair}; ${links}.`;
}
