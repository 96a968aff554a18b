import { readFileSync } from 'node:fs';

/** scipy's answers on fixed cases (scripts/reference-stats/make_reference.py), for tests. */
export interface CompareReference {
  scipy: string;
  wilcoxon: Array<{ d: number[]; statistic: number; pValue: number; method: 'exact' | 'permutation' | 'normal' }>;
  mcnemar: Array<{ b: number; c: number; method: 'exact' | 'chi2-cc'; statistic: number; pValue: number }>;
  fisher: Array<{ table: [[number, number], [number, number]]; pValue: number }>;
  chi2Contingency: Array<{ table: number[][]; statistic: number; pValue: number; df: number }>;
  chi2Sf: Array<{ x: number; df: number; value: number }>;
  holm: Array<{ p: number[]; adjusted: number[] }>;
  bootstrap: Array<{ d: number[]; ci: [number, number]; standardError: number; resamples: number }>;
  power: Array<{ n: number; sd: number; mde: number; power: number }>;
  endToEnd: {
    matched: number;
    runs: Record<'a' | 'b', { correct: boolean[]; quality: number[]; tone: string[]; latency: number[] }>;
    expected: {
      correct: { meanA: number; meanB: number; delta: number; b: number; c: number; pValue: number; method: string };
      quality: { meanA: number; meanB: number; delta: number; statistic: number; pValue: number; method: string };
      tone: { labels: string[]; table: number[][]; statistic: number; pValue: number };
      latencyMs: { meanA: number; meanB: number; delta: number; statistic: number; pValue: number; method: string };
    };
    holmOrder: string[];
    pAdjusted: number[];
  };
}

export function loadCompareReference(): CompareReference {
  return JSON.parse(readFileSync(new URL('./reference.json', import.meta.url), 'utf8')) as CompareReference;
}
