import { scoreAsNumber } from '#schemas/score.ts';
import type { Trace } from '#schemas/trace.ts';
import { clusteredMean } from '#lib/stats/clustered-mean.ts';

/** What a run page says about how its numbers were sampled: trials per example and clusters. */
export interface RunEvidence {
  examples: number;
  /** Mean traces per example (its trials); 1 for a run of single trials. */
  trialsPerExample: number;
  cluster: {
    key: string;
    clusters: number;
    /** Of the primary metric's mean, over per-example means (null below two clusters or without the metric). */
    designEffect: number | null;
    metric: string | null;
  } | null;
}

/**
 * Collects, trace by trace, each example's number of trials, its cluster (read at `clusterKey`
 * from its first trace, as compare reads it) and its mean of the primary metric, so that the
 * run page can show trials per example and the design effect of the run's primary mean without
 * holding the traces.
 */
export class RunEvidenceAccumulator {
  readonly #examples = new Map<string, { traces: number; cluster: string; sum: number; count: number }>();
  readonly #path: string[] | null;
  /** Per trace, in the order added: its trial number and its value at the cluster key (JSON). */
  readonly trials: (number | null)[] = [];
  readonly clusterValues: (string | null)[] = [];
  constructor(
    readonly clusterKey: string | null,
    readonly metric: string | null,
  ) {
    this.#path = clusterKey ? clusterKey.split('.') : null;
  }

  add(trace: Trace): void {
    this.trials.push(trace.trial ?? null);
    const own = this.#path ? valueAt(trace, this.#path) : undefined;
    this.clusterValues.push(own === undefined || own === null ? null : JSON.stringify(own));
    let entry = this.#examples.get(trace.exampleId);
    if (!entry) {
      const value = this.#path ? valueAt(trace, this.#path) : undefined;
      entry = {
        traces: 0,
        cluster: value === undefined || value === null ? `\u0000${trace.exampleId}` : JSON.stringify(value),
        sum: 0,
        count: 0,
      };
      this.#examples.set(trace.exampleId, entry);
    }
    entry.traces++;
    const score = this.metric === null ? undefined : trace.scores.find((s) => s.name === this.metric && s.error === undefined);
    const v = score ? scoreAsNumber(score.value) : null;
    if (v !== null) {
      entry.sum += v;
      entry.count++;
    }
  }

  finish(): RunEvidence {
    const entries = [...this.#examples.values()];
    const traces = entries.reduce((s, e) => s + e.traces, 0);
    let cluster: RunEvidence['cluster'] = null;
    if (this.clusterKey) {
      const names = new Map<string, number>();
      const scored = entries.filter((e) => e.count > 0);
      const ids = Int32Array.from(scored, (e) => {
        let id = names.get(e.cluster);
        if (id === undefined) names.set(e.cluster, (id = names.size));
        return id;
      });
      const result =
        scored.length > 0
          ? clusteredMean(
              Float64Array.from(scored, (e) => e.sum / e.count),
              ids,
            )
          : null;
      const all = new Set(entries.map((e) => e.cluster)).size;
      cluster = {
        key: this.clusterKey,
        clusters: all,
        designEffect: result && Number.isFinite(result.designEffect) ? result.designEffect : null,
        metric: scored.length > 0 ? this.metric : null,
      };
    }
    return { examples: entries.length, trialsPerExample: entries.length === 0 ? 1 : traces / entries.length, cluster };
  }
}

function valueAt(trace: Trace, path: readonly string[]): unknown {
  let node: unknown = trace;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
