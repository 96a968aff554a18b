import type { ScoreSummary } from '../../schemas/metrics.ts';
import type { ScoreValue } from '../../schemas/score.ts';
import { GrowableFloat64Array } from '../stats/growable-array.ts';
import { moments } from '../stats/moments.ts';
import { tMeanInterval } from '../stats/mean-interval.ts';
import { percentileSorted, sortedCopy } from '../stats/percentile.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { passAtK, passHatK } from '../stats/pass-at-k.ts';

/**
 * Collects the values of one score name across traces. Numbers and booleans go into one typed
 * array (booleans as 1/0); labels into a count map. Which kind the summary takes is decided at
 * the end, by the values seen (see `summary`).
 */
export class ScoreAccumulator {
  readonly #numeric = new GrowableFloat64Array();
  #numbers = 0;
  #booleans = 0;
  #labels = 0;
  readonly #labelCounts = new Map<string, number>();
  #errors = 0;
  /** Boolean values of traces that are trials, per example: [trials, passes]. */
  readonly #trials = new Map<string, [number, number]>();

  /**
   * One trace's value. `failed` is true when the evaluator recorded an error. `example` is set
   * for a trace that is one of several trials of its example (pass@k and pass^k).
   */
  add(value: ScoreValue, failed: boolean, example?: string): void {
    if (example !== undefined && typeof value === 'boolean' && !failed) {
      const entry = this.#trials.get(example) ?? [0, 0];
      entry[0]++;
      if (value) entry[1]++;
      this.#trials.set(example, entry);
    }
    if (failed || value === null) {
      this.#errors++;
    } else if (typeof value === 'number') {
      // NaN and ±Infinity never reach a mean: they are counted as evaluator errors.
      if (Number.isFinite(value)) {
        this.#numeric.push(value);
        this.#numbers++;
      } else {
        this.#errors++;
      }
    } else if (typeof value === 'boolean') {
      this.#numeric.push(value ? 1 : 0);
      this.#booleans++;
    } else {
      this.#labels++;
      this.#labelCounts.set(value, (this.#labelCounts.get(value) ?? 0) + 1);
    }
  }

  /**
   * The kind follows the values: only booleans → `boolean` (Wilson interval on the pass
   * rate); any number → `number` (booleans count as 1/0; Student-t interval); labels win when
   * they outnumber numeric values. Values of the losing kind count as errors, since an
   * evaluator that returns both a label and a number for one name is misbehaving. A score
   * that only ever failed is reported as `number` with count 0.
   */
  summary(): ScoreSummary {
    const numericCount = this.#numbers + this.#booleans;
    if (this.#labels > numericCount) {
      const counts: Record<string, number> = {};
      for (const key of [...this.#labelCounts.keys()].sort()) counts[key] = this.#labelCounts.get(key) as number;
      return { kind: 'label', count: this.#labels, errors: this.#errors + numericCount, counts };
    }
    const kind = this.#numbers === 0 && this.#booleans > 0 ? 'boolean' : 'number';
    const values = this.#numeric.view();
    const sorted = sortedCopy(values);
    const { n, mean, std } = moments(sorted);
    let ci: [number, number] | null = null;
    if (kind === 'boolean') {
      ci = wilsonInterval(this.#numericSum(), n);
    } else if (mean !== null && std !== null) {
      ci = tMeanInterval(mean, std, n);
    }
    return {
      kind,
      count: n,
      errors: this.#errors + this.#labels,
      mean,
      std,
      ci,
      ciMethod: kind === 'boolean' ? 'wilson' : 't',
      min: n === 0 ? null : (sorted[0] as number),
      p50: percentileSorted(sorted, 0.5),
      p90: percentileSorted(sorted, 0.9),
      p95: percentileSorted(sorted, 0.95),
      max: n === 0 ? null : (sorted[n - 1] as number),
      ...(kind === 'boolean' ? this.#trialSummary() : {}),
    };
  }

  /**
   * With trials: pass@k and pass^k at k = the fewest trials any example had, so every example's
   * estimate is defined, averaged over examples (each example weighs the same).
   */
  #trialSummary(): { trials?: { examples: number; k: number; passAtK: number; passHatK: number } } {
    if (this.#trials.size === 0) return {};
    const entries = [...this.#trials.values()];
    const k = Math.min(...entries.map(([t]) => t));
    let at = 0;
    let hat = 0;
    for (const [t, c] of entries) {
      at += passAtK(t, c, k);
      hat += passHatK(t, c, k);
    }
    return { trials: { examples: entries.length, k, passAtK: at / entries.length, passHatK: hat / entries.length } };
  }

  #numericSum(): number {
    let sum = 0;
    for (const v of this.#numeric.view()) sum += v;
    return sum;
  }
}
