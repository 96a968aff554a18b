import { verdictText, type Comparison, type MetricComparison } from '#lib/compare/comparison.ts';
import { comparisonView } from '#lib/compare/comparison-view.ts';
import { nameRunsIn } from '#lib/compare/render-comparison-compact.ts';
import { noSharedExampleText } from '#lib/compare/no-shared-example.ts';
import { formatConfigPath } from '#lib/compare/config-diff.ts';
import type { WordDiffOp } from '#lib/compare/word-diff.ts';
import { directionText, metricLabel } from '#lib/compare/metric-words.ts';
import { formatCost, formatDelta, formatInterval, formatMs, formatNumber, formatP, formatScore } from '#site/view/format.ts';
import { h } from './dom.ts';

export const LETTERS = ['A', 'B', 'C', 'D'];

/** A difference in the metric's own unit: `+564 ms`, `−$0.0021`, `+12.5 pp`. */
function formatMetricDelta(metric: MetricComparison, value: number | null, kind: 'number' | 'boolean'): string {
  const inUnit = metric.source === 'latency' || metric.source === 'cost';
  return formatDelta(value, kind, inUnit ? (size) => formatValue(metric, size) : undefined);
}

function formatValue(metric: MetricComparison, value: number | null): string {
  if (metric.source === 'latency') return formatMs(value);
  if (metric.source === 'cost') return formatCost(value);
  return formatScore(value, metric.kind === 'boolean' ? 'boolean' : 'number');
}

function verdictBadge(verdict: string): HTMLElement {
  const cls = verdict === 'better' ? 'better' : verdict === 'worse' ? 'worse' : verdict === 'different' ? 'warn' : '';
  return h('span', { class: `badge verdict ${cls}` }, verdict);
}

/** A run's column header: its name, its config's name when that differs, and the baseline tag. */
function runHeader(run: Comparison['runs'][number], index: number): HTMLElement {
  return h(
    'th',
    { scope: 'col', class: 'num run-col', title: `${LETTERS[index]}: ${run.id}` },
    // The letter the run cards and charts use: runs of one config often share a name.
    h('span', { class: 'run-name' }, `${LETTERS[index]} · ${run.name}`),
    run.config && run.config !== run.name ? h('span', { class: 'sub' }, run.config) : null,
    index === 0 ? h('span', { class: 'sub' }, 'baseline') : null,
  );
}

/**
 * Aggregated metrics side by side: each run's mean with its CI, then Δ vs the baseline with CI,
 * p and verdict. Figures, intervals and verdicts are stacked in each cell rather than laid side
 * by side, so a 4-run comparison fits a 1,366 px screen without cutting any verdict.
 */
