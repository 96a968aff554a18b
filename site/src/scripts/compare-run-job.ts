import { compareRuns } from '#lib/compare/compare-runs.ts';
import { comparePerTrace } from '#lib/compare/per-trace.ts';
import { compareInputFromRows } from '#site/view/compare-records.ts';
import type { CompareJob, CompareResult } from './compare-job-message.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

/** Runs a compare job with the compare engine: in the worker, or on the page where workers are unavailable. */
export function runCompareJob(job: CompareJob): CompareResult {
  try {
    const input = compareInputFromRows(job.runs, job.annotations);
    return job.want === 'rows'
      ? { ok: true, rows: comparePerTrace(input, { examples: 'all', diffs: false }) }
      : { ok: true, comparison: compareRuns(input) };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}
