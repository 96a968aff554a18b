import { evidenceSummary } from '../compare/evidence-summary.ts';
import type { Annotation } from '../../schemas/annotation.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { verdictText, type Comparison, type MetricComparison } from '../compare/comparison.ts';
import { formatConfigPath } from '../compare/config-diff.ts';
import { directionText, metricLabel } from '../compare/metric-words.ts';
import type { PerTraceRow } from '../compare/per-trace.ts';
import { summarizeAnnotations, type AnnotationSummaryView } from './report-annotations.ts';
import { exampleMoves, type ExampleMove } from './report-examples.ts';
import { reportJudgesView, type ReportJudgesView } from './report-judges.ts';
import type { RunJudges } from '../compare/judges-per-run.ts';
import { clipText, formatDelta, formatInterval, formatNumber, formatP, formatValue, NONE } from './report-format.ts';
import { countNoun } from '../text/count-noun.ts';
import { groupDigits } from '../text/group-digits.ts';

interface ReportRunInput {
  manifest: RunManifest;
  /** null when the run has no readable metrics.json (then it has no tokens chart bars). */
  metrics: RunMetrics | null;
  /** The run's examples (its traces, or the site's rows): the input and expected output of those shown. */
  traces: readonly ReportExampleText[];
}

/** What the report shows of an example besides the comparison: its input and expected output. */
type ReportExampleText = Pick<Trace, 'exampleId' | 'input' | 'expected'>;

export interface ReportInput {
  comparison: Comparison;
  /** Per-example rows of the same comparison (matched examples). */
  perTrace: readonly PerTraceRow[];
  /** The compared runs, in the comparison's order (the baseline first). */
  runs: readonly ReportRunInput[];
  annotations: readonly Annotation[];
  /** Each run's judges beside its people (judgesPerRun); absent where the caller has no scores to pair. */
  judges?: readonly RunJudges[];
  generatedAt: Date;
  toolVersion: string;
  /** Examples shown per run and direction (default 5). */
  examplesShown?: number;
}

interface RunView {
  letter: string;
  id: string;
  name: string;
  baseline: boolean;
  status: string;
  createdAt: string;
  traces: number;
  source: string;
  /** The CI job's page, when the run was made by CI. */
  sourceUrl: string | null;
  commit: string;
  branch: string;
  config: string;
  configDigest: string;
  dataset: string;
}

interface MetricRowView {
  name: string;
  primary: boolean;
  source: string;
  direction: string;
  n: number;
  runs: Array<{ value: string; ci: string; note: string }>;
  deltas: Array<{ delta: string; ci: string; p: string; verdict: string; verdictClass: string }>;
  warnings: string[];
}

interface ChartView {
  id: string;
  title: string;
  caption: string;
  /** SVG markup produced by vega (which escapes all text): the one value the template marks safe. */
  svg: string;
}

interface ExampleView {
  example: string;
  change: string;
  input: string;
  expected: string;
  before: string;
  after: string;
}

export interface ReportViewModel {
  title: string;
  experiment: string;
  generatedAt: string;
  toolVersion: string;
  runs: RunView[];
  configDiffs: Array<{
    title: string;
    /** The column heads of the two configs: the runs' letters (`A`, `B`). */
    beforeHead: string;
    afterHead: string;
    changes: Array<{ path: string; kind: string; before: string; after: string; ops: Array<{ op: string; text: string }> }>;
  }>;
  metrics: { runHeaders: string[]; deltaHeaders: string[]; rows: MetricRowView[] };
  charts: ChartView[];
  examples: {
    metric: string | null;
    note: string;
    groups: Array<{
      title: string;
      kind: 'regressed' | 'improved';
      /** The run the outputs are compared with (`A`) and the run that moved (`B`), by letter. */
      baseline: string;
      run: string;
      total: number;
      items: ExampleView[];
    }>;
  };
  annotations: AnnotationSummaryView;
  /** "Judges and people" (templates/_judges-report.njk). */
  judges: ReportJudgesView;
  alignment: { key: string; examples: number; matched: number; notes: string[] };
  method: string;
  /** Clusters, trials, the non-inferiority gate and the eval plan (src/compare/evidence-summary.ts), as lines. */
  evidence: {
    lines: string[];
    gate: string | null;
    gateClass: string;
    gates: Array<{ decision: string; text: string }>;
    planFlags: string[];
  };
  warnings: string[];
}

/** The runs' letters in the report, the baseline first. */
export const LETTERS = ['A', 'B', 'C', 'D'];
const TEXT_MAX = 700;

/**
 * The view model from already-rendered charts. Pure, and free of the chart renderer, so the
 * compare page builds its report with it in the browser (report-with-charts.ts renders the
 * charts for the PDF in Node).
 */
