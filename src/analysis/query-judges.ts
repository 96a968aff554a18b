import { annotationsForRuns } from '../annotations/annotations-for-runs.ts';
import { JudgeScoreCollector, type JudgesAndPeople } from '../annotations/judges-and-people.ts';
import type { Problem } from '../errors/problem.ts';
import { UsageError } from '../errors/index.ts';
import { openStore } from '../store/open-store.ts';

/** `labbook query --by judge`: each run's automated judges against its human annotations. */
export interface JudgeQueryResult {
  by: 'judge';
  runs: Array<{ id: string; experiment: string; name: string; traces: number; judges: JudgesAndPeople }>;
}

/**
 * Streams each run's traces once, keeping only the automated scores of annotated traces
 * (JudgeScoreCollector), and sets them beside the run's annotations. Bad annotation files and
 * entries go to `onProblem` and are left out, as everywhere else.
 */
export async function queryJudges(
  dataDir: string,
  runIds: readonly string[],
  onProblem: (problem: Problem) => void,
): Promise<JudgeQueryResult> {
  const store = openStore(dataDir);
  const runs: JudgeQueryResult['runs'] = [];
  for (const requested of runIds) {
    const run = await store.run(requested);
    if (runs.some((r) => r.id === run.id)) throw new UsageError(`run ${run.id} is given more than once`);
    const annotations = await annotationsForRuns(dataDir, run.experiment, [run.id], { onProblem });
    const collector = new JudgeScoreCollector(annotations.entries);
    let traces = 0;
    for await (const trace of run.traces()) {
      traces++;
      collector.add(trace);
    }
    runs.push({ id: run.id, experiment: run.experiment, name: run.manifest.name, traces, judges: collector.finish(annotations.rules) });
  }
  return { by: 'judge', runs };
}
