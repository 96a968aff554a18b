import type { RunMetrics } from '../../../schemas/metrics.ts';
import type { RunManifest } from '../../../schemas/run-manifest.ts';
import { verdictText, type Comparison, type MetricComparison, type Verdict } from '../../../src/compare/comparison.ts';
import { TOOL_VERSION } from '../../../src/store/version.ts';
import { directionText, metricLabel } from '../../../src/compare/metric-words.ts';
import { deltaInUnit, interval, inUnit, percent, type Unit } from './format.ts';
import { describeGate, describePlanForReport, marginSource, summarizeGate, type GateLine, type GateSummary } from './gate-report.ts';
import type { SiteLinks } from './site-links.ts';
import type { RunJudges } from '../../../src/compare/judges-per-run.ts';
import { judgeRowText } from '../../../src/annotations/judges-and-people-text.ts';
import { noSharedExampleText } from '../../../src/compare/no-shared-example.ts';
import { countNoun } from '../../../src/text/count-noun.ts';

/** What happened to the run on the data branch. */
export type PublishOutcome =
  | { kind: 'pushed'; branch: string; commit: string; attempts: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; branch: string; reason: string; attempts: number };

export type BaselineOutcome = { kind: 'found'; manifest: RunManifest; why: string } | { kind: 'none'; reason: string };

/** A metric that got significantly worse than the baseline. */
export interface Regression {
  metric: string;
  baseline: number | null;
  current: number | null;
  delta: number | null;
  ci: [number, number] | null;
  pAdjusted: number | null;
}

interface RunReportInput {
  manifest: RunManifest;
  metrics: RunMetrics;
  baseline: BaselineOutcome;
  comparison: Comparison | null;
  publish: PublishOutcome;
  links: SiteLinks;
  /** `https://github.com/owner/repo`, for commit links. */
  repositoryUrl: string;
  warnings: string[];
  /** The action's `gate` input: with `non-inferiority`, the gate's answer decides the step. */
  gateMode?: 'regression' | 'non-inferiority';
  /** The compared runs' automated judges beside the people's annotations, baseline first. */
  judges?: readonly RunJudges[];
}

/** One automated judge of one run set beside the people, every cell text. */
interface JudgeRowView {
  run: string;
  name: string;
  judge: string;
  n: string;
  agreement: string;
  bias: string;
  disagreements: string;
}

interface MetricRowView {
  name: string;
  value: string;
  baseline: string;
  delta: string;
  verdict: string;
}

/**
 * Everything the job summary and PR comment templates show, as finished strings (plain text:
 * the templates escape them for Markdown).
 */
interface RunReportView {
  marker: string;
  title: string;
  run: {
    id: string;
    link: string | null;
    status: string;
    statusReason: string | null;
    traces: string;
    shard: string | null;
    commit: string | null;
    commitLink: string | null;
    workflowLink: string | null;
  };
  baseline: { id: string; link: string | null; why: string } | null;
  noBaseline: string | null;
  /** With a baseline that shares no example with the run: the comparison compared nothing. */
  noSharedExample: string | null;
  compareLink: string | null;
  /** Whether the metric table has baseline and delta columns. */
  compared: boolean;
  metrics: MetricRowView[];
  regressions: { text: string }[];
  /** Non-inferiority answers of the metrics with a margin: pass, fail or indeterminate, and why. */
  gates: GateLine[];
  /** The gate as a whole (the worst answer), when some metric has a margin; `enforced` with `gate: non-inferiority`. */
  gate: (GateSummary & { enforced: boolean }) | null;
  /** The eval plan the comparison was held to, and what it flags (changed after the baseline, sample below plan). */
  plan: { text: string; flags: string[] } | null;
  /** "95%", from the comparison's confidence (1 − the plan's alpha). */
  confidence: string;
  merge: { shards: string; missing: string | null } | null;
  /**
   * Where people annotated what an automated judge scored (in either run): each judge's
   * agreement with them, so a reviewer knows how far a judge's verdict above can be trusted.
   */
  judges: JudgeRowView[] | null;
  publish: { ok: boolean; icon: string; text: string };
  warnings: string[];
  tool: string;
}

const STATUS_ICON: Record<string, string> = { completed: '✅', failed: '❌', partial: '⚠️', running: '⏳' };
const VERDICT_ICON: Record<Verdict, string> = {
  better: '🟢 better',
  worse: '🔴 worse',
  'no detectable difference': '⚪ no detectable difference',
  different: '🔵 different',
  'not compared': '— not compared',
  'too few to compare': '— too few to compare',
};

/** The hidden marker that finds a config's PR comment again. */
function commentMarker(experiment: string, configName: string): string {
  return `<!-- labbook:${experiment}:${configName} -->`;
}

