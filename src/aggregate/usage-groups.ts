import type { UsageGroup } from '../../schemas/metrics.ts';
import { addToTotals, emptyTotals, type SpanMeasures } from './span-measures.ts';

/** Sums span usage into named groups (span type, model or tool). */
export class UsageGroups {
  readonly #groups = new Map<string, UsageGroup>();

  add(key: string, usage: SpanMeasures): void {
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { ...emptyTotals(), durationMs: 0 };
      this.#groups.set(key, group);
    }
    addToTotals(group, usage);
    group.durationMs += usage.durationMs;
  }

  /** The groups with keys in sorted order, so metrics.json is byte-stable. */
  toRecord(): Record<string, UsageGroup> {
    const out: Record<string, UsageGroup> = {};
    for (const key of [...this.#groups.keys()].sort()) out[key] = { ...(this.#groups.get(key) as UsageGroup) };
    return out;
  }
}
