import { formatDate } from './format.ts';
import type { SiteExperiment, SiteSource } from './site-source.ts';
import { bestIndices, primaryMetricName, runMetricValues, scoreMetricKey } from './metric-values.ts';
import type { Direction } from './run-rows.ts';
import { paths } from './site-paths.ts';

interface RunRef {
  id: string;
  name: string;
  href: string;
  dateText: string;
  status: string;
}

interface TrendPoint {
  run: string;
  name: string;
  createdAt: string;
  value: number;
}

interface HomeExperiment {
  name: string;
  href: string;
  description: string;
  runCount: number;
  latest: RunRef | null;
  /** The run with the best primary metric so far, by its point estimate: `text` carries its interval and n, so a lead of a few traces reads as one. */
  best: { run: RunRef; metric: string; text: string } | null;
  trend: { metric: string; direction: Direction; points: TrendPoint[] } | null;
}

interface HomeView {
  experiments: HomeExperiment[];
  runCount: number;
}

function runRef(experiment: string, run: { manifest: { id: string; name: string; createdAt: string; status: string } }): RunRef {
  const m = run.manifest;
  return { id: m.id, name: m.name, href: paths.run(experiment, m.id), dateText: formatDate(m.createdAt), status: m.status };
}

/** The primary metric of each run of an experiment, oldest first, skipping runs without it. */
function primaryTrend(experiment: SiteExperiment): HomeExperiment['trend'] {
  const latestMetrics = [...experiment.runs].reverse().find((r) => r.metrics)?.metrics ?? null;
  const metric = primaryMetricName(experiment.definition, latestMetrics);
  if (!metric) return null;
  const key = scoreMetricKey(metric);
  const points: TrendPoint[] = [];
  let direction: Direction = 'higher';
  for (const run of experiment.runs) {
    const value = runMetricValues(run.metrics, experiment.definition).find((v) => v.key === key);
    if (value?.value === null || value?.value === undefined) continue;
    direction = value.direction ?? direction;
    points.push({ run: run.manifest.id, name: run.manifest.name, createdAt: run.manifest.createdAt, value: value.value });
  }
  return points.length > 0 ? { metric, direction, points } : null;
}

export function buildHomeView(site: SiteSource): HomeView {
  const experiments = site.experiments.map((experiment): HomeExperiment => {
    const latest = experiment.runs.at(-1);
    const trend = primaryTrend(experiment);
    let best: HomeExperiment['best'] = null;
    if (trend && trend.points.length > 0) {
      const winners = bestIndices(
        trend.points.map((p) => p.value),
        trend.direction,
      );
      const pick = winners.size > 0 ? Math.max(...winners) : trend.points.length - 1;
      const point = trend.points[pick]!;
      const run = experiment.runs.find((r) => r.manifest.id === point.run)!;
      const value = runMetricValues(run.metrics, experiment.definition).find((v) => v.key === scoreMetricKey(trend.metric));
      // No-break spaces: a phone wraps the card's line, but never between "n =" and its count.
      const detail = value ? [value.ciText, value.n === null ? '' : `n\u00a0=\u00a0${value.n}`].filter(Boolean).join(', ') : '';
      best = { run: runRef(experiment.name, run), metric: trend.metric, text: `${value?.text ?? ''}${detail ? ` (${detail})` : ''}` };
    }
    return {
      name: experiment.name,
      href: paths.experiment(experiment.name),
      description: experiment.definition.description ?? '',
      runCount: experiment.runs.length,
      latest: latest ? runRef(experiment.name, latest) : null,
      best,
      trend,
    };
  });
  return { experiments, runCount: experiments.reduce((n, e) => n + e.runCount, 0) };
}
