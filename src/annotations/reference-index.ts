import { runDir } from '../store/layout.ts';
import { findTraceStorage } from '../store/trace-storage.ts';
import { streamTraces } from '../store/run-reader.ts';
import { listRunIds } from '../store/store.ts';
import { listExperiments } from '../store/experiments.ts';
import { countNoun } from '../text/count-noun.ts';

/**
 * Answers "does this run exist in this experiment, and does it hold this trace?" for many
 * annotations at once. Each run's traces are streamed once (only their ids are kept) and
 * cached, so checking 10,000 annotations of one run reads its traces a single time.
 */
export class ReferenceIndex {
  readonly #dataDir: string;
  readonly #runs = new Map<string, Promise<Set<string>>>();
  readonly #traces = new Map<string, Promise<Set<string> | null>>();

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  /** Why an entry's run or trace cannot be found, or null when both exist. */
  async problem(experiment: string, runId: string, traceId: string): Promise<{ field: 'run' | 'trace'; message: string } | null> {
    const runs = await this.#runIds(experiment);
    if (!runs.has(runId)) return { field: 'run', message: await this.#unknownRun(experiment, runId, runs) };
    const traces = await this.#traceIds(experiment, runId);
    if (traces === null) return { field: 'run', message: `run ${runId} has no traces yet` };
    if (!traces.has(traceId)) {
      return {
        field: 'trace',
        message: `no trace ${JSON.stringify(traceId)} in run ${runId} (it has ${countNoun(traces.size, 'trace')}; copy the id from the site)`,
      };
    }
    return null;
  }

  #runIds(experiment: string): Promise<Set<string>> {
    let ids = this.#runs.get(experiment);
    if (!ids) {
      ids = listRunIds(this.#dataDir, experiment).then((list) => new Set(list));
      this.#runs.set(experiment, ids);
    }
    return ids;
  }

  #traceIds(experiment: string, runId: string): Promise<Set<string> | null> {
    const key = JSON.stringify([experiment, runId]);
    let ids = this.#traces.get(key);
    if (!ids) {
      ids = this.#readTraceIds(runDir(this.#dataDir, experiment, runId));
      this.#traces.set(key, ids);
    }
    return ids;
  }

  async #readTraceIds(dir: string): Promise<Set<string> | null> {
    if ((await findTraceStorage(dir)).storage.kind === 'none') return null;
    const ids = new Set<string>();
    // bad trace lines are `labbook validate`'s to report; here they simply hold no id
    for await (const trace of streamTraces(dir, { onError: () => {} })) ids.add(trace.id);
    return ids;
  }

  async #unknownRun(experiment: string, runId: string, runs: Set<string>): Promise<string> {
    const similar = [...runs].filter((id) => id.startsWith(runId) || runId.startsWith(id) || id.endsWith(runId));
    if (similar.length > 0)
      return `no run ${runId} in experiment ${experiment}; did you mean ${similar.slice(0, 3).join(', ')}? (write the full run id)`;
    for (const other of await listExperiments(this.#dataDir)) {
      if (other !== experiment && (await this.#runIds(other)).has(runId)) {
        return `run ${runId} belongs to experiment ${other}: put this entry in ${other}/annotations/`;
      }
    }
    return `no run ${runId} in experiment ${experiment} ("labbook ls ${experiment}" lists its runs)`;
  }
}
