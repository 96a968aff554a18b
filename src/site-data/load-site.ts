import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Deployment, DeploymentCheck } from '../../schemas/deployment.ts';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { listExperiments, listRunIds, readExperiment } from '../store/store.ts';
import { RUN_FILES, runDir } from '../store/layout.ts';
import { listDeployments } from '../deploy/deployment-record.ts';
import { offlineEligibilityOf } from '../deploy/deployment-view.ts';
import { RunHandle } from '../store/handles.ts';
import { loadQueues, type QueueFile } from '../annotations/load-queues.ts';
import { loadSiteAnnotations, type SiteAnnotations } from './site-annotations.ts';

export interface SiteRun {
  manifest: RunManifest;
  /** Null while a run is still `running` (metrics.json is written when it finishes). */
  metrics: RunMetrics | null;
  /** `config.yaml` exactly as stored. */
  configText: string;
  /** The parsed config, or null when the stored file is not a YAML mapping. */
  config: Record<string, unknown> | null;
  dir: string;
  /** The deploy checks that need no GitHub API (run state, CI source, SHA256SUMS). */
  eligibility: { eligible: boolean; checks: DeploymentCheck[] };
}

export interface SiteExperiment {
  name: string;
  definition: Experiment;
  /** Oldest first. */
  runs: SiteRun[];
  /** The valid annotations of these runs (bad files and entries are left out, with a warning). */
  annotations: SiteAnnotations;
  /** Every deployment attempt recorded in `deployments/`, oldest first. */
  deployments: Deployment[];
  /** Review queues (`queues/*.yaml`) that could be read; bad files are left out with a warning. */
  queues: QueueFile[];
}

export interface SiteSource {
  dataDir: string;
  experiments: SiteExperiment[];
  /** Files that were skipped or read partially, each naming the file. */
  warnings: string[];
}

/**
 * Reads everything the pages need from a data folder through the store. A broken file costs
 * only itself: a run with an unreadable run.json is skipped, a bad experiment.yaml falls back to
 * an experiment with no declared metrics, a bad annotation or deployment file is left out, and
 * each is reported in `warnings`.
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
      warnings.push((error as Error).message);
      definition = { name, metrics: [], annotations: { labels: {}, metrics: {} } };
      definitionRead = false;
    }
    const runs: SiteRun[] = [];
    for (const id of await listRunIds(dataDir, name)) {
      const run = await loadRun(dataDir, runDir(dataDir, name, id), warnings);
      if (run) runs.push(run);
    }
    const runIds = runs.map((r) => r.manifest.id);
    const annotations = await loadSiteAnnotations(dataDir, name, runIds, definitionRead ? definition.annotations : null, (w) => warnings.push(w));
    const deployments = await listDeployments(dataDir, name, (error) => warnings.push(`deployment record skipped: ${(error as Error).message}`));
    const queues = await loadQueues(dataDir, name, (error) => warnings.push(`review queue skipped: ${error.message}`));
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
    warnings.push(`skipped run ${dir}: ${(error as Error).message}`);
    return null;
  }
  const { manifest } = run;
  let metrics: RunMetrics | null = null;
  if (existsSync(join(dir, RUN_FILES.metrics))) {
    try {
      metrics = await run.metrics();
    } catch (error) {
      warnings.push((error as Error).message);
    }
  }
  let configText = '';
  let config: Record<string, unknown> | null = null;
  if (existsSync(join(dir, RUN_FILES.config))) {
    configText = await run.configText();
    try {
      config = await run.configMapping();
    } catch (error) {
      warnings.push((error as Error).message);
    }
  }
  const { eligible, checks } = await offlineEligibilityOf(run);
  return { manifest, metrics, configText, config, dir, eligibility: { eligible, checks } };
}
