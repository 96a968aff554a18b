import { readFileSync } from 'node:fs';

/** Values computed by scipy (scripts/reference-stats/make_stats_reference.py), for tests. */
export interface ScipyReference {
  scipy: string;
  descriptive: Array<{
    values: number[];
    mean: number;
    std: number | null;
    tInterval95: [number, number] | null;
    percentiles: Record<string, number>;
  }>;
  tQuantile: Array<{ p: number; df: number; value: number }>;
  tSf: Array<{ t: number; df: number; value: number; scipy: number }>;
  normal: { quantile: Array<{ p: number; value: number }>; sf: Array<{ z: number; value: number }> };
  betainc: Array<{ x: number; a: number; b: number; value: number }>;
  wilson: Array<{ successes: number; n: number; low: number; high: number }>;
  logGamma: Array<{ x: number; value: number }>;
}

export function loadScipyReference(): ScipyReference {
  return JSON.parse(readFileSync(new URL('./scipy-reference.json', import.meta.url), 'utf8')) as ScipyReference;
}

/** |actual − expected| ≤ rel · |expected| + abs. */
export function closeTo(actual: number, expected: number, rel: number, abs = 0): boolean {
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
}
