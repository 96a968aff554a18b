import { verdictText, type Comparison, type MetricComparison, type MetricDelta } from './comparison.ts';
import { formatConfigPath } from './config-diff.ts';
import { directionText, metricLabel } from './metric-words.ts';
import { formatPercent } from '../text/format-percent.ts';
import { groupDigits } from '../text/group-digits.ts';

/** One line of the comparison table: a metric's baseline row or one of its other runs. */
export interface ComparisonRow {
  metric: string;
  kind: string;
  direction: string;
  run: string;
  n: string;
  mean: string;
  delta: string;
  test: string;
  p: string;
  pAdjusted: string;
  verdict: string;
}

/** Everything a text or markdown rendering shows, already formatted. */
export interface ComparisonView {
  title: string;
  /** `A` → "run id · name · config". */
  legend: Array<{ letter: string; run: string; detail: string }>;
  rows: ComparisonRow[];
  alignment: string[];
  config: string[];
  /** Non-inferiority answers, one line per delta of a metric with a margin. */
  gates: string[];
  warnings: string[];
  footnote: string;
}

const LETTERS = ['A', 'B', 'C', 'D'];

/** Turns a Comparison into strings for a table: letters for runs, signed deltas, short p-values. */
export function comparisonView(c: Comparison): ComparisonView {
  const letter = new Map(c.runs.map((r, i) => [r.id, LETTERS[i] ?? String(i + 1)]));
  const rows: ComparisonRow[] = [];
  for (const m of c.metrics) {
    m.runs.forEach((summary, i) => {
      const delta: MetricDelta | undefined = i === 0 ? undefined : m.deltas[i - 1];
      rows.push({
        metric: i === 0 ? `${metricLabel(m)}${m.primary ? ' *' : ''}` : '',
        kind: i === 0 ? kindLabel(m) : '',
        direction: i === 0 ? directionText(m.direction) : '',
        run: letter.get(summary.run) ?? summary.run,
        // A run whose mean uses other values than the paired sample (annotations) shows its own count.
        n:
          summary.n !== undefined && summary.n !== m.n
            ? `${summary.n}${i === 0 ? ` (${m.n} paired)` : ''}`
            : i === 0
              ? m.clusters !== undefined
                ? `${m.n} (${m.clusters} cl.)`
                : String(m.n)
              : '',
        mean:
          m.kind === 'label'
            ? labelCounts(summary.counts)
            : withInterval(summary.mean, summary.ci, { rate: m.kind === 'boolean' }) + deff(summary.designEffect) + passText(summary),
        delta: delta
          ? m.kind === 'label'
            ? delta.distance !== undefined
              ? `TV ${num(delta.distance)}`
              : '—'
            : withInterval(delta.delta, delta.ci, { signed: true, rate: m.kind === 'boolean' }) + deff(delta.designEffect)
          : '',
        test: delta?.test ?? '',
        p: delta ? pValue(delta.pValue) : '',
        pAdjusted: delta ? pValue(delta.pAdjusted) : '',
        verdict: delta
          ? `${verdictText(m, delta.verdict)}${delta.nonInferiority ? ` · NI ${delta.nonInferiority.decision}` : ''}`
          : i === 0
            ? 'baseline'
            : '',
      });
    });
  }
  const alignment = alignmentLines(c, letter);
  const config = c.configDiff.flatMap((d) =>
    d.changes.length === 0
      ? [`${letter.get(d.run)} vs ${letter.get(d.vs)}: same config`]
      : d.changes.map(
          (ch) =>
            `${letter.get(d.run)} vs ${letter.get(d.vs)}: ${formatConfigPath(ch.path)} ${ch.kind === 'changed' ? `${short(ch.before)} → ${short(ch.after)}` : ch.kind === 'added' ? `added ${short(ch.after)}` : `removed (was ${short(ch.before)})`}`,
        ),
  );
  const warnings = [...c.warnings, ...c.metrics.flatMap((m) => m.warnings.map((w) => `${metricLabel(m)}: ${w}`))];
  const gates = c.metrics.flatMap((m) =>
    m.deltas.flatMap((d) =>
      d.nonInferiority
        ? [
            `${metricLabel(m)} ${letter.get(d.run)} vs ${letter.get(d.vs)}: ${d.nonInferiority.decision} (margin ${d.nonInferiority.margin}) — ${d.nonInferiority.reason}`,
          ]
        : [],
    ),
  );
  const b = c.settings.bootstrap;
  const cl = c.settings.clusters;
  const intervals = cl
    ? `${Math.round(c.settings.confidence * 100)}% CIs with clustered standard errors on ${cl.key} (${cl.clusters} clusters; CR1, Miller 2024; t on clusters − 1 df, paired test clustered-t; deff = design effect)${b.method === 'cluster percentile' ? `; Δ CIs by cluster bootstrap (${b.resamples} resamples, seed ${b.seed})` : ''}`
    : `${Math.round(c.settings.confidence * 100)}% ${b.method} bootstrap CI (${b.resamples} resamples, seed ${b.seed})`;
  return {
    title: `Comparison of ${c.runs.length} runs of ${c.experiment}, against ${letter.get(c.baseline)}`,
    legend: c.runs.map((r) => ({ letter: letter.get(r.id)!, run: r.id, detail: `${r.name} · config ${r.config} · ${r.traces} traces` })),
    rows,
    alignment,
    config,
    gates,
    warnings,
    footnote: `Δ = run − ${letter.get(c.baseline)} on the paired examples, ${intervals}; p adjusted by Holm over ${c.settings.tests} tests; verdicts at α = ${c.settings.alpha}. * primary metric.`,
  };
}

