import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation } from '../../schemas/annotation.ts';
import type { Trace } from '../../schemas/trace.ts';
import { applyPlan } from '../plan/apply-plan.ts';
import type { RecordedPlan } from '../plan/plan-context.ts';
import { readRecordedPlan } from '../plan/read-recorded-plan.ts';
import { loadAnnotations } from '../annotations/load-annotations.ts';
import type { FileFormatError } from '../errors/index.ts';
import { RUN_FILES } from '../store/layout.ts';
import { streamTraces } from '../store/run-reader.ts';
import { findRun, readExperiment } from '../store/store.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import type { Problem } from '../validate/problem.ts';
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

/**
 * Reads what compareRuns needs from the store: each run's manifest, traces and config, the
 * experiment of the first run (the baseline), and the annotations of every experiment the
 * runs belong to. Run ids may be unique prefixes or suffixes, as everywhere in the CLI.
 */
export async function loadCompareInput(dataDir: string, runIds: readonly string[], options: LoadCompareOptions = {}): Promise<CompareInput> {
  const runs: RunToCompare[] = [];
  const plans: Array<RecordedPlan | null> = [];
  for (const id of runIds) {
    const { dir, manifest } = await findRun(dataDir, id);
    plans.push(await readRecordedPlan(dir, manifest));
    const traces: Trace[] = [];
    for await (const trace of streamTraces(dir, { uniqueIds: true, ...(options.onTraceSkipped ? { onError: options.onTraceSkipped } : {}) })) traces.push(trace);
    const configFile = join(dir, RUN_FILES.config);
    const config = parseYamlMapping(await readFile(configFile, 'utf8'), configFile);
    runs.push({ manifest, traces, config });
  }
  const experimentName = runs[0]?.manifest.experiment;
  if (experimentName === undefined) throw new Error('loadCompareInput needs at least one run id');
  const experiment = await readExperiment(dataDir, experimentName);
  const annotations: Annotation[] = [];
  for (const name of [...new Set(runs.map((r) => r.manifest.experiment))]) {
    const entries = await loadAnnotations(dataDir, name, { onProblem: options.onAnnotationProblem ?? (() => {}) });
    for (const { run, trace, name: annotation, value, author, at, note } of entries) {
      annotations.push(note === undefined ? { run, trace, name: annotation, value, author, at } : { run, trace, name: annotation, value, author, at, note });
    }
  }
  // The plan a run recorded amends experiment.yaml's margins, cluster key and alpha (src/plan/).
  return applyPlan({ runs, experiment, annotations }, plans);
}
