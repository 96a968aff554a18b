/// <reference lib="webworker" />
import { compareRuns } from '../../../src/compare/compare-runs.ts';
import { compareInputFromRows } from '../../../src/site-data/rows-to-traces.ts';
import type { CompareJob, CompareResult } from './compare-job.ts';

/**
 * Runs the compare engine off the main thread: the paired bootstrap over 4 × 10,000 traces
 * takes about a second, and the traces table stays usable meanwhile.
 */
self.onmessage = (event: MessageEvent<CompareJob>) => {
  let result: CompareResult;
  try {
    result = { ok: true, comparison: compareRuns(compareInputFromRows(event.data.runs)) };
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(result);
};
