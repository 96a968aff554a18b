import type { UsageGroup } from '../../schemas/metrics.ts';
import type { SpanMeasures } from './span-measures.ts';

/** Sums span usage into named groups (span type, model or tool). */
export class UsageGroups {
  readonly #groups = new Map<string, UsageGroup>();

  add(key: string, usage: SpanMeasures): void {
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedTokens: 0, cost: 0, durationMs: 0 };
      this.#groups.set(key, group);
    }
    group.calls++;
    if (usage.failed) group.errors++;
    group.inputTokens += usage.inputTokens;
    group.outputTokens += usage.outputTokens;
    group.totalTokens += usage.totalTokens;
    group.cachedTokens += usage.cachedTokens;
    group.cost += usage.cost;
    group.durationMs += usage.durationMs;
  }

  /** The groups with keys in sorted order, so metrics.json is byte-stable. */
  toRecord(): Record<string, UsageGroup> {
    const out: Record<string, UsageGroup> = {};
    for (const key of [...this.#groups.keys()].sort()) out[key] = { ...(this.#groups.get(key) as UsageGroup) };
    return out;
  }
}
