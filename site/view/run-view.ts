import type { UsageGroup } from '#schemas/metrics.ts';
import { type AnnotateOptions, annotateTarget, type AnnotateTarget } from './annotate-target.ts';
import { annotationNameViews, type AnnotationNameView } from './annotation-view.ts';
import { runDeploySection, type RunDeploySection } from './deploy-views.ts';
import type { Bin, ScoreDistribution } from './distribution-bins.ts';
import { sourceBadges, type Badge } from './experiment-view.ts';
import { experimentDeployBadges } from './deploy-views.ts';
import { formatCost, formatCount, formatDate, formatMs } from './format.ts';
import type { SiteExperiment, SiteRun } from './site-source.ts';
import { type MetricValue, runMetricValues } from './metric-values.ts';
import { blobUrl, commitUrl, type RepoRef, repoUrl, runRepo, workflowRunUrl } from './repo-links.ts';
import { type ColumnMeta, runDataPaths } from './run-meta.ts';
import { runAnnotationSummary } from './site-annotations.ts';
import { judgesSectionView, type JudgesSectionView } from './judges-view.ts';
import type { RunDataSummary } from './site-source.ts';
import { NO_TRACES_REASON } from '#lib/runner/empty-run.ts';

export interface Fact {
  label: string;
  value: string;
  href: string | null;
}

export interface UsageTable {
  title: string;
  rows: { name: string; calls: string; errors: string; tokens: string; cost: string; duration: string }[];
}

export interface RunView {
  experiment: string;
  id: string;
  name: string;
  status: string;
  statusReason: string;
  /** The sentence in place of the traces table when the run has none. */
  noTraces: string;
  badges: Badge[];
  facts: Fact[];
  configText: string;
  configPath: string;
  configUrl: string | null;
  metrics: MetricValue[];
  columns: ColumnMeta[];
  distributions: { column: ColumnMeta; distribution: ScoreDistribution }[];
  latency: Bin[];
  usage: UsageTable[];
  traces: number;
  warnings: string[];
  process: { command: string; exitCode: string; stderrTail: string } | null;
  annotations: {
    names: AnnotationNameView[];
    /** Everyone who annotated this run, sorted. */
    authors: string[];
    judgements: number;
    /** Traces where the judges disagree on some name. */
    disagreements: number;
  };
  /** Automated judges beside the people's annotations of the same names ("Judges and people"). */
  judges: JudgesSectionView;
  annotate: AnnotateTarget;
  deploy: RunDeploySection;
  /** Site-relative path of the traces CSV download, when it was written. */
  tracesCsv: string | null;
}

interface RunViewContext {
  siteRepo: RepoRef | null;
  annotate: AnnotateOptions;
  /** Site-relative paths of the CSV files the build wrote. */
  downloads: ReadonlySet<string>;
}

export function buildRunView(experiment: SiteExperiment, run: SiteRun, data: RunDataSummary | undefined, context: RunViewContext): RunView {
  const { siteRepo } = context;
  const m = run.manifest;
  const repo = runRepo(m, siteRepo);
  const facts: Fact[] = [
    { label: 'Run id', value: m.id, href: null },
    { label: 'Created', value: formatDate(m.createdAt), href: null },
    { label: 'Duration', value: m.finishedAt ? formatMs(Date.parse(m.finishedAt) - Date.parse(m.createdAt)) : '—', href: null },
    {
      label: 'Commit',
      value: m.code.commit ? `${m.code.commit.slice(0, 12)}${m.code.dirty ? ' (dirty)' : ''}` : 'unknown',
      href: commitUrl(repo, m.code.commit),
    },
    { label: 'Branch', value: m.code.branch ?? '—', href: null },
  ];
  if (repo) facts.push({ label: 'Repository', value: repo.repository, href: repoUrl(repo) });
  if (m.source.kind === 'ci') {
    if (m.source.simulated)
      facts.push({ label: 'Source', value: 'simulated CI: the action was run locally against a stand-in for GitHub', href: null });
    facts.push({
      label: 'Workflow run',
      value: `${m.source.workflow} #${m.source.workflowRunId}${m.source.simulated ? ' (simulated)' : ''}`,
      href: workflowRunUrl(m),
    });
    facts.push({ label: 'Event', value: `${m.source.event} by ${m.source.actor}`, href: null });
  } else {
    facts.push({ label: 'Made on', value: `${m.source.user}@${m.source.host}`, href: null });
  }
  if (m.dataset) facts.push({ label: 'Dataset', value: `${m.dataset.path} (${m.dataset.digest.slice(7, 19)})`, href: null });
  facts.push({ label: 'Config digest', value: m.config.digest.slice(0, 19), href: null });
  // Traces that failed, not spans: a tool span's error inside a trace that recovered counts in
  // the usage tables' errors, not here, so the words say which is which.
  const failedSpans = spanErrors(run);
  facts.push({
    label: 'Traces',
    value: `${formatCount(m.counts.traces)} (${formatCount(m.counts.errors)} failed, ${formatCount(m.counts.spans)} spans${
      failedSpans > 0 ? `, ${formatCount(failedSpans)} with an error` : ''
    })`,
    href: null,
  });
  facts.push(...evidenceFacts(m, data));
  if (m.shard) facts.push({ label: 'Shard', value: `${m.shard.index} of ${m.shard.count}`, href: null });
  facts.push({ label: 'Tool', value: `${m.tool.name} ${m.tool.version}`, href: null });

  const columns = data?.columns ?? [];
  const usage: UsageTable[] = [];
  if (run.metrics) {
    // A run with no cost recorded anywhere shows "—" in its usage rows, as on its cost card, not $0.
    const priced = run.metrics.cost.perTrace.count > 0;
    for (const [title, groups] of [
      ['By model', run.metrics.byModel],
      ['By tool', run.metrics.byTool],
      ['By span type', run.metrics.byType],
    ] as const) {
      const rows = Object.entries(groups as Record<string, UsageGroup>)
        .sort((a, b) => b[1].calls - a[1].calls)
        .map(([name, g]) => ({
          name,
          calls: formatCount(g.calls),
          errors: formatCount(g.errors),
          tokens: formatCount(g.totalTokens),
          cost: priced ? formatCost(g.cost) : formatCost(null),
          duration: formatMs(g.calls > 0 ? g.durationMs / g.calls : null),
        }));
      if (rows.length > 0) usage.push({ title, rows });
    }
  }
  return {
    experiment: experiment.name,
    id: m.id,
    name: m.name,
    status: m.status,
    statusReason: m.statusReason ?? '',
    noTraces: noTracesSentence(m.statusReason),
    badges: [...sourceBadges(run), ...(experimentDeployBadges(experiment).get(m.id) ?? [])],
    facts,
    configText: run.configText,
    configPath: m.config.path,
    configUrl: blobUrl(repo, m.code.commit, m.config.path),
    metrics: runMetricValues(run.metrics, experiment.definition),
    columns,
    distributions: columns.map((column) => ({ column, distribution: data!.distributions[column.key]! })).filter((d) => d.distribution),
    latency: data?.latency ?? [],
    usage,
    traces: data?.traces ?? m.counts.traces,
    warnings: data?.warnings ?? [],
    process: m.process
      ? {
          command: m.process.command.join(' '),
          exitCode: m.process.exitCode === null ? (m.process.signal ?? 'killed') : String(m.process.exitCode),
          stderrTail: m.process.stderrTail,
        }
      : null,
    annotations: annotationsOverview(experiment, m.id),
    judges: judgesSectionView(data?.judges),
    annotate: annotateTarget(experiment, run, siteRepo, context.annotate),
    deploy: runDeploySection(experiment, run, siteRepo),
    tracesCsv: context.downloads.has(runDataPaths(experiment.name, m.id).tracesCsv) ? runDataPaths(experiment.name, m.id).tracesCsv : null,
  };
}

