import { pairsNeeded } from '../stats/power.ts';
import type { MetricDelta, NonInferiority } from './comparison.ts';

interface NonInferiorityInput {
  direction: 'higher' | 'lower';
  /** δ > 0, in the metric's units: how much worse than the baseline is still acceptable. */
  margin: number;
  delta: Pick<MetricDelta, 'delta' | 'ci' | 'verdict'>;
  /** Standard deviation of the per-example differences, already × √(design effect) with clusters. */
  sd: number | null;
  alpha: number;
  power: number;
}

/**
 * The non-inferiority gate for one delta: is the run no worse than the baseline by more than δ?
 * With the difference turned so that positive is better (d = Δ for `higher`, −Δ for `lower`)
 * and its interval [lo, hi]:
 *   - fail: the change is a significant regression (verdict `worse`), or hi < −δ (worse by
 *     more than the margin, with the interval's confidence);
 *   - pass: lo > −δ (the interval excludes a loss as large as the margin);
 *   - indeterminate: lo ≤ −δ ≤ hi, the sample cannot tell; `examplesNeeded` is the number of
 *     paired examples for which a true difference of 0 would pass with the given power, from
 *     the observed spread: the pairs a two-sided test at α needs to detect δ (stats/power.ts).
 * A boundary exactly at −δ counts as not excluded (indeterminate), the conservative side.
 */
export function nonInferiorityDecision(input: NonInferiorityInput): NonInferiority {
  const { margin, delta } = input;
  const sign = input.direction === 'lower' ? -1 : 1;
  if (delta.delta === null || delta.ci === null) {
    return { margin, decision: 'indeterminate', reason: 'no interval of the difference: nothing to decide on', examplesNeeded: null };
  }
  const lo = Math.min(sign * delta.ci[0], sign * delta.ci[1]);
  const hi = Math.max(sign * delta.ci[0], sign * delta.ci[1]);
  const interval = `[${fmt(lo)}, ${fmt(hi)}]`;
  if (delta.verdict === 'worse') {
    return { margin, decision: 'fail', reason: `a significant regression (Δ ${fmt(delta.delta)})`, examplesNeeded: null };
  }
  if (hi < -margin) {
    return {
      margin,
      decision: 'fail',
      reason: `worse by more than the margin: the interval of the change ${interval} lies below −${fmt(margin)}`,
      examplesNeeded: null,
    };
  }
  if (lo > -margin) {
    return {
      margin,
      decision: 'pass',
      reason: `no worse than the margin: the interval of the change ${interval} lies above −${fmt(margin)}`,
      examplesNeeded: null,
    };
  }
  const needed = input.sd === null ? null : pairsNeeded(input.sd, margin, input.alpha, input.power);
  return {
    margin,
    decision: 'indeterminate',
    reason: `the interval of the change ${interval} straddles −${fmt(margin)}: too few examples to tell${needed !== null ? `; about ${needed} would be needed` : ''}`,
    examplesNeeded: needed,
  };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}
