import type { Annotation } from '#schemas/annotation.ts';
import type { Comparison } from '#lib/compare/comparison.ts';
import type { PerTraceRow } from '#lib/compare/per-trace.ts';
import type { RunRows } from '#site/view/run-rows.ts';
import type { CompareJob, CompareResult } from './compare-job-message.ts';

/** Rows without the preview texts, which the engine never reads: a smaller message. */
function lean(rows: RunRows): RunRows {
  return { ...rows, input: [], output: [], error: [], tags: [] };
}

/** Runs a job in a worker; falls back to this thread where workers are unavailable. */
async function inBackground(job: CompareJob): Promise<CompareResult> {
  const lightJob: CompareJob = { ...job, runs: job.runs.map((r) => ({ meta: r.meta, rows: lean(r.rows) })) };
  try {
    const worker = new Worker(new URL('./compare-worker.ts', import.meta.url), { type: 'module' });
    return await new Promise<CompareResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<CompareResult>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || 'the compare worker failed'));
      worker.postMessage(lightJob);
    }).finally(() => worker.terminate());
  } catch {
    const { runCompareJob } = await import('./compare-run-job.ts');
    return runCompareJob(lightJob);
  }
}

/** The comparison of runs (the first is the baseline), computed off the main thread. */
export async function compareInBackground(runs: CompareJob['runs'], annotations: Annotation[]): Promise<Comparison> {
  const result = await inBackground({ runs, annotations, want: 'comparison' });
  if (!result.ok) throw new Error(result.error);
  if (!('comparison' in result)) throw new Error('the compare worker sent no comparison');
  return result.comparison;
}

/** One row per example of any run (outputs as hashes: the rows hold no full outputs), off the main thread. */
export async function perTraceInBackground(runs: CompareJob['runs'], annotations: Annotation[]): Promise<PerTraceRow[]> {
  const result = await inBackground({ runs, annotations, want: 'rows' });
  if (!result.ok) throw new Error(result.error);
  if (!('rows' in result)) throw new Error('the compare worker sent no rows');
  return result.rows;
}
