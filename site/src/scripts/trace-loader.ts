import type { Trace } from '#schemas/trace.ts';
import { runDataPaths } from '#site/view/run-meta.ts';
import { chunkOfRow, type TraceIndex } from '#site/view/run-rows.ts';
import { fetchJson } from './fetch-json.ts';
import { fetchGzipJson } from './fetch-gzip-json.ts';
import { DetailOmittedError } from './detail-omitted.ts';
import type { DetailOmitted } from '#site/view/run-rows.ts';

/** A run's trace index (ids in file order and chunk starts). */
export function loadTraceIndex(experiment: string, run: string): Promise<TraceIndex> {
  return fetchJson<TraceIndex>(runDataPaths(experiment, run).index);
}

/** The full trace at a row of a run (row = position in the run's traces), from its chunk. */
export async function loadTraceAt(experiment: string, run: string, row: number): Promise<Trace> {
  const index = await loadTraceIndex(experiment, run);
  const omitted = (index as TraceIndex & { omitted?: DetailOmitted }).omitted;
  if (omitted) throw new DetailOmittedError(`The full traces of this run are not on the site: ${omitted.reason}.`, omitted.url);
  const id = index.ids[row];
  if (id === undefined) throw new Error(`run ${run} has no trace at row ${row}`);
  const chunk = chunkOfRow(index.chunkStarts, row);
  const traces = await fetchGzipJson<Trace[]>(runDataPaths(experiment, run).chunk(chunk));
  const trace = traces[row - index.chunkStarts[chunk]!];
  if (!trace || trace.id !== id) throw new Error(`trace ${id} is not where index.json says (chunk ${chunk})`);
  return trace;
}

/** The row of a trace id, or -1. */
export async function rowOfTrace(experiment: string, run: string, id: string): Promise<number> {
  return (await loadTraceIndex(experiment, run)).ids.indexOf(id);
}
