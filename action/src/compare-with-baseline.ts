import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { experimentSchema, type Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { compareRecordsFromTraces } from '../../src/compare/compare-record.ts';
import {
  compareRuns,
  prepareComparison,
  type CompareInput,
  type PreparedComparison,
  type RunToCompare,
} from '../../src/compare/compare-runs.ts';
import type { Comparison } from '../../src/compare/comparison.ts';
import { applyPlan } from '../../src/compare/apply-plan.ts';
import { readRecordedPlan } from '../../src/plan/read-recorded-plan.ts';
import { FileFormatError } from '../../src/errors/index.ts';
import type { Trace } from '../../schemas/trace.ts';
import { RunHandle } from '../../src/store/handles.ts';
import type { Annotation } from '../../schemas/annotation.ts';
import { loadAnnotations } from '../../src/annotations/load-annotations.ts';
import { judgesPerRun, type RunJudges } from '../../src/compare/judges-per-run.ts';
import { parseYamlMapping } from '../../src/store/yaml.ts';

interface RunOnDisk {
  dir: string;
  manifest: RunManifest;
}

/** A comparison with what it was computed from, for what else shows it (the HTML report). */
export interface BaselineComparison {
  comparison: Comparison;
  input: CompareInput;
  prepared: PreparedComparison;
  /** Each run's traces, baseline first, in the order of its records. */
  traces: Trace[][];
  /** The people's annotations of the experiment on the data branch (a new run has none yet). */
  annotations: Annotation[];
  /** Each run's automated judges beside those annotations, baseline first. */
  judges: RunJudges[];
}

/**
 * Compares a run with its baseline on the examples both ran, with the compare engine's paired
 * statistics. Directions and the primary metric come from the `experiment.yaml` beside the
 * baseline (the data branch's), else beside the run.
 */
export async function compareWithBaseline(baseline: RunOnDisk, current: RunOnDisk): Promise<BaselineComparison> {
  const experiment =
    (await readExperimentBeside(baseline.dir, current.manifest.experiment)) ??
    (await readExperimentBeside(current.dir, current.manifest.experiment));
  const definition = experiment ?? experimentSchema.parse({ name: current.manifest.experiment });
  // The plan the run recorded (plan.yaml at the evaluated commit) amends experiment.yaml; a
  // cluster key of its own needs the records read again under that key.
  const plans = [await readRecordedPlan(baseline.dir, baseline.manifest), await readRecordedPlan(current.dir, current.manifest)];
  const traces = [await readTraces(baseline), await readTraces(current)];
  const runs: RunToCompare[] = [];
  for (const [i, run] of [baseline, current].entries()) {
    runs.push({
      manifest: run.manifest,
      records: compareRecordsFromTraces(traces[i]!, definition.cluster),
      config: await new RunHandle(run.dir, run.manifest).configMapping(),
    });
  }
  const input = applyPlan({ runs, experiment: definition }, plans, (i, clusterPath) => compareRecordsFromTraces(traces[i]!, clusterPath));
  const prepared = prepareComparison(input);
  // <data>/<experiment>/runs/<id>: the data branch's checkout is three levels up from the baseline.
  // A file the annotations check would refuse is left out here, as the site leaves it out.
  const dataDir = dirname(dirname(dirname(baseline.dir)));
  const annotations = await loadAnnotations(dataDir, current.manifest.experiment, { onProblem: () => {} }).catch(() => []);
  const judges = judgesPerRun([baseline.manifest.id, current.manifest.id], traces, annotations, definition.annotations);
  return { comparison: compareRuns(input, prepared), input, prepared, traces, annotations, judges };
}

async function readTraces(run: RunOnDisk): Promise<Trace[]> {
  const traces: Trace[] = [];
  for await (const trace of new RunHandle(run.dir, run.manifest).traces()) traces.push(trace);
  return traces;
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
