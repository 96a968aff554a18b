import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { toCell, type CsvCell } from './csv.ts';

/** What one row of an experiment's runs CSV is made from. */
export interface RunCsvInput {
  manifest: RunManifest;
  /** null for a run still `running` (or whose metrics.json cannot be read): its metric cells are empty. */
  metrics: RunMetrics | null;
  /** The config's `model` key, when it has one. */
  model?: string | null;
}

const FIXED = [
  'run_id',
  'name',
  'experiment',
  'status',
  'status_reason',
  'created_at',
  'finished_at',
  'source',
  'repository',
  'workflow',
  'workflow_run_url',
  'job',
  'actor',
  'commit',
  'branch',
  'dirty',
  'config_name',
  'config_path',
  'config_digest',
  'model',
  'dataset_path',
  'dataset_digest',
  'traces',
  'trace_errors',
  'error_rate',
  'spans',
] as const;

const TAIL = [
  'latency_ms_mean',
  'latency_ms_p50',
  'latency_ms_p95',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cached_tokens',
  'tokens_simulated',
  'cost_usd',
] as const;

/**
 * Rows (header first) of an experiment's runs: one row per run with its provenance and every
 * metric of `metrics.json`. A numeric or pass/fail score gives four columns: `<name>.mean`,
 * `<name>.ci_low`, `<name>.ci_high` (95%: Wilson for pass rates, t otherwise) and `<name>.n`;
 * a label score gives `<name>.n` and one count column per label, `<name>=<label>`. Columns
 * are the union over all runs, so a metric one run lacks leaves its cells empty.
 */
export function runsCsvRows(runs: readonly RunCsvInput[]): CsvCell[][] {
  const numeric = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const { metrics } of runs) {
    for (const [name, summary] of Object.entries(metrics?.scores ?? {})) {
      if (summary.kind === 'label') {
        const set = labels.get(name) ?? new Set<string>();
        for (const label of Object.keys(summary.counts)) set.add(label);
        labels.set(name, set);
      } else {
        numeric.add(name);
      }
    }
  }
  const numericNames = [...numeric].sort();
  const labelNames = [...labels.keys()].sort().map((name) => ({ name, values: [...labels.get(name)!].sort() }));

  const header: CsvCell[] = [...FIXED];
  for (const name of numericNames) header.push(`${name}.mean`, `${name}.ci_low`, `${name}.ci_high`, `${name}.n`);
  for (const { name, values } of labelNames) header.push(`${name}.n`, ...values.map((v) => `${name}=${v}`));
  header.push(...TAIL);

  const rows = runs.map(({ manifest, metrics, model }) => {
    const source = manifest.source;
    const ci = source.kind === 'ci' ? source : null;
    const row: CsvCell[] = [
      manifest.id,
      toCell(manifest.name),
      manifest.experiment,
      manifest.status,
      toCell(manifest.statusReason),
      manifest.createdAt,
      toCell(manifest.finishedAt),
      source.kind,
      toCell(ci?.repository),
      toCell(ci?.workflow),
      toCell(ci?.runUrl),
      toCell(ci?.job),
      toCell(ci?.actor),
      toCell(manifest.code.commit),
      toCell(manifest.code.branch),
      manifest.code.dirty,
      toCell(manifest.config.name),
      toCell(manifest.config.path),
      manifest.config.digest,
      toCell(model),
      toCell(manifest.dataset?.path),
      toCell(manifest.dataset?.digest),
      manifest.counts.traces,
      manifest.counts.errors,
      toCell(metrics?.traces.errorRate),
      manifest.counts.spans,
    ];
    for (const name of numericNames) {
      const s = metrics?.scores[name];
      if (s && s.kind !== 'label') row.push(toCell(s.mean), toCell(s.ci?.[0]), toCell(s.ci?.[1]), s.count);
      else row.push(null, null, null, null);
    }
    for (const { name, values } of labelNames) {
      const s = metrics?.scores[name];
      if (s && s.kind === 'label') row.push(s.count, ...values.map((v) => s.counts[v] ?? 0));
      else row.push(null, ...values.map(() => null));
    }
    if (metrics) {
      row.push(
        toCell(metrics.latencyMs.mean),
        toCell(metrics.latencyMs.p50),
        toCell(metrics.latencyMs.p95),
        metrics.tokens.input,
        metrics.tokens.output,
        metrics.tokens.total,
        metrics.tokens.cached,
        metrics.tokens.simulated,
        metrics.cost.total,
      );
    } else {
      row.push(...TAIL.map(() => null));
    }
    return row;
  });
  return [header, ...rows];
}
