import type { Comparison } from '../../../src/compare/comparison.ts';
import type { RunMeta } from '../../../src/site-data/run-meta.ts';
import type { RunRows } from '../../../src/site-data/run-rows.ts';

export interface CompareJob {
  runs: { meta: RunMeta; rows: RunRows }[];
}

export type CompareResult = { ok: true; comparison: Comparison } | { ok: false; error: string };

/** Rows without the preview texts, which the engine never reads: a smaller message. */
function lean(rows: RunRows): RunRows {
  return { ...rows, input: [], output: [], error: [], tags: [] };
}

/** Compares runs in a worker; falls back to this thread where workers are unavailable. */
export async function compareInBackground(runs: CompareJob['runs']): Promise<Comparison> {
  const job: CompareJob = { runs: runs.map((r) => ({ meta: r.meta, rows: lean(r.rows) })) };
  let result: CompareResult;
  try {
    const worker = new Worker(new URL('./compare-worker.ts', import.meta.url), { type: 'module' });
    result = await new Promise<CompareResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<CompareResult>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || 'the compare worker failed'));
      worker.postMessage(job);
    }).finally(() => worker.terminate());
  } catch {
    const [{ compareRuns }, { compareInputFromRows }] = await Promise.all([import('../../../src/compare/compare-runs.ts'), import('../../../src/site-data/rows-to-traces.ts')]);
    result = { ok: true, comparison: compareRuns(compareInputFromRows(job.runs)) };
  }
  if (!result.ok) throw new Error(result.error);
  return result.comparison;
}