/** The metrics that got significantly worse than the baseline, by the compare engine's verdicts. */
export function findRegressions(comparison: Comparison | null, runId: string): Regression[] {
  if (!comparison) return [];
  const regressions: Regression[] = [];
  for (const metric of comparison.metrics) {
    const delta = metric.deltas.find((d) => d.run === runId);
    if (delta?.verdict !== 'worse') continue;
    regressions.push({
      metric: metric.name,
      baseline: metric.runs.find((r) => r.run === delta.vs)?.mean ?? null,
      current: metric.runs.find((r) => r.run === runId)?.mean ?? null,
      delta: delta.delta,
      ci: delta.ci,
      pAdjusted: delta.pAdjusted,
    });
  }
  return regressions;
}

/** The non-inferiority answer of each metric of this run with a margin (plan.yaml or experiment.yaml), and why. */
function findGates(comparison: Comparison, runId: string): GateLine[] {
  return comparison.metrics.flatMap((metric) => {
    const delta = metric.deltas.find((d) => d.run === runId);
    const line = delta
      ? describeGate(metric, delta, unitOf(metric), comparison.settings?.confidence ?? 0.95, marginSource(comparison, metric.name))
      : null;
    return line ? [line] : [];
  });
}

export function buildRunReport(input: RunReportInput): RunReportView {
  const { manifest, links } = input;
  const source = manifest.source;
  const commit = manifest.code.commit ?? (source.kind === 'ci' ? source.sha : null);
  const baseline = input.baseline.kind === 'found' ? input.baseline.manifest : null;
  const comparison = baseline ? input.comparison : null;
  const units = new Map<string, Unit>();
  const metrics = comparison ? comparedRows(comparison, manifest.id, units) : plainRows(input.metrics);
  const gates = comparison ? findGates(comparison, manifest.id) : [];
  const gate = summarizeGate(gates);
  return {
    marker: commentMarker(manifest.experiment, manifest.config.name),
    title: `${manifest.experiment} · ${manifest.name}`,
    run: {
      id: manifest.id,
      link: links.run(manifest.experiment, manifest.id),
      status: `${STATUS_ICON[manifest.status] ?? ''} ${manifest.status}`.trim(),
      statusReason: manifest.statusReason ?? null,
      traces: `${manifest.counts.traces} traces, ${manifest.counts.errors} with errors`,
      shard: manifest.shard ? `shard ${manifest.shard.index} of ${manifest.shard.count}` : null,
      commit: commit ? commit.slice(0, 7) : null,
      commitLink: commit ? `${input.repositoryUrl}/commit/${commit}` : null,
      workflowLink: source.kind === 'ci' ? source.runUrl : null,
    },
    baseline:
      baseline && input.baseline.kind === 'found'
        ? { id: baseline.id, link: links.run(baseline.experiment, baseline.id), why: input.baseline.why }
        : null,
    noBaseline: input.baseline.kind === 'none' ? input.baseline.reason : null,
    noSharedExample: comparison ? noSharedExampleText(comparison.alignment) : null,
    compareLink: baseline ? links.compare(manifest.experiment, [baseline.id, manifest.id]) : null,
    compared: comparison !== null,
    metrics,
    gates,
    gate: gate ? { ...gate, enforced: input.gateMode === 'non-inferiority' } : null,
    plan: comparison ? describePlanForReport(comparison) : null,
    confidence: `${Math.round((comparison?.settings?.confidence ?? 0.95) * 1000) / 10}%`,
    regressions: comparison
      ? findRegressions(comparison, manifest.id).map((r) => {
          const metric = comparison.metrics.find((m) => m.name === r.metric);
          // Named as the table names it: "latency (ms)", not latencyMs.
          return { text: describeRegression(r, units.get(r.metric) ?? 'plain', metric ? metricLabel(metric) : r.metric) };
        })
      : [],
    merge: manifest.merge
      ? {
          shards: manifest.merge.shards.map((s) => `${s.index}: ${s.runId}`).join(', '),
          missing: manifest.merge.missing.length > 0 ? manifest.merge.missing.join(', ') : null,
        }
      : null,
    judges: judgeRows(input.judges ?? [], baseline?.id ?? null),
    publish: describePublish(input.publish),
    warnings: input.warnings,
    tool: `labbook ${TOOL_VERSION}`,
  };
}

/** Every judge row of the runs, or null when no judge has people's annotations beside it. */
function judgeRows(runs: readonly RunJudges[], baselineId: string | null): JudgeRowView[] | null {
  const rows = runs.flatMap((run) =>
    run.rows.map((row) => {
      const text = judgeRowText(row);
      return {
        run: run.run === baselineId ? 'baseline' : 'this run',
        name: text.name,
        judge: text.judge,
        n: text.n,
        agreement: text.agreement,
        bias: text.bias,
        disagreements: text.disagreements,
      };
    }),
  );
  return rows.length > 0 ? rows : null;
}

