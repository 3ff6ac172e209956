/** The files the page exports: the drawn view as SVG, and the pairs report as Markdown or JSON. */
import type { Snapshot } from '../../core/session/inspectorSession';
import type { PairsReport } from '../../core/export/pairsReport';
import type { LayoutResult } from '../../core/view/groupLayout';
import type { Group } from '../../core/view/hierarchy';
import { layoutToSvg } from '../../core/export/svgExport';
import { indexById } from '../../core/view/idIndex';

export function baseName(fileName: string): string {
  return fileName.replace(/\.onnx$/i, '');
}

/** The view as drawn now (light theme), and the name to save it under. */
export function viewSvg(snapshot: Snapshot, layout: LayoutResult, kind: 'svg' | 'png'): { svg: string; name: string } {
  const svg = layoutToSvg(layout, indexById(snapshot.nodes), new Map<string, Group>(snapshot.groups.map((g) => [g.id, g])));
  return { svg, name: `${baseName(snapshot.fileName)}.view.${kind}` };
}

export function reportFile(fileName: string, r: { json: PairsReport; markdown: string }, kind: 'md' | 'json'): { blob: Blob; name: string } {
  const name = `${baseName(fileName)}.fusion-report.${kind}`;
  return kind === 'md' ? { blob: new Blob([r.markdown], { type: 'text/markdown' }), name } : { blob: new Blob([JSON.stringify(r.json, null, 2)], { type: 'application/json' }), name };
}
