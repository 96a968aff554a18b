import { configSummary } from './config-summary.ts';
import { type DeployBadge, environmentViews, type EnvironmentView, experimentDeployBadges } from './deploy-views.ts';
import { formatDate } from './format.ts';
import type { TrendChartPoint } from './chart-specs.ts';
import type { SiteExperiment } from './site-source.ts';
import { bestIndices, type MetricFormat, runMetricValues } from './metric-values.ts';
import { commitUrl, type RepoRef, runRepo, shortSha, workflowRunUrl } from './repo-links.ts';
import type { Direction } from './run-rows.ts';
import { experimentDataPaths } from './run-meta.ts';
import { paths } from './site-paths.ts';

/** A small tag next to a run: its source (CI or local), a `dirty` checkout, where it is deployed. */
export interface Badge {
  kind: 'ci' | 'local' | 'dirty' | DeployBadge['kind'];
  text: string;
  title: string;
  href: string | null;
}

interface MetricColumnView {
  key: string;
  label: string;
  format: MetricFormat;
  direction: Direction | null;
  primary: boolean;
}

interface MetricCell {
  value: number | null;
  text: string;
  ciText: string;
  best: boolean;
}

interface ExperimentRunRow {
  id: string;
  name: string;
  href: string;
  createdAt: string;
  dateText: string;
  status: string;
  statusReason: string;
  commit: { short: string; full: string; url: string | null } | null;
  badges: Badge[];
  /** Where the run is or was deployed, or failed to be. */
  deployBadges: Badge[];
  config: string;
  traces: number;
  metrics: Record<string, MetricCell>;
}

export interface ExperimentView {
  name: string;
  description: string;
  columns: MetricColumnView[];
  /** Newest first. */
  runs: ExperimentRunRow[];
  /**
   * The primary metric, then latency, tokens and cost, over time with one series per config;
   * only metrics with values in two runs or more.
   */
  trends: TrendView[];
  /** Deployments per environment, newest first (empty when nothing was ever deployed). */
  deployments: EnvironmentView[];
  /** Site-relative path of the runs CSV download, when it was written. */
  runsCsv: string | null;
}

/** One metric over the experiment's runs, oldest first. */
interface TrendView {
  key: string;
  label: string;
  direction: Direction | null;
  format: MetricFormat;
  points: TrendChartPoint[];
}

/** The built-in metrics charted over time beside the primary one. */
const TREND_BUILT_INS = ['latency.p50', 'tokens.mean', 'cost.total'];

function trendViews(experiment: SiteExperiment, perRun: ReturnType<typeof runMetricValues>[]): TrendView[] {
  const primaryKey = perRun.flat().find((v) => v.primary)?.key;
  const keys = [...(primaryKey ? [primaryKey] : []), ...TREND_BUILT_INS];
  const trends: TrendView[] = [];
  for (const key of keys) {
    const points: TrendChartPoint[] = [];
    let first: ReturnType<typeof runMetricValues>[number] | undefined;
    for (const [i, run] of experiment.runs.entries()) {
      const value = perRun[i]!.find((v) => v.key === key);
      if (!value || value.value === null) continue;
      first ??= value;
      const m = run.manifest;
      points.push({ run: m.id, name: m.name, config: m.config.name, date: m.createdAt, value: value.value, text: value.text });
    }
    if (first && points.length > 1) trends.push({ key, label: first.label, direction: first.direction, format: first.format, points });
  }
  return trends;
}

export function sourceBadges(run: SiteExperiment['runs'][number]): Badge[] {
  const m = run.manifest;
  const badges: Badge[] = [];
  if (m.source.kind === 'ci') {
    const job = `${m.source.workflow} #${m.source.workflowRunId} (${m.source.event})`;
    badges.push(
      m.source.simulated
        ? {
            kind: 'ci',
            text: 'simulated CI',
            title: `${job}: the action run locally against a stand-in for GitHub, not a real CI job`,
            href: workflowRunUrl(m),
          }
        : { kind: 'ci', text: 'CI', title: job, href: workflowRunUrl(m) },
    );
  } else {
    badges.push({ kind: 'local', text: 'local', title: `${m.source.user}@${m.source.host}`, href: null });
  }
  if (m.code.dirty) badges.push({ kind: 'dirty', text: 'dirty', title: 'made from a checkout with uncommitted changes', href: null });
  return badges;
}

export function buildExperimentView(
  experiment: SiteExperiment,
  siteRepo: RepoRef | null,
  downloads: ReadonlySet<string> = new Set(),
): ExperimentView {
  const deployBadges = experimentDeployBadges(experiment);
  const columns: MetricColumnView[] = [];
  const seen = new Set<string>();
  const perRun = experiment.runs.map((run) => runMetricValues(run.metrics, experiment.definition));
  // Column order: as the newest run lists them, then anything only older runs had.
  for (const values of [...perRun].reverse()) {
    for (const v of values) {
      if (seen.has(v.key)) continue;
      seen.add(v.key);
      columns.push({ key: v.key, label: v.label, format: v.format, direction: v.direction, primary: v.primary });
    }
  }
  const rows: ExperimentRunRow[] = experiment.runs.map((run, i) => {
    const m = run.manifest;
    const repo = runRepo(m, siteRepo);
    const metrics: Record<string, MetricCell> = {};
    for (const v of perRun[i]!) metrics[v.key] = { value: v.value, text: v.text, ciText: v.ciText, best: false };
    return {
      id: m.id,
      name: m.name,
      href: paths.run(experiment.name, m.id),
      createdAt: m.createdAt,
      dateText: formatDate(m.createdAt),
      status: m.status,
      statusReason: m.statusReason ?? '',
      commit: m.code.commit ? { short: shortSha(m.code.commit), full: m.code.commit, url: commitUrl(repo, m.code.commit) } : null,
      badges: sourceBadges(run),
      deployBadges: deployBadges.get(m.id) ?? [],
      config: configSummary(run.config),
      traces: m.counts.traces,
      metrics,
    };
  });
  for (const column of columns) {
    const best = bestIndices(
      rows.map((r) => r.metrics[column.key]?.value ?? null),
      column.direction,
    );
    for (const i of best) rows[i]!.metrics[column.key]!.best = true;
  }
  return {
    name: experiment.name,
    description: experiment.definition.description ?? '',
    columns,
    runs: rows.reverse(),
    trends: trendViews(experiment, perRun),
    deployments: environmentViews(experiment, siteRepo),
    runsCsv: downloads.has(experimentDataPaths(experiment.name).runsCsv) ? experimentDataPaths(experiment.name).runsCsv : null,
  };
}