export function buildReportViewModel(input: ReportInput, charts: ChartView[]): ReportViewModel {
  const { comparison } = input;
  const letters = LETTERS.slice(0, comparison.runs.length);
  const letterOf = (runId: string) => letters[comparison.runs.findIndex((r) => r.id === runId)] ?? '?';
  const manifests = input.runs.map((r) => r.manifest);
  return {
    title: `${comparison.experiment}: ${comparison.runs.map((r, i) => `${letters[i]} ${r.name}`).join(' vs ')}`,
    experiment: comparison.experiment,
    generatedAt: `${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    toolVersion: input.toolVersion,
    runs: manifests.map((m, i) => runView(m, letters[i]!, i === 0)),
    configDiffs: comparison.configDiff.map((diff) => ({
      title: `${letterOf(diff.run)} against ${letterOf(diff.vs)}`,
      beforeHead: letterOf(diff.vs),
      afterHead: letterOf(diff.run),
      changes: diff.changes.map((c) => ({
        path: formatConfigPath(c.path),
        kind: c.kind,
        before: c.kind === 'added' ? NONE : clipText(c.before, 300),
        after: c.kind === 'removed' ? NONE : clipText(c.after, 300),
        ops: (c.textDiff ?? []).map((op) => ({ op: op.op, text: clipText(op.text, 300) })),
      })),
    })),
    metrics: {
      runHeaders: comparison.runs.map((r, i) => `${letters[i]} ${r.name}`),
      deltaHeaders: comparison.runs.slice(1).map((_, i) => `${letters[i + 1]} − A`),
      rows: comparison.metrics.map((m) => metricRow(m)),
    },
    charts,
    examples: examplesView(input, letters),
    annotations: summarizeAnnotations(
      input.annotations,
      comparison.runs.map((r) => r.id),
    ),
    judges: reportJudgesView(input.judges, letters),
    alignment: {
      key: comparison.alignment.key === 'exampleId' ? 'example id' : 'a hash of the input',
      examples: comparison.alignment.examples,
      matched: comparison.alignment.matched,
      notes: comparison.alignment.runs.flatMap((r) => {
        const notes: string[] = [];
        if (r.onlyIn.length > 0) notes.push(`${letterOf(r.run)} has ${countNoun(r.onlyIn.length, 'example')} no other run has`);
        if (r.missing > 0) notes.push(`${letterOf(r.run)} lacks ${countNoun(r.missing, 'example')} of other runs`);
        if (r.duplicates.length > 0)
          notes.push(
            `${letterOf(r.run)} has ${countNoun(r.duplicates.length, 'example')} traced more than once (the first trace is compared)`,
          );
        return notes;
      }),
    },
    method:
      `Means over the ${comparison.alignment.matched} examples every run has. Intervals: ${Math.round(comparison.settings.confidence * 100)}% (Wilson for pass rates, Student t otherwise); ` +
      `differences: paired percentile bootstrap, ${groupDigits(comparison.settings.bootstrap.resamples)} resamples, seed ${comparison.settings.bootstrap.seed}. ` +
      `Paired tests (McNemar for pass/fail, Wilcoxon signed-rank for numbers, chi-square or Fisher for labels), Holm-corrected across ${comparison.settings.tests} tests at α = ${comparison.settings.alpha}.`,
    evidence: evidenceView(comparison, letterOf),
    warnings: comparison.warnings,
  };
}

/** The evidence summary for the PDF: one sentence per fact, the gate's answers, the plan's flags. */
function evidenceView(comparison: ReportInput['comparison'], letterOf: (run: string) => string): ReportViewModel['evidence'] {
  const s = evidenceSummary(comparison);
  const round = (x: number) => String(Number(x.toPrecision(3)));
  const lines: string[] = [];
  if (s.clusters) {
    lines.push(
      `Clusters: ${s.clusters.clusters} on ${s.clusters.key}${s.clusters.maxDesignEffect !== null ? `, largest design effect ${round(s.clusters.maxDesignEffect)}` : ''}; intervals and tests use clustered standard errors.`,
    );
  }
  if (s.trials.some((t) => t.k !== 1))
    lines.push(
      `Trials per example: ${s.trials.map((t) => `${letterOf(t.run)} ${round(t.k)}`).join(', ')}; each run's trials of an example are averaged before pairing.`,
    );
  if (s.plan) lines.push(`Eval plan: ${s.plan.text}.`);
  return {
    lines,
    gate: s.gate,
    gateClass: s.gate === 'pass' ? 'better' : s.gate === 'fail' ? 'worse' : 'none',
    gates: s.gates.map((g) => ({
      decision: g.decision,
      text: `${g.metric}, ${letterOf(g.run)} against ${letterOf(g.vs)}: margin ${g.margin}${g.marginFrom ? ` (from ${g.marginFrom === 'plan' ? 'the plan' : 'experiment.yaml'})` : ''}. ${g.reason}`,
    })),
    planFlags: s.plan?.flags ?? [],
  };
}

