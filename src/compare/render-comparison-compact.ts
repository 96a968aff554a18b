import { verdictText, type Comparison } from './comparison.ts';
import { comparisonView, labelCounts, num, passText, pValue, withInterval } from './comparison-view.ts';
import { wrapText } from '../text/wrap-text.ts';
import { clipToWidth, displayWidth, padToWidth } from '../text/display-width.ts';
import { directionText, metricLabel } from './metric-words.ts';

const LETTERS = ['A', 'B', 'C', 'D'];

/** Cuts text to `width` characters with an ellipsis. */

/** Run ids in a message become the runs' names (with their letter), which a reader recognises. */
export function nameRunsIn(text: string, c: Comparison): string {
  return c.runs.reduce((out, run, i) => out.split(run.id).join(`${LETTERS[i]} "${run.name}"`), text);
}

/**
 * The comparison for a terminal `width` columns wide (default 100): one block per metric with a
 * line per run — its mean and interval, and for the other runs the difference from the baseline
 * with its interval, the Holm-adjusted p and the verdict — and warnings wrapped and naming runs
 * by name. `labbook compare --wide` prints the full table instead.
 */
export function renderComparisonCompact(c: Comparison, width = 100): string {
  const letter = new Map(c.runs.map((r, i) => [r.id, LETTERS[i] ?? String(i + 1)]));
  const nameWidth = Math.min(16, Math.max(...c.runs.map((r) => displayWidth(r.name))));
  const runLabel = (id: string) => {
    const run = c.runs.find((r) => r.id === id);
    return `${letter.get(id) ?? '?'} ${padToWidth(clipToWidth(run?.name ?? id, nameWidth), nameWidth)}`;
  };
  const runLabelPlain = (id: string) => `${letter.get(id) ?? '?'} "${c.runs.find((r) => r.id === id)?.name ?? id}"`;
  const out: string[] = [];
  out.push(clipToWidth(`Comparison of ${c.runs.length} runs of ${c.experiment}, against A "${c.runs[0]?.name ?? c.baseline}"`, width));
  for (const [i, run] of c.runs.entries())
    out.push(clipToWidth(`  ${LETTERS[i]} ${run.name} · ${run.id} · config ${run.config} · ${run.traces} traces`, width));
  for (const m of c.metrics) {
    // Latency, tokens and cost say what they are in their name: no kind after it.
    const kind = m.source === 'score' ? m.kind : m.source === 'annotation' ? `${m.kind} (annotation)` : null;
    const head = [`${metricLabel(m)}${m.primary ? ' (primary)' : ''}`, directionText(m.direction), kind, `n = ${m.n}`];
    if (m.clusters !== undefined) head.push(`${m.clusters} clusters`);
    out.push('', clipToWidth(head.filter(Boolean).join(' · '), width));
    const means = m.runs.map((r) =>
      m.kind === 'label' ? labelCounts(r.counts) : withInterval(r.mean, r.ci, { rate: m.kind === 'boolean' }) + passText(r),
    );
    const meanWidth = Math.min(48, Math.max(...means.map((t) => displayWidth(t))));
    m.runs.forEach((summary, i) => {
      const head = `  ${runLabel(summary.run)}  ${padToWidth(clipToWidth(means[i]!, meanWidth), meanWidth)}`;
      const delta = i === 0 ? undefined : m.deltas[i - 1];
      if (!delta) {
        out.push(`${head}  baseline`.trimEnd());
        return;
      }
      const change =
        m.kind === 'label'
          ? delta.distance !== undefined
            ? `TV ${num(delta.distance)}`
            : '—'
          : withInterval(delta.delta, delta.ci, { signed: true, rate: m.kind === 'boolean' });
      const deff = delta.designEffect !== undefined && delta.designEffect !== null ? `  deff ${num(delta.designEffect)}` : '';
      const gate = delta.nonInferiority ? `  non-inferiority: ${delta.nonInferiority.decision}` : '';
      const tail = `Δ ${change}  p ${pValue(delta.pAdjusted)}  ${verdictText(m, delta.verdict)}${deff}${gate}`;
      if (displayWidth(`${head}  ${tail}`) <= width) out.push(`${head}  ${tail}`);
      else out.push(head.trimEnd(), ...wrapText(tail, width, `  ${' '.repeat(nameWidth + 4)}`));
    });
  }
  const b = c.settings.bootstrap;
  out.push(
    '',
    ...wrapText(
      `Δ = run − A on the paired examples, ${Math.round(c.settings.confidence * 100)}% ${b.method} bootstrap CI (${b.resamples} resamples, seed ${b.seed}); p adjusted by Holm over ${c.settings.tests} tests; verdicts at α = ${c.settings.alpha}.`,
      width,
      '',
    ),
  );
  const view = comparisonView(c);
  const gates = c.metrics.flatMap((m) =>
    m.deltas
      .filter((d) => d.nonInferiority)
      .map((d) => `${metricLabel(m)}, ${runLabelPlain(d.run)}: ${d.nonInferiority!.decision} — ${d.nonInferiority!.reason}`),
  );
  if (gates.length > 0) {
    out.push('', 'non-inferiority');
    for (const line of gates) out.push(...wrapText(line, width, '  ', '    '));
  }
  out.push('', 'alignment');
  for (const line of view.alignment) out.push(...wrapText(line, width, '  ', '    '));
  if (view.config.length > 0) {
    out.push('', 'config');
    for (const line of view.config) out.push(...wrapText(line, width, '  ', '    '));
  }
  const warnings = [...c.warnings, ...c.metrics.flatMap((m) => m.warnings.map((w) => `${metricLabel(m)}: ${w}`))];
  if (warnings.length > 0) {
    out.push('', `notes (${warnings.length})`);
    for (const warning of warnings) out.push(...wrapText(nameRunsIn(warning, c), width, '  ! ', '    '));
  }
  return out.join('\n');
}