function alignmentLines(c: Comparison, letter: Map<string, string>): string[] {
  const a = c.alignment;
  const lines = [
    `${a.matched} of ${a.examples} examples are in every run (matched on ${a.key === 'exampleId' ? 'example id' : 'input hash'})`,
  ];
  for (const r of a.runs) {
    const parts: string[] = [];
    if (r.onlyIn.length > 0)
      parts.push(`${r.onlyIn.length} only here (${r.onlyIn.slice(0, 3).join(', ')}${r.onlyIn.length > 3 ? ', …' : ''})`);
    if (r.missing > 0) parts.push(`${r.missing} missing`);
    if (r.duplicates.length > 0) parts.push(`${r.duplicates.length} duplicated`);
    if (parts.length > 0) lines.push(`${letter.get(r.run)}: ${parts.join(', ')}`);
  }
  return lines;
}

function kindLabel(m: MetricComparison): string {
  return m.source === 'score' ? m.kind : m.source === 'annotation' ? `${m.kind} (annotation)` : m.source;
}

/** pass@k and pass^k of a pass/fail metric of a run with trials, e.g. " · pass@3 90.0% pass^3 40.0%". */
export function passText(summary: { trials?: { passK?: number; passAtK?: number; passHatK?: number } }): string {
  const t = summary.trials;
  if (t?.passK === undefined || t.passAtK === undefined || t.passHatK === undefined) return '';
  return ` · pass@${t.passK} ${formatPercent(t.passAtK)} pass^${t.passK} ${formatPercent(t.passHatK)}`;
}

/**
 * A mean or a difference with its interval, as the report and the job summary write them: a
 * pass rate in percent (`54.8% [48.2%, 61.2%]`) and its difference in percentage points
 * (`+13.2 pp [+8.7, +17.8]`); other values in three significant digits; a difference and both
 * its bounds signed (`+0.4 [+0.249, +0.6]`).
 */
export function withInterval(
  value: number | null,
  ci: [number, number] | null,
  options: { signed?: boolean; rate?: boolean } = {},
): string {
  if (value === null) return '—';
  const { signed = false, rate = false } = options;
  const one = (x: number) => {
    const text = rate ? (x * 100).toFixed(1).replace(/^-(0\.0)$/, '$1') + (signed ? '' : '%') : num(x);
    return signed && x > 0 && text !== '0.0' ? `+${text}` : text;
  };
  const v = rate && signed ? `${one(value)} pp` : one(value);
  return ci ? `${v} [${one(ci[0])}, ${one(ci[1])}]` : v;
}

function deff(value: number | null | undefined): string {
  return value === undefined || value === null ? '' : ` deff ${num(value)}`;
}

export function labelCounts(counts: Record<string, number> | undefined): string {
  if (!counts) return '—';
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} ${n}`)
    .join(' · ');
}

/** Three significant digits, no exponent for ordinary magnitudes (a model call's cost, `0.0000311`); below 1e-6, `3.1e-7`; 0 below 1e-12. */
export function num(x: number): string {
  // Below 1e-12 is floating-point residue (a bootstrap bound of identical samples), read as 0.
  if (Math.abs(x) < 1e-12) return '0';
  const abs = Math.abs(x);
  if (abs >= 1000) return groupDigits(Math.round(x));
  if (abs < 1e-6) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

export function pValue(p: number | null): string {
  if (p === null) return '—';
  if (p < 0.001) return '<0.001';
  return String(Number(p.toPrecision(2)));
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'undefined');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
