/// <reference lib="webworker" />
import type { CompareJob } from './compare-job-message.ts';
import { runCompareJob } from './compare-run-job.ts';

/**
 * Runs the compare engine off the main thread: the paired bootstrap over 4 × 10,000 traces
 * takes about a second, and the traces table stays usable meanwhile.
 */
self.onmessage = (event: MessageEvent<CompareJob>) => {
  self.postMessage(runCompareJob(event.data));
};
