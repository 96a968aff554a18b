import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Experiment } from '../../schemas/experiment.ts';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { listExperiments, listRunIds, readExperiment } from '../store/store.ts';
import { readRunManifest, readRunMetrics } from '../store/run-reader.ts';
import { RUN_FILES, runDir } from '../store/layout.ts';
import { parseYamlMapping } from '../store/yaml.ts';

export interface SiteRun {
  manifest: RunManifest;
  /** Null while a run is still `running` (metrics.json is written when it finishes). */
  metrics: RunMetrics | null;
  /** `config.yaml` exactly as stored. */
  configText: string;
  /** The parsed config, or null when the stored file is not a YAML mapping. */
  config: Record<string, unknown> | null;
  dir: string;
}

export interface SiteExperiment {
  name: string;
  definition: Experiment;
  /** Oldest first. */
  runs: SiteRun[];
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
 * an experiment with no declared metrics, and each is reported in `warnings`.
 */
export async function loadSite(dataDir: string): Promise<SiteSource> {
  const warnings: string[] = [];
  const experiments: SiteExperiment[] = [];
  for (const name of await listExperiments(dataDir)) {
    let definition: Experiment;
    try {
      definition = await readExperiment(dataDir, name);
    } catch (error) {
      warnings.push((error as Error).message);
      definition = { name, metrics: [], annotations: { labels: {}, metrics: {} } };
    }
    const runs: SiteRun[] = [];
    for (const id of await listRunIds(dataDir, name)) {
      const run = await loadRun(runDir(dataDir, name, id), warnings);
      if (run) runs.push(run);
    }
    experiments.push({ name, definition, runs });
  }
  return { dataDir, experiments, warnings };
}

async function loadRun(dir: string, warnings: string[]): Promise<SiteRun | null> {
  let manifest: RunManifest;
  try {
    manifest = await readRunManifest(dir);
  } catch (error) {
    warnings.push(`skipped run ${dir}: ${(error as Error).message}`);
    return null;
  }
  let metrics: RunMetrics | null = null;
  if (existsSync(join(dir, RUN_FILES.metrics))) {
    try {
      metrics = await readRunMetrics(dir);
    } catch (error) {
      warnings.push((error as Error).message);
    }
  }
  let configText = '';
  let config: Record<string, unknown> | null = null;
  const configFile = join(dir, RUN_FILES.config);
  if (existsSync(configFile)) {
    configText = await readFile(configFile, 'utf8');
    try {
      config = parseYamlMapping(configText, configFile);
    } catch (error) {
      warnings.push((error as Error).message);
    }
  }
  return { manifest, metrics, configText, config, dir };
}
