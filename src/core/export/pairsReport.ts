/**
 * The report a user pastes into a code review or a bug report: every pair with its verdict and
 * reasons (with the real shapes), what was folded, and the verification result if one was run.
 */
import { formatShape } from '../graph/shapeInference';
import { countByPattern, opColumnLabel, patternCountsText, type PatternCount } from '../patterns/patternCounts';
import { PATTERNS } from '../patterns/registry';
import { betweenJson, pairJson, type ModelSummary, type MorePairJson } from '../report';
import type { Pair } from '../rules/pair';
import type { VerifyReport } from '../verify/verify';
import { cell, code, text } from './markdown';
import { originText, summaryText } from '../verify/inputText';
import { createWords, runWords, wordsText } from '../verify/timingText';

export interface ReportInput {
  fileName: string;
  summary: ModelSummary;
  /** The pairs of the model as opened. */
  pairs: readonly Pair[];
  /** Pair ids folded so far (empty when nothing was fused). */
  folded: string[];
  incorrect: boolean;
  verify: VerifyReport | null;
}

/** A pair of any pattern, as `analyze --json` shows the other patterns (with `pattern`), and whether it was folded. */
export type ReportPairJson = MorePairJson & { folded: boolean };

export interface PairsReport {
  tool: 'fusion-inspector';
  file: string;
  model: { producer: string; opsets: ModelSummary['opsets']; nodeCount: number };
  pairs: ReportPairJson[];
  totals: { pairs: number; fusable: number; notFusable: number; folded: number; byPattern: PatternCount[] };
  incorrect: boolean;
  verify: VerifyReport | null;
}

export function pairsReportJson(r: ReportInput): PairsReport {
  const folded = new Set(r.folded);
  const fusable = r.pairs.filter((p) => p.fusable).length;
  return {
    tool: 'fusion-inspector',
    file: r.fileName,
    model: { producer: `${r.summary.producer} ${r.summary.producerVersion}`.trim(), opsets: r.summary.opsets, nodeCount: r.summary.nodeCount },
    pairs: r.pairs.map((p) => ({ ...pairJson(p), pattern: p.pattern, ...betweenJson(p), folded: folded.has(p.id) })),
    totals: { pairs: r.pairs.length, fusable, notFusable: r.pairs.length - fusable, folded: folded.size, byPattern: countByPattern(r.pairs) },
    incorrect: r.incorrect,
    verify: r.verify,
  };
}

/**
 * The report in Markdown. `nested`: one model's section of a report over many (its title one level
 * down, named by its file).
 */
export function pairsReportMarkdown(r: ReportInput, opts: { nested?: boolean } = {}): string {
  const j = pairsReportJson(r);
  const h = (level: number) => '#'.repeat(level + (opts.nested ? 1 : 0));
  const lines: string[] = [];
  lines.push(opts.nested ? `${h(1)} ${code(j.file)}` : `${h(1)} Fusion Inspector report: ${code(j.file)}`);
  lines.push('');
  lines.push(`${text(j.model.producer) || 'unknown producer'} · opsets ${j.model.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')} · ${j.model.nodeCount} nodes`);
  lines.push('');
  const kinds = patternCountsText(j.totals.byPattern);
  lines.push(`**${j.totals.pairs}** pair(s)${kinds ? ` (${kinds})` : ''}: **${j.totals.fusable} fusable**, **${j.totals.notFusable} not fusable**${j.totals.folded ? `, ${j.totals.folded} folded` : ''}.`);
  if (j.incorrect) lines.push('', '> ⚠ The current model contains a fold applied against the axis rule (“apply anyway”): it does NOT compute what the original computes.');
  lines.push('');
  if (j.pairs.length > 0) {
    const op = opColumnLabel(j.totals.byPattern.map((c) => c.pattern));
    lines.push(`| pattern | BN output | ${op} | ${op} output | verdict | reasons |`);
    lines.push('|---|---|---|---|---|---|');
    for (const p of j.pairs) {
      lines.push(
        `| ${PATTERNS[p.pattern].name} | ${code(cell(p.bnOutput))} | ${p.linear.kind} ${code(cell(p.linear.nodes.filter(Boolean).join(' + ') || '(unnamed)'))} | \`${formatShape(p.linear.outputShape)}\` | ${p.fusable ? '✓ fusable' : '✗ not fusable'}${p.folded ? ' (folded)' : ''} | ${p.reasons.map((x) => `\`${x.code}\``).join(', ') || '—'} |`,
      );
    }
    const blocked = j.pairs.filter((p) => !p.fusable);
    if (blocked.length > 0) {
      lines.push('', `${h(2)} Why the others do not fold`, '');
      for (const p of blocked) {
        lines.push(`- ${code(p.bnOutput)}`);
        for (const x of p.reasons) lines.push(`  - **${x.code}**: ${text(x.message)}`);
      }
    }
  }
  if (j.verify) {
    const v = j.verify;
    lines.push('', `${h(2)} Verification: ${v.pass ? '✓ equivalent' : '✗ NOT equivalent'}`, '');
    lines.push(`${v.engine.package} ${v.engine.version} (${v.engine.backend}), graph optimizations disabled, seed ${v.seed}${v.dims.length ? `; ${v.dims.map((d) => `${d.name}=${d.value}${d.defaulted ? ' (default)' : ''}`).join(', ')}` : ''}.`);
    lines.push('');
    lines.push('| input | from | shape | values |');
    lines.push('|---|---|---|---|');
    for (const i of v.inputs) lines.push(`| ${code(cell(i.name))} | ${cell(originText(i.origin))} | ${i.dtype} [${i.dims.join(', ')}] | ${cell(summaryText(i.summary, i.dtype))} |`);
    lines.push('');
    lines.push('| output | max abs err | max rel err | mean abs err | tolerance | result |');
    lines.push('|---|---|---|---|---|---|');
    for (const o of v.outputs) {
      lines.push(`| ${code(cell(o.name))} | ${o.maxAbsError.toExponential(2)} | ${o.maxRelError.toExponential(2)} | ${o.meanAbsError.toExponential(2)} | rtol ${o.rtol}, atol ${o.atol} | ${o.pass ? 'pass' : '**FAIL**'} |`);
    }
    const expected = v.outputs.flatMap((o) => (o.expected.kind === 'compared' ? [{ name: o.name, e: o.expected }] : []));
    if (expected.length > 0) {
      lines.push('', '| expected output | from | original | fused |', '|---|---|---|---|');
      const dev = (d: { pass: boolean; maxAbsError: number }) => `${d.pass ? 'pass' : '**FAIL**'} (max abs ${d.maxAbsError.toExponential(2)})`;
      for (const { name, e } of expected) lines.push(`| ${code(cell(name))} | ${cell(originText(e.origin))} | ${dev(e.original)} | ${dev(e.fused)} |`);
    }
    for (const p of v.problems) lines.push('', `> ${text(p)}`);
    // In the panel's words: a kept session or kept outputs are not this verify's time.
    if (v.runtimeStartMs > 0) lines.push('', `onnxruntime start (once, before both): ${v.runtimeStartMs.toFixed(1)} ms.`);
    lines.push('', `Session create: original ${wordsText(createWords(v.original))}, fused ${wordsText(createWords(v.fused))}.`);
    lines.push('', `Run time (median of ${v.fused.runs}): original ${wordsText(runWords(v.original))}, fused ${wordsText(runWords(v.fused))}.`);
  }
  lines.push('');
  return lines.join('\n');
}