export function metricsTable(c: Comparison): HTMLElement {
  // Runs with no example in common compare nothing: say that, not a table of "not compared".
  const nothingShared = noSharedExampleText(c.alignment);
  if (nothingShared !== null)
    return h(
      'p',
      { class: 'notice warnings', id: 'compare-no-shared-example', role: 'status' },
      `Not compared: ${nameRunsIn(nothingShared, c)}.`,
    );
  const others = c.runs.slice(1);
  const baselineName = c.runs[0]?.name ?? 'baseline';
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col', class: 'sticky-col' }, 'metric'),
    h('th', { scope: 'col', class: 'num' }, 'n'),
    ...c.runs.map((r, i) => runHeader(r, i)),
    ...others.map((r, i) =>
      h(
        'th',
        { scope: 'col', class: 'delta-col', title: `${r.id} − ${c.baseline}` },
        'Δ ',
        h('span', { class: 'run-name' }, `${LETTERS[i + 1]} · ${r.name}`),
        h('span', { class: 'sub' }, `− A · ${baselineName}`),
      ),
    ),
  );
  const body = c.metrics.map((m) => {
    const kind = m.kind === 'boolean' ? 'boolean' : 'number';
    const label = h(
      'th',
      { scope: 'row', class: 'sticky-col', title: m.warnings.map((w) => nameRunsIn(w, c)).join('\n') || undefined },
      metricLabel(m),
      m.source === 'annotation'
        ? h(
            'span',
            { class: 'badge ann', title: 'judged by people: annotations, several judgements of a trace reduced to one' },
            h('span', { class: 'ann-icon', 'aria-hidden': 'true' }),
            'annotation',
          )
        : null,
      m.primary ? h('span', { class: 'badge', title: 'primary metric' }, 'primary') : null,
      m.direction ? h('span', { class: 'direction' }, directionText(m.direction)) : null,
    );
    const means = m.runs.map((r) =>
      m.kind === 'label'
        ? h(
            'td',
            { class: 'label-counts', title: JSON.stringify(r.counts ?? {}) },
            Object.entries(r.counts ?? {})
              .sort((a, b) => b[1] - a[1])
              .slice(0, 3)
              .map(([k, v]) => `${k} ${v}`)
              .join(' · ') || '—',
          )
        : h(
            'td',
            { class: 'num' },
            formatValue(m, r.mean),
            r.ci
              ? h(
                  'span',
                  { class: 'ci stacked' },
                  m.source === 'cost' || m.source === 'latency'
                    ? `[${formatValue(m, r.ci[0])}, ${formatValue(m, r.ci[1])}]`
                    : formatInterval(r.ci, kind),
                )
              : null,
          ),
    );
    const deltas = m.deltas.map((d) =>
      h(
        'td',
        { class: 'delta-cell', title: `${d.test ?? 'no test'}; p = ${formatP(d.pValue)}, Holm-adjusted ${formatP(d.pAdjusted)}` },
        h(
          'span',
          { class: 'delta-value' },
          m.kind === 'label' ? (d.distance !== undefined ? `TV ${formatNumber(d.distance)}` : '') : formatMetricDelta(m, d.delta, kind),
        ),
        d.ci && m.kind !== 'label'
          ? h('span', { class: 'ci stacked' }, `[${formatMetricDelta(m, d.ci[0], kind)}, ${formatMetricDelta(m, d.ci[1], kind)}]`)
          : null,
        h(
          'span',
          { class: 'delta-verdict' },
          h('span', { class: 'faint' }, `p ${formatP(d.pAdjusted)} `),
          verdictBadge(verdictText(m, d.verdict)),
        ),
      ),
    );
    return h('tr', { 'data-metric': m.name }, label, h('td', { class: 'num' }, String(m.n)), ...means, ...deltas);
  });
  const view = comparisonView(c);
  const warnings = view.warnings.map((w) => nameRunsIn(w, c));
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'data metrics-compare', id: 'compare-metrics' }, h('thead', null, head), h('tbody', null, ...body)),
    ),
    h('p', { class: 'faint' }, view.footnote),
    warnings.length > 0
      ? h(
          'details',
          { class: 'notice warnings', id: 'compare-warnings' },
          h('summary', null, `${warnings.length} ${warnings.length === 1 ? 'note' : 'notes'} on this comparison (power, missing values)`),
          h('ul', null, ...warnings.map((w) => h('li', null, w))),
        )
      : null,
  );
}

export function alignmentSummary(c: Comparison): HTMLElement {
  return h('ul', { class: 'muted' }, ...comparisonView(c).alignment.map((line) => h('li', null, line)));
}

function diffText(ops: readonly WordDiffOp[]): HTMLElement {
  return h(
    'span',
    { class: 'text' },
    ...ops.map((op) =>
      op.op === 'equal' ? op.text : h(op.op === 'insert' ? 'ins' : 'del', { class: op.op === 'insert' ? 'diff-add' : 'diff-del' }, op.text),
    ),
  );
}

function short(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** Each run's config against the baseline's: added, removed and changed values, prompts word-diffed. */
export function configDiffView(c: Comparison): HTMLElement {
  return h(
    'div',
    { class: 'grid-2' },
    ...c.configDiff.map((d) => {
      const letter = LETTERS[c.runs.findIndex((r) => r.id === d.run)] ?? '?';
      if (d.changes.length === 0) return h('p', { class: 'muted' }, `${letter}: same config as A.`);
      return h(
        'div',
        null,
        h('h3', null, `${letter} vs A`),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            // Keys break only at their dots, values only between words: on a phone it scrolls.
            { class: 'data scores-table whole-words config-diff' },
            h(
              'thead',
              null,
              h('tr', null, h('th', { scope: 'col' }, 'key'), h('th', { scope: 'col' }, 'A'), h('th', { scope: 'col' }, letter)),
            ),
            h(
              'tbody',
              null,
              ...d.changes.map((ch) =>
                h(
                  'tr',
                  null,
                  h(
                    'td',
                    { class: 'mono' },
                    ...formatConfigPath(ch.path)
                      .split(/(?<=\.)/)
                      .flatMap((part, i) => (i === 0 ? [part] : [h('wbr', null), part])),
                  ),
                  ch.textDiff
                    ? h('td', { colspan: 2 }, diffText(ch.textDiff))
                    : h('td', null, ch.kind === 'added' ? h('span', { class: 'faint' }, '(absent)') : short(ch.before)),
                  ch.textDiff ? null : h('td', null, ch.kind === 'removed' ? h('span', { class: 'faint' }, '(removed)') : short(ch.after)),
                ),
              ),
            ),
          ),
        ),
      );
    }),
  );
}

export { diffText };
