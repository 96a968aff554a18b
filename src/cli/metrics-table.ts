import type { RunMetrics } from '../../schemas/metrics.ts';
import { countNoun } from '../text/count-noun.ts';
import { formatNumber, formatTable } from '../text/format-table.ts';
import { formatPercent } from '../text/format-percent.ts';
import { groupDigits } from '../text/group-digits.ts';

interface Row {
  name: string;
  kind: string;
  n: string;
  value: string;
  ci: string;
  detail: string;
}

/** The metrics of one run as a table: every score, then latency, tokens and cost. Pass rates and the error rate are in percent. */
export function formatMetricsTable(metrics: RunMetrics): string {
  const rows: Row[] = [];
  for (const [name, summary] of Object.entries(metrics.scores)) {
    if (summary.kind === 'label') {
      const counts = Object.entries(summary.counts)
        .sort((a, b) => b[1] - a[1])
        .map(([label, n]) => `${label}: ${n}`)
        .join(', ');
      rows.push({ name, kind: 'label', n: String(summary.count), value: '', ci: '', detail: counts });
    } else {
      const format = summary.kind === 'boolean' ? formatPercent : (value: number | null) => formatNumber(value);
      rows.push({
        name,
        kind: summary.kind,
        n: String(summary.count),
        value: format(summary.mean),
        ci: summary.ci ? `[${format(summary.ci[0])}, ${format(summary.ci[1])}]` : '—',
        detail: `${summary.ciMethod}${summary.errors ? ` · ${summary.errors} errors` : ''}`,
      });
      if (summary.trials) {
        const t = summary.trials;
        rows.push({
          name: `  pass@${t.k}`,
          kind: 'trials',
          n: String(t.examples),
          value: formatPercent(t.passAtK),
          ci: '',
          detail: `any of ${t.k} trials passes (Chen et al. 2021)`,
        });
        rows.push({
          name: `  pass^${t.k}`,
          kind: 'trials',
          n: String(t.examples),
          value: formatPercent(t.passHatK),
          ci: '',
          detail: `all ${t.k} trials pass`,
        });
      }
    }
  }
  const latency = metrics.latencyMs;
  rows.push({
    name: 'latency (ms)',
    kind: 'timing',
    n: String(latency.count),
    value: formatNumber(latency.mean),
    ci: '',
    detail: `p50 ${formatNumber(latency.p50)} · p95 ${formatNumber(latency.p95)}`,
  });
  rows.push({
    name: 'tokens',
    kind: metrics.tokens.simulated ? 'simulated' : 'usage',
    n: String(metrics.tokens.perTrace.count),
    // The column is the mean per trace, as compare prints it; the run's total goes beside it.
    value: formatNumber(metrics.tokens.perTrace.mean),
    ci: '',
    detail: `total ${formatNumber(metrics.tokens.total)}: in ${formatNumber(metrics.tokens.input)} · out ${formatNumber(metrics.tokens.output)}`,
  });
  rows.push({
    name: 'cost ($)',
    kind: 'usage',
    n: String(metrics.cost.perTrace.count),
    value: formatNumber(metrics.cost.perTrace.mean, 4),
    ci: '',
    detail: metrics.cost.perTrace.count > 0 ? `total ${formatNumber(metrics.cost.total, 4)}` : '',
  });
  rows.push({
    name: 'errors',
    kind: 'rate',
    n: String(metrics.traces.count),
    value: formatPercent(metrics.traces.errorRate),
    ci: '',
    detail: `${groupDigits(metrics.traces.errors)} of ${countNoun(metrics.traces.count, 'trace')}`,
  });
  return formatTable(rows, [
    { header: 'metric', value: (r) => r.name, maxWidth: 32 },
    { header: 'kind', value: (r) => r.kind },
    { header: 'n', value: (r) => r.n, align: 'right' },
    { header: 'mean', value: (r) => r.value, align: 'right' },
    { header: '95% CI', value: (r) => r.ci },
    { header: '', value: (r) => r.detail, maxWidth: 60 },
  ]);
}