function annotationsOverview(experiment: SiteExperiment, runId: string): RunView['annotations'] {
  const summary = runAnnotationSummary(experiment.annotations, runId);
  const disagreements = summary.traces.flatMap((t) => t.names.filter((n) => n.disagreement).map((n) => ({ trace: t.trace, name: n.name })));
  const entries = experiment.annotations.entries.filter((e) => e.run === runId);
  return {
    names: annotationNameViews(summary.names, summary.agreement, disagreements),
    authors: [...new Set(entries.map((e) => e.author))].sort(),
    judgements: summary.names.reduce((n, name) => n + name.entries, 0),
    disagreements: new Set(disagreements.map((d) => d.trace)).size,
  };
}

/**
 * How the run's numbers were sampled and what they are held to: trials per example, the
 * cluster key with its clusters and the primary metric's design effect, and the eval plan the
 * run recorded with each margin (a comparison's gate answers on the compare page).
 */
function evidenceFacts(m: SiteRun['manifest'], data: RunDataSummary | undefined): Fact[] {
  const facts: Fact[] = [];
  const evidence = data?.evidence;
  if (evidence && evidence.trialsPerExample !== 1) {
    facts.push({
      label: 'Trials per example',
      value: `${round(evidence.trialsPerExample)} (${formatCount(evidence.examples)} examples)`,
      href: null,
    });
  }
  if (evidence?.cluster) {
    const c = evidence.cluster;
    facts.push({
      label: 'Cluster key',
      value: `${c.key}: ${formatCount(c.clusters)} clusters${c.designEffect !== null && c.metric ? `, design effect ${round(c.designEffect)} on ${c.metric}` : ''}`,
      href: null,
    });
  }
  const plan = data?.plan;
  if (m.plan) {
    const margins = plan
      ? plan.plan.metrics
          .map((p) => `${p.name}${p.margin !== undefined ? ` margin ${p.margin}` : ''}${p.mde !== undefined ? ` mde ${p.mde}` : ''}`)
          .join('; ')
      : 'unreadable (see the warnings)';
    facts.push({
      label: 'Eval plan',
      value: `${m.plan.path} (${m.plan.digest.slice(7, 19)}${m.plan.committed ? '' : ', not committed'}) · α ${plan?.plan.alpha ?? '?'}${plan?.plan.sampleSize !== undefined ? ` · sample size ${plan?.plan.sampleSize}` : ''}${plan?.plan.trials !== undefined ? ` · ${plan?.plan.trials} trials` : ''} · ${margins}`,
      href: null,
    });
  }
  return facts;
}

function round(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** Spans that ended in an error, from metrics.json (0 for a run not sealed). */
function spanErrors(run: SiteRun): number {
  return run.metrics ? Object.values(run.metrics.byType).reduce((sum, group) => sum + group.errors, 0) : 0;
}

/** Why the run page has no traces table: the run's reason, or how traces get into a run when its command recorded none. */
export function noTracesSentence(reason: string | undefined): string {
  if (reason === NO_TRACES_REASON)
    return 'This run recorded no traces: its command ran to the end without writing a trace or sending a span. Traces come from the Labbook SDK (LABBOOK_RUN_DIR) and from OpenTelemetry exporters pointed at the run (OTEL_EXPORTER_OTLP_ENDPOINT).';
  return reason ? `This run recorded no traces: ${reason}` : 'This run recorded no traces.';
}
