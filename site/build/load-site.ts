import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnnotationRules, Experiment } from '#schemas/experiment.ts';
import type { RunMetrics } from '#schemas/metrics.ts';
import { listRunIds } from '#lib/store/store.ts';
import { listExperiments, readExperiment } from '#lib/store/experiments.ts';
import { RUN_FILES, runDir } from '#lib/store/layout.ts';
import { listDeployments } from '#lib/deploy/deployment-record.ts';
import { offlineEligibilityOf } from '#lib/deploy/deployment-view.ts';
import { RunHandle } from '#lib/store/handles.ts';
import { loadQueues } from '#lib/annotations/load-queues.ts';
import { annotationsForRuns } from '#lib/annotations/annotations-for-runs.ts';
import { loadAnnotations } from '#lib/annotations/load-annotations.ts';
import { summarizeAnnotations } from '#lib/annotations/summarize-annotations.ts';
import { formatProblem, type Problem } from '#lib/errors/problem.ts';
import { NO_RULES } from '#site/view/site-annotations.ts';
import { offeredQueues } from './site-queues.ts';
import type { SiteAnnotations, SiteExperiment, SiteRun, SiteSource } from '#site/view/site-source.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

/**
 * Reads everything the pages need from a data folder through the store. A broken file costs
 * only itself: a run with an unreadable run.json is skipped, a bad experiment.yaml falls back to
 * an experiment with no declared metrics, a bad annotation, deployment or queue file is left out,
 * and each is reported in `warnings`. A review queue that lists traces is judged against them only
 * after the data pass (skipQueuesWithMissingTraces in site-queues.ts).
 */
export async function loadSite(dataDir: string): Promise<SiteSource> {
  const warnings: string[] = [];
  const experiments: SiteExperiment[] = [];
  for (const name of await listExperiments(dataDir)) {
    let definition: Experiment;
    let definitionRead = true;
    try {
      definition = await readExperiment(dataDir, name);
    } catch (error) {
      warnings.push(errorMessage(error));
      definition = { name, metrics: [], annotations: { labels: {}, metrics: {} } };
      definitionRead = false;
    }
    const runs: SiteRun[] = [];
    for (const id of await listRunIds(dataDir, name)) {
      const run = await loadRun(dataDir, runDir(dataDir, name, id), warnings);
      if (run) runs.push(run);
    }
    const runIds = runs.map((r) => r.manifest.id);
    const annotations = await loadSiteAnnotations(dataDir, name, runIds, definitionRead ? definition.annotations : null, (w) =>
      warnings.push(w),
    );
    const deployments = await listDeployments(dataDir, name, (error) => warnings.push(`deployment record skipped: ${errorMessage(error)}`));
    const queues = offeredQueues(
      await loadQueues(dataDir, name, (error) => warnings.push(`review queue skipped: ${error.message}`)),
      definitionRead ? definition.annotations : undefined,
      runs,
      (w) => warnings.push(w),
    );
    experiments.push({ name, definition, runs, annotations, deployments, queues });
  }
  return { dataDir, experiments, warnings };
}

async function loadRun(dataDir: string, dir: string, warnings: string[]): Promise<SiteRun | null> {
  // One handle per run: its files are read once, and the deploy checks below reuse it.
  let run: RunHandle;
  try {
    run = await RunHandle.open(dir);
  } catch (error) {
    warnings.push(`skipped run ${dir}: ${errorMessage(error)}`);
    return null;
  }
  const { manifest } = run;
  let metrics: RunMetrics | null = null;
  if (existsSync(join(dir, RUN_FILES.metrics))) {
    try {
      metrics = await run.metrics();
    } catch (error) {
      warnings.push(errorMessage(error));
    }
  }
  let configText = '';
  let config: Record<string, unknown> | null = null;
  if (existsSync(join(dir, RUN_FILES.config))) {
    configText = await run.configText();
    try {
      config = await run.configMapping();
    } catch (error) {
      warnings.push(errorMessage(error));
    }
  }
  const { eligible, checks } = await offlineEligibilityOf(run);
  return { manifest, metrics, configText, config, dir, eligibility: { eligible, checks } };
}

/**
 * Reads an experiment's `annotations/*.yaml` for the site. A bad file or entry becomes a warning
 * naming its file and line and is left out; the good ones always come through. With `rules`
 * null (experiment.yaml could not be read) entries are read against no rules rather than lost.
 */
async function loadSiteAnnotations(
  dataDir: string,
  experiment: string,
  runIds: readonly string[],
  rules: AnnotationRules | null,
  warn: (message: string) => void,
): Promise<SiteAnnotations> {
  const onProblem = (problem: Problem) =>
    warn(`annotations: ${formatProblem(problem)}${problem.severity === 'error' ? ' (left out)' : ''}`);
  if (rules) {
    const found = await annotationsForRuns(dataDir, experiment, runIds, { onProblem });
    return {
      rules: found.rules,
      entries: found.entries,
      summary: { runs: found.runs, agreement: found.agreement, disagreements: found.disagreements },
    };
  }
  const wanted = new Set(runIds);
  const entries = (await loadAnnotations(dataDir, experiment, { rules: NO_RULES, onProblem })).filter((e) => wanted.has(e.run));
  return { rules: NO_RULES, entries, summary: summarizeAnnotations(entries, { runIds, rules: NO_RULES }) };
}
