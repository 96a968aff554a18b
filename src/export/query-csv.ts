import type { QueryResult } from '../analysis/query-runs.ts';
import type { CsvCell } from './csv.ts';

/** `labbook query --format csv`: one row per run and group with every figure, header first. */
export function queryCsvRows(result: QueryResult): CsvCell[][] {
  const header = [
    'run',
    result.by,
    'value',
    'share',
    'calls',
    'errors',
    'input_tokens',
    'output_tokens',
    'total_tokens',
    'cached_tokens',
    'cost_usd',
    'latency_ms_sum',
    'latency_ms_mean',
    'latency_ms_p50',
    'latency_ms_p95',
    'latency_ms_max',
  ];
  return [
    header,
    ...result.rows.map((r) => [
      r.run,
      r.key,
      r.value,
      r.share,
      r.calls,
      r.errors,
      r.inputTokens,
      r.outputTokens,
      r.totalTokens,
      r.cachedTokens,
      r.cost,
      r.latencyMs.sum,
      r.latencyMs.mean,
      r.latencyMs.p50,
      r.latencyMs.p95,
      r.latencyMs.max,
    ]),
  ];
}