function unitOf(metric: MetricComparison): Unit {
  if (metric.source === 'latency') return 'ms';
  if (metric.source === 'tokens') return 'tokens';
  if (metric.source === 'cost') return 'usd';
  return metric.kind === 'boolean' ? 'rate' : 'plain';
}

function comparedRows(comparison: Comparison, runId: string, units: Map<string, Unit>): MetricRowView[] {
  return comparison.metrics.map((metric) => {
    const unit = unitOf(metric);
    units.set(metric.name, unit);
    const delta = metric.deltas.find((d) => d.run === runId);
    const current = metric.runs.find((r) => r.run === runId);
    const base = metric.runs.find((r) => r.run === delta?.vs);
    const show = (summary: typeof current) =>
      summary?.mean === null || summary?.mean === undefined
        ? labelText(summary?.counts)
        : `${inUnit(summary.mean, unit)} ${interval(summary.ci, unit)}`.trim();
    let deltaText = '';
    if (delta?.delta !== null && delta?.delta !== undefined)
      deltaText = `${deltaInUnit(delta.delta, unit)} ${interval(delta.ci, unit, true)}`.trim();
    else if (delta?.distance !== undefined) deltaText = `distance ${percent(delta.distance)}`;
    return {
      name: [`${metricLabel(metric)}${metric.primary ? ' (primary)' : ''}`, directionText(metric.direction)].filter(Boolean).join(' · '),
      value: show(current),
      baseline: show(base),
      delta: deltaText,
      verdict: delta
        ? delta.verdict === 'too few to compare'
          ? `— ${verdictText(metric, delta.verdict)}`
          : VERDICT_ICON[delta.verdict]
        : '',
    };
  });
}

function labelText(counts: Record<string, number> | undefined): string {
  if (!counts) return '—';
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([label, n]) => `${label}: ${n}`)
    .join(', ');
}

/** Without a baseline: the run's own metrics from metrics.json. */
function plainRows(metrics: RunMetrics): MetricRowView[] {
  const row = (name: string, value: string): MetricRowView => ({ name, value, baseline: '', delta: '', verdict: '' });
  const rows: MetricRowView[] = [];
  for (const [name, summary] of Object.entries(metrics.scores).sort(([a], [b]) => a.localeCompare(b))) {
    if (summary.kind === 'label') rows.push(row(name, labelText(summary.counts)));
    else {
      const unit: Unit = summary.kind === 'boolean' ? 'rate' : 'plain';
      rows.push(row(name, summary.mean === null ? '—' : `${inUnit(summary.mean, unit)} ${interval(summary.ci, unit)}`.trim()));
    }
  }
  if (metrics.latencyMs.p50 !== null)
    rows.push(
      row('latency p50 / p95', `${inUnit(metrics.latencyMs.p50, 'ms')} / ${inUnit(metrics.latencyMs.p95 ?? metrics.latencyMs.p50, 'ms')}`),
    );
  if (metrics.tokens.total > 0)
    rows.push(row(`tokens${metrics.tokens.simulated ? ' (simulated)' : ''}`, inUnit(metrics.tokens.total, 'tokens')));
  if (metrics.cost.total > 0) rows.push(row('cost', inUnit(metrics.cost.total, 'usd')));
  if (metrics.traces.errorRate !== null) rows.push(row('error rate', percent(metrics.traces.errorRate)));
  return rows;
}

function describeRegression(r: Regression, unit: Unit, label: string): string {
  const from = r.baseline === null ? '?' : inUnit(r.baseline, unit);
  const to = r.current === null ? '?' : inUnit(r.current, unit);
  const delta = r.delta === null ? '' : `${deltaInUnit(r.delta, unit)}${r.ci ? `, 95% CI ${interval(r.ci, unit, true)}` : ''}`;
  const p = r.pAdjusted === null ? '' : `, adjusted p ${r.pAdjusted < 0.001 ? '< 0.001' : `= ${r.pAdjusted.toFixed(3)}`}`;
  return `${label}: ${from} → ${to} (${delta}${p})`;
}

function describePublish(publish: PublishOutcome): RunReportView['publish'] {
  switch (publish.kind) {
    case 'pushed':
      return {
        ok: true,
        icon: '✅',
        text: `pushed to ${publish.branch} as ${publish.commit.slice(0, 7)}${publish.attempts > 1 ? ` (after ${publish.attempts} attempts)` : ''}`,
      };
    case 'skipped':
      return { ok: true, icon: 'ℹ️', text: `not pushed: ${publish.reason}` };
    case 'failed':
      return {
        ok: false,
        icon: '❌',
        text: `push to ${publish.branch} failed after ${countNoun(publish.attempts, 'attempt')}: ${publish.reason}`,
      };
  }
}
