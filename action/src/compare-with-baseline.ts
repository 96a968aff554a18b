import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { experimentSchema, type Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { compareRuns, type RunToCompare } from '../../src/compare/compare-runs.ts';
import type { Comparison } from '../../src/compare/comparison.ts';
import { applyPlan } from '../../src/plan/apply-plan.ts';
import { readRecordedPlan } from '../../src/plan/read-recorded-plan.ts';
import { FileFormatError } from '../../src/errors/index.ts';
import { RUN_FILES } from '../../src/store/layout.ts';
import { readAllTraces } from '../../src/store/run-reader.ts';
import { parseYamlMapping } from '../../src/store/yaml.ts';

export interface RunOnDisk {
  dir: string;
  manifest: RunManifest;
}

/**
 * Compares a run with its baseline on the examples both ran, with the compare engine's paired
 * statistics. Directions and the primary metric come from the `experiment.yaml` beside the
 * baseline (the data branch's), else beside the run.
 */
export async function compareWithBaseline(baseline: RunOnDisk, current: RunOnDisk): Promise<Comparison> {
  const experiment = await readExperimentBeside(baseline.dir, current.manifest.experiment) ?? (await readExperimentBeside(current.dir, current.manifest.experiment));
  // The plan the run recorded (plan.yaml at the evaluated commit) amends experiment.yaml.
  const plans = [await readRecordedPlan(baseline.dir, baseline.manifest), await readRecordedPlan(current.dir, current.manifest)];
  return compareRuns(
    applyPlan(
      {
        runs: [await loadRun(baseline), await loadRun(current)],
        experiment: experiment ?? experimentSchema.parse({ name: current.manifest.experiment }),
      },
      plans,
    ),
  );
}

async function loadRun(run: RunOnDisk): Promise<RunToCompare> {
  const configFile = join(run.dir, RUN_FILES.config);
  return {
    manifest: run.manifest,
    traces: await readAllTraces(run.dir),
    config: parseYamlMapping(await readFile(configFile, 'utf8'), configFile) as Record<string, unknown>,
  };
}

/** `<experiment>/experiment.yaml` for a run folder `<experiment>/runs/<id>`, or null when absent. */
async function readExperimentBeside(runDir: string, name: string): Promise<Experiment | null> {
  const file = join(dirname(dirname(runDir)), 'experiment.yaml');
  if (!existsSync(file)) return null;
  const raw = parseYamlMapping(await readFile(file, 'utf8'), file);
  const result = experimentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new FileFormatError({ file, field: issue.path.join('.') || undefined }, issue.message);
  }
  return result.data.name === name ? result.data : null;
}