function runView(m: RunManifest, letter: string, baseline: boolean): RunView {
  const s = m.source;
  return {
    letter,
    id: m.id,
    name: m.name,
    baseline,
    status: m.status,
    createdAt: m.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
    traces: m.counts.traces,
    source:
      s.kind === 'ci'
        ? `CI: ${s.repository} · ${s.workflow} run ${s.workflowRunId} (attempt ${s.workflowRunAttempt}) · job ${s.job} · ${s.event} by ${s.actor}`
        : `local: ${s.user}@${s.host}`,
    sourceUrl: s.kind === 'ci' ? s.runUrl : null,
    commit: m.code.commit ? `${m.code.commit.slice(0, 12)}${m.code.dirty ? ' (uncommitted changes)' : ''}` : 'unknown',
    branch: m.code.branch ?? NONE,
    config: `${m.config.name} (${m.config.path})`,
    configDigest: m.config.digest.slice(0, 7 + 16),
    dataset: m.dataset ? `${m.dataset.path} (${m.dataset.digest.slice(0, 7 + 12)})` : NONE,
  };
}

/** What a metric is measured from; latency, tokens and cost are named for people in the name column. */
const SOURCE: Record<string, string> = {
  score: 'score',
  annotation: 'annotation',
  latency: 'measured',
  tokens: 'measured',
  cost: 'measured',
};

function metricRow(m: MetricComparison): MetricRowView {
  return {
    name: metricLabel(m),
    primary: m.primary,
    source: `${SOURCE[m.source] ?? m.source}${m.kind === 'boolean' ? ', pass rate' : m.kind === 'label' ? ', label' : ''}`,
    direction: directionText(m.direction) || 'no direction',
    n: m.n,
    runs: m.runs.map((r) => ({
      value: m.kind === 'label' ? labelCounts(r.counts) : formatValue(r.mean, m.kind),
      ci: formatInterval(r.ci, m.kind),
      note: r.missing > 0 ? `${r.missing} missing` : '',
    })),
    deltas: m.deltas.map((d) => ({
      delta: m.kind === 'label' ? (d.distance !== undefined ? `TVD ${formatNumber(d.distance)}` : NONE) : formatDelta(d.delta, m.kind),
      ci: formatInterval(d.ci, m.kind, true),
      p: formatP(d.pAdjusted),
      verdict: verdictText(m, d.verdict),
      verdictClass: d.verdict.replace(/ /g, '-'),
    })),
    warnings: m.warnings,
  };
}

function labelCounts(counts: Record<string, number> | undefined): string {
  if (!counts) return NONE;
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([label, n]) => `${label} ${n}`)
    .join(' · ');
}

function examplesView(input: ReportInput, letters: string[]): ReportViewModel['examples'] {
  const moves = exampleMoves(input.comparison, input.perTrace);
  if (!moves) return { metric: null, note: 'No pass/fail or numeric score to rank examples by.', groups: [] };
  const shown = input.examplesShown ?? 5;
  const byExample = input.runs.map((run) => {
    const map = new Map<string, ReportExampleText>();
    for (const t of run.traces) if (!map.has(t.exampleId)) map.set(t.exampleId, t);
    return map;
  });
  const rowByExample = new Map(input.perTrace.map((row) => [row.example, row]));
  const kind = moves.metric.kind;
  const item = (move: ExampleMove): ExampleView => {
    const row = rowByExample.get(move.example);
    const base = row?.runs[0];
    const cell = row?.runs[move.run];
    const trace = (base && byExample[0]!.get(move.example)) ?? byExample[move.run]!.get(move.example);
    return {
      example: move.example,
      change:
        kind === 'boolean'
          ? `${move.before === 1 ? 'pass' : 'fail'} → ${move.after === 1 ? 'pass' : 'fail'}`
          : `${formatValue(move.before, kind)} → ${formatValue(move.after, kind)}`,
      input: clipText(trace?.input, TEXT_MAX),
      expected: trace?.expected === undefined ? NONE : clipText(trace.expected, TEXT_MAX),
      before: clipText(base?.output ?? null, TEXT_MAX),
      after: clipText(cell?.output ?? null, TEXT_MAX),
    };
  };
  const groups: ReportViewModel['examples']['groups'] = [];
  for (const run of moves.runs) {
    const vs = `${letters[run.run]} against A`;
    const pair = { baseline: letters[0]!, run: letters[run.run]! };
    groups.push({
      title: `Regressed most: ${vs}`,
      kind: 'regressed',
      ...pair,
      total: run.regressed.length,
      items: run.regressed.slice(0, shown).map(item),
    });
    groups.push({
      title: `Improved most: ${vs}`,
      kind: 'improved',
      ...pair,
      total: run.improved.length,
      items: run.improved.slice(0, shown).map(item),
    });
  }
  return {
    metric: moves.metric.name,
    note: `Examples ranked by the change in ${moves.metric.name} (${moves.metric.direction === 'lower' ? 'lower' : 'higher'} is better) against run A; ties by example id.`,
    groups,
  };
}
