import { compareRuns, MAX_RUNS, MIN_RUNS, prepareComparison } from '../compare/compare-runs.ts';
import { loadCompareInput } from '../compare/load-compare-input.ts';
import { comparePerTrace } from '../compare/per-trace.ts';
import { LabbookError, UsageError } from '../errors/index.ts';
import { readExperiment } from '../store/experiments.ts';
import type { Problem } from '../errors/problem.ts';
import { comparisonCsvRows } from './comparison-csv.ts';
import { toCsv } from './csv.ts';
import { writeText, type TextTarget } from '../store/text-target.ts';

/**
 * Compares 2–4 runs of an experiment and writes the comparison CSV (see `comparisonCsvRows`) to
 * `to`, a file written atomically or a sink; returns the number of example rows. The first run
 * is the baseline; with `experiment` given, every run must belong to it.
 */
export async function exportComparisonCsv(
  dataDir: string,
  /** The experiment every run must belong to; by default the first run's. */
  experiment: string | undefined,
  runIds: readonly string[],
  to: TextTarget,
  options: { excel?: boolean; onAnnotationProblem?: (problem: Problem) => void; onSkipped?: (error: LabbookError) => void } = {},
): Promise<number> {
  if (runIds.length < MIN_RUNS || runIds.length > MAX_RUNS) {
    throw new UsageError(`--compare takes ${MIN_RUNS} to ${MAX_RUNS} comma-separated run ids, got ${runIds.length}`);
  }
  if (experiment !== undefined) await readExperiment(dataDir, experiment); // a clear error for an unknown experiment
  const { traces, ...input } = await loadCompareInput(dataDir, runIds, {
    onAnnotationProblem: options.onAnnotationProblem,
    onTraceSkipped: options.onSkipped,
  });
  // Runs of several experiments compare as `labbook compare` compares them (the baseline's
  // experiment gives the directions); only an --experiment the user named holds them to it.
  if (experiment !== undefined) {
    for (const run of input.runs) {
      if (run.manifest.experiment !== experiment) {
        throw new LabbookError(
          `run ${run.manifest.id} belongs to experiment "${run.manifest.experiment}", not "${experiment}" (the --experiment given); leave --experiment out to compare runs of several experiments`,
        );
      }
    }
  }
  const prepared = prepareComparison(input);
  const comparison = compareRuns(input, prepared);
  const rows = comparePerTrace(input, { examples: 'all', diffs: false }, prepared);
  // Keyed as the alignment keyed them, so rows find their example whichever key was used.
  const byInput = comparison.alignment.key !== 'exampleId';
  const examples = new Map<string, { input?: unknown; expected?: unknown }>();
  input.runs.forEach((run, r) => {
    run.records.forEach((record, i) => {
      const key = byInput ? record.inputKey : record.exampleId;
      const trace = traces[r]![i]!;
      if (!examples.has(key)) examples.set(key, { input: trace.input, expected: trace.expected });
    });
  });
  const text = toCsv(comparisonCsvRows({ comparison, rows, examples }), { excel: options.excel });
  await writeText(to, [text]);
  return rows.length;
}
