import { pearson, type Correlation } from './correlation.ts';

/** How alike several judges' mistakes are, measured against the human value on the same traces. */
export interface JudgeErrorCorrelation {
  /** Pearson r (Fisher interval) of judge a's error against judge b's, error = judge − human. */
  pairs: Array<{ a: string; b: string; correlation: Correlation }>;
  /** Mean of the pairwise r over the pairs where r is defined; null when none is. */
  meanR: number | null;
  /**
   * k / (1 + (k − 1)·r̄): how many independent judges the k judges are worth when their errors
   * correlate on average r̄ (the design-effect formula, with judges as the cluster). Clamped to
   * [1, k]: negatively correlated errors are not counted as more than k judges.
   */
  effectiveJudges: number | null;
}

/**
 * `scores[judge][i]` and `human[i]` describe the same trace i; traces a judge or the people did
 * not score must already be dropped, so every array has the same length.
 */
export function judgeErrorCorrelation(
  scores: ReadonlyMap<string, ReadonlyArray<number>>,
  human: ReadonlyArray<number>,
): JudgeErrorCorrelation {
  const names = [...scores.keys()].sort();
  const errors = new Map(names.map((name) => [name, scores.get(name)!.map((score, i) => score - human[i]!)]));
  const pairs: JudgeErrorCorrelation['pairs'] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      pairs.push({ a: names[i]!, b: names[j]!, correlation: pearson(errors.get(names[i]!)!, errors.get(names[j]!)!) });
    }
  }
  const defined = pairs.map((p) => p.correlation.r).filter((r): r is number => r !== null);
  const meanR = defined.length === 0 ? null : defined.reduce((s, r) => s + r, 0) / defined.length;
  const k = names.length;
  const effectiveJudges = meanR === null ? null : Math.min(k, Math.max(1, k / (1 + (k - 1) * meanR)));
  return { pairs, meanR, effectiveJudges };
}
