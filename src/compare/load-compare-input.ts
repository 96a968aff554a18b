import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation } from '../../schemas/annotation.ts';
import type { Trace } from '../../schemas/trace.ts';
import { applyPlan } from './apply-plan.ts';
import type { RecordedPlan } from '../plan/plan-context.ts';
import { readRecordedPlan } from '../plan/read-recorded-plan.ts';
import { loadAnnotations } from '../annotations/load-annotations.ts';
import type { FileFormatError } from '../errors/index.ts';
import { RUN_FILES } from '../store/layout.ts';
import { storeAt } from '../store/open-store.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import type { Problem } from '../errors/problem.ts';
import { compareRecordsFromTraces } from './compare-record.ts';
import type { CompareInput, RunToCompare } from './compare-runs.ts';

export interface LoadCompareOptions {
  /** Called for each annotation entry or file that could not be used (it is left out). */
  onAnnotationProblem?: (problem: Problem) => void;
  /**
   * Given, an invalid trace line or a repeated trace id (the first is kept, as `validate` and
   * the metrics keep it) is reported here and left out; without it, it throws.
   */
  onTraceSkipped?: (error: FileFormatError) => void;
}

/** The engine's input, and each run's traces (in the order of its records) for what else a caller shows. */
interface LoadedComparison extends CompareInput {
  traces: Trace[][];
}

/**
 * Reads what compareRuns needs from the store: each run's manifest, config and records (made
 * from its traces), the experiment of the first run (the baseline), and the annotations of
 * every experiment the runs belong to. Run ids may be unique prefixes or suffixes, as
 * everywhere in the CLI.
 */
export async function loadCompareInput(
  dataDir: string,
  runIds: readonly string[],
  options: LoadCompareOptions = {},
): Promise<LoadedComparison> {
  const store = storeAt(dataDir);
  const found = await Promise.all(runIds.map((id) => store.run(id)));
  const experimentName = found[0]?.experiment;
  if (experimentName === undefined) throw new Error('loadCompareInput needs at least one run id');
  const { definition: experiment } = await store.experiment(experimentName);
  const runs: RunToCompare[] = [];
  const plans: Array<RecordedPlan | null> = [];
  const allTraces: Trace[][] = [];
  for (const run of found) {
    const { dir, manifest } = run;
    plans.push(await readRecordedPlan(dir, manifest));
    const traces: Trace[] = [];
    for await (const trace of run.traces({ uniqueIds: true, ...(options.onTraceSkipped ? { onError: options.onTraceSkipped } : {}) }))
      traces.push(trace);
    // The config as stored, any mapping: a comparison diffs it, it does not judge it (RunHandle.config does).
    const configFile = join(dir, RUN_FILES.config);
    const config = parseYamlMapping(await readFile(configFile, 'utf8'), configFile);
    runs.push({ manifest, records: compareRecordsFromTraces(traces, experiment.cluster), config });
    allTraces.push(traces);
  }
  const annotations: Annotation[] = [];
  for (const name of [...new Set(runs.map((r) => r.manifest.experiment))]) {
    const entries = await loadAnnotations(dataDir, name, { onProblem: options.onAnnotationProblem ?? (() => {}) });
    for (const { run, trace, name: annotation, value, author, at, note } of entries) {
      annotations.push(
        note === undefined
          ? { run, trace, name: annotation, value, author, at }
          : { run, trace, name: annotation, value, author, at, note },
      );
    }
  }
  // The plan a run recorded amends experiment.yaml's margins, cluster key and alpha (src/plan/);
  // a cluster key of its own needs the records read again under that key.
  const planned = applyPlan({ runs, experiment, annotations }, plans, (i, clusterPath) =>
    compareRecordsFromTraces(allTraces[i]!, clusterPath),
  );
  return { ...planned, traces: allTraces };
}
