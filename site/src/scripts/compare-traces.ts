import type { Trace } from '#schemas/trace.ts';
import { canonicalJson } from '#lib/json/canonical-json.ts';
import { wordDiff } from '#lib/compare/word-diff.ts';
import { buildCompareTable, type CompareFilter, filterCompareTable, type JudgeMetric, metricValue } from '#site/view/compare-table.ts';
import { formatCost, formatMs, formatNumber } from '#site/view/format.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import type { RunMeta, RunsIndexEntry } from '#site/view/run-meta.ts';
import type { RunRows } from '#site/view/run-rows.ts';
import { paths } from '#site/view/site-paths.ts';
import { diffText, LETTERS } from './compare-metrics.ts';
import { basePath, h, showError } from './dom.ts';
import { loadTraceAt } from './trace-loader.ts';
import { cellText, columnLabel } from './traces-table.ts';
import { valueView } from './value-view.ts';
import { type VirtualColumn, VirtualTable } from './virtual-table.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

export interface LoadedRun {
  entry: RunsIndexEntry;
  meta: RunMeta;
  rows: RunRows;
  annotations: RunAnnotationsFile;
}

function formatJudged(metric: JudgeMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric.source === 'latency') return formatMs(value);
  if (metric.source === 'cost') return formatCost(value);
  if (metric.kind === 'boolean') return value === 1 ? 'pass' : 'fail';
  return formatNumber(value);
}

/**
 * The winning run's cells: bold with a star for the eye (CSS), and the word for a screen reader
 * and for the table's keyboard read-out, since the star alone says nothing.
 */
function markWinner(td: HTMLTableCellElement): void {
  td.classList.add('winner');
  td.append(h('span', { class: 'visually-hidden' }, ' (winner)'));
}

/** A string output as is; anything else as indented JSON with sorted keys (as the engine diffs). */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  return JSON.stringify(JSON.parse(canonicalJson(output)), null, 2);
}

/** The annotations of one trace of a run, each with its author: the compare detail's list. */
function annotationList(run: LoadedRun, traceId: string): HTMLElement | null {
  const entries = run.annotations.entries.filter((e) => e.trace === traceId);
  if (entries.length === 0) return null;
  return h(
    'ul',
    { class: 'ann-list', 'aria-label': 'annotations' },
    ...entries.map((e) =>
      h(
        'li',
        null,
        h('span', { class: 'ann-icon', 'aria-hidden': 'true' }),
        h('strong', null, e.name),
        ` ${typeof e.value === 'number' ? formatNumber(e.value) : e.value} `,
        h('span', { class: 'muted' }, `by ${e.author}`),
      ),
    ),
  );
}

/**
 * The traces comparison: one row per example, each run's output and scores side by side, the
 * winner on the judged metric starred, filters (changed, regressions, X better than Y) and a
 * detail view with full outputs and a word diff against the baseline.
 */
export function compareTraces(host: HTMLElement, runs: LoadedRun[], metrics: JudgeMetric[], primary: JudgeMetric | null): void {
  const params = new URLSearchParams(location.search);
  const rows = runs.map((r) => r.rows);
  let metric = metrics.find((m) => `${m.source}:${m.key}` === params.get('metric')) ?? primary;
  let table = buildCompareTable(rows, metric);
  const letterIndex = (letter: string | null, fallback: number) => {
    const i = LETTERS.indexOf(letter ?? '');
    return i >= 0 && i < runs.length ? i : fallback;
  };
  let filter: CompareFilter = { kind: 'all' };
  const kind = params.get('filter');
  const disputes = rows.some((r) => r.disagreements.length > 0);
  const judgeDisputes = rows.some((r) => (r.judgeDisagreements?.length ?? 0) > 0);
  if (
    kind === 'changed' ||
    kind === 'regressions' ||
    (kind === 'disagreements' && disputes) ||
    (kind === 'judge-disagreements' && judgeDisputes)
  )
    filter = { kind };
  if (kind === 'better') filter = { kind, a: letterIndex(params.get('a'), 1), b: letterIndex(params.get('b'), 0) };

  const search = h('input', {
    class: 'input',
    type: 'search',
    id: 'cmp-search',
    placeholder: 'Search examples, inputs, outputs…',
    'aria-label': 'Search traces',
    value: params.get('q') ?? '',
  });
  const filterSelect = h(
    'select',
    { class: 'select', id: 'cmp-filter', 'aria-label': 'Show' },
    h('option', { value: 'all' }, 'all examples'),
    h('option', { value: 'changed' }, 'changed outputs'),
    h('option', { value: 'regressions' }, 'regressions vs A'),
    h('option', { value: 'better' }, 'X better than Y'),
    disputes ? h('option', { value: 'disagreements' }, 'annotators disagree') : null,
    judgeDisputes ? h('option', { value: 'judge-disagreements' }, 'judge and people disagree') : null,
  );
  filterSelect.value = filter.kind;
  const runOption = (i: number) => h('option', { value: LETTERS[i]! }, `${LETTERS[i]} · ${runs[i]!.entry.name}`);
  const aSelect = h('select', { class: 'select', id: 'cmp-a', 'aria-label': 'Better run' }, ...runs.map((_, i) => runOption(i)));
  const bSelect = h('select', { class: 'select', id: 'cmp-b', 'aria-label': 'Than run' }, ...runs.map((_, i) => runOption(i)));
  aSelect.value = LETTERS[filter.kind === 'better' ? filter.a : 1]!;
  bSelect.value = LETTERS[filter.kind === 'better' ? filter.b : 0]!;
  const pair = h('span', { class: 'toolbar' }, aSelect, h('span', null, 'better than'), bSelect);
  const metricSelect = h(
    'select',
    { class: 'select', id: 'cmp-metric', 'aria-label': 'Judged on' },
    ...metrics.map((m) => h('option', { value: `${m.source}:${m.key}` }, `judged on ${m.label}${m === primary ? ' (primary)' : ''}`)),
  );
  if (metric) metricSelect.value = `${metric.source}:${metric.key}`;
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const tableHost = h('div');
  const detail = h('div', { class: 'cmp-detail', id: 'cmp-detail' });
  host.replaceChildren(
    h('div', { class: 'toolbar' }, search, filterSelect, pair, metrics.length > 0 ? metricSelect : null, count),
    tableHost,
    detail,
  );

  const firstRow = (k: number) => {
    for (let r = 0; r < runs.length; r++) if (table.rowOf[r]![k]! >= 0) return r;
    return 0;
  };
  const scoreSummary = (r: number, row: number) =>
    runs[r]!.rows.scores.map((c) => `${columnLabel(c)} ${cellText(c, c.values[row])}`).join(' · ');

  // Output columns share what the screen leaves after the fixed ones, so every run's output and
  // score stay in view at 1,366 px for up to four runs; narrower screens scroll, with the example
  // column kept in place.
  const SCORE_WIDTH = 96;
  const outputWidth = () =>
    Math.max(140, Math.min(320, Math.floor(((tableHost.clientWidth || 1330) - 2 - 120 - 200 - runs.length * SCORE_WIDTH) / runs.length)));
  const columns = (): VirtualColumn[] => [
    {
      key: 'example',
      label: 'example',
      width: 120,
      className: 'sticky-col',
      render: (k, td) => ((td.textContent = table.examples[k]!), (td.title = table.examples[k]!)),
    },
    {
      key: 'input',
      label: 'input',
      width: 200,
      render: (k, td) => {
        const r = firstRow(k);
        td.textContent = runs[r]!.rows.input[table.rowOf[r]![k]!] ?? '';
      },
    },
    ...runs.flatMap((run, r): VirtualColumn[] => [
      {
        key: `out-${r}`,
        label: `${run.entry.name} output`,
        title: `${LETTERS[r]} · ${run.entry.name} (${run.entry.id})`,
        width: outputWidth(),
        render: (k, td) => {
          const row = table.rowOf[r]![k]!;
          if (row < 0) {
            td.textContent = '(no trace)';
            td.className = 'faint';
            return;
          }
          const rowsOf = run.rows;
          const text = rowsOf.output[row] || rowsOf.error[row] || '';
          td.textContent = text;
          td.title = text;
          if (rowsOf.status[row] === 1) td.classList.add('status-error');
          if (table.winner[k] === r) markWinner(td);
        },
      },
      {
        key: `score-${r}`,
        // The run is named by the output column beside it; its full name is in the title.
        label: metric ? metric.label : 'scores',
        title: `${LETTERS[r]} · ${run.entry.name}: ${metric ? metric.label : 'scores'}`,
        width: SCORE_WIDTH,
        numeric: Boolean(metric),
        render: (k, td) => {
          const row = table.rowOf[r]![k]!;
          if (row < 0) return;
          td.textContent = metric ? formatJudged(metric, metricValue(run.rows, metric, row)) : scoreSummary(r, row);
          td.title = scoreSummary(r, row);
          if (table.winner[k] === r) markWinner(td);
        },
      },
    ]),
  ];

  const vt = new VirtualTable(tableHost, {
    label: 'Aligned traces',
    columns: columns(),
    onOpen: (k) => void showDetail(k),
  });

  const update = () => {
    const shown = filterCompareTable(table, rows, metric, filter, search.value);
    vt.setRows(shown);
    count.textContent = `${shown.length} of ${table.examples.length} examples`;
    pair.hidden = filter.kind !== 'better';
    const url = new URL(location.href);
    url.searchParams.set('filter', filter.kind);
    if (filter.kind === 'better') {
      url.searchParams.set('a', LETTERS[filter.a]!);
      url.searchParams.set('b', LETTERS[filter.b]!);
    } else {
      url.searchParams.delete('a');
      url.searchParams.delete('b');
    }
    if (search.value) url.searchParams.set('q', search.value);
    else url.searchParams.delete('q');
    if (metric) url.searchParams.set('metric', `${metric.source}:${metric.key}`);
    history.replaceState(history.state, '', url);
  };

  const readFilter = () => {
    const value = filterSelect.value;
    filter =
      value === 'better'
        ? { kind: 'better', a: letterIndex(aSelect.value, 1), b: letterIndex(bSelect.value, 0) }
        : { kind: value as 'all' | 'changed' | 'regressions' | 'disagreements' | 'judge-disagreements' };
    update();
  };
  filterSelect.addEventListener('change', readFilter);
  aSelect.addEventListener('change', readFilter);
  bSelect.addEventListener('change', readFilter);
  metricSelect.addEventListener('change', () => {
    metric = metrics.find((m) => `${m.source}:${m.key}` === metricSelect.value) ?? null;
    table = buildCompareTable(rows, metric);
    vt.setColumns(columns());
    update();
  });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
  update();

  async function showDetail(k: number): Promise<void> {
    detail.replaceChildren(h('p', { class: 'loading' }, 'Loading traces…'));
    try {
      const traces = await Promise.all(
        runs.map((run, r) =>
          table.rowOf[r]![k]! >= 0 ? loadTraceAt(run.entry.experiment, run.entry.id, table.rowOf[r]![k]!) : Promise.resolve(null),
        ),
      );
      renderDetail(k, traces);
    } catch (error) {
      showError(detail, errorMessage(error));
    }
  }

  function renderDetail(k: number, traces: (Trace | null)[]): void {
    const base = traces[0];
    const baseText = base ? outputText(base.output) : null;
    const panels = traces.map((trace, r) => {
      const run = runs[r]!;
      if (!trace)
        return h(
          'section',
          { class: 'panel', 'aria-label': `${LETTERS[r]} output` },
          h('header', null, `${LETTERS[r]} · ${run.entry.name}`),
          h('div', { class: 'body muted' }, 'No trace for this example.'),
        );
      const text = outputText(trace.output);
      const diff = r > 0 && baseText !== null && text !== baseText ? wordDiff(baseText, text) : null;
      return h(
        'section',
        { class: 'panel', 'aria-label': `${LETTERS[r]} output` },
        h(
          'header',
          null,
          `${LETTERS[r]} · ${run.entry.name}`,
          table.winner[k] === r ? h('span', { class: 'badge better' }, 'winner') : null,
          h('span', { class: `badge ${trace.status}` }, trace.status),
          h('a', { href: `${basePath()}${paths.trace(run.entry.experiment, run.entry.id, trace.id)}` }, 'open trace'),
        ),
        h(
          'div',
          { class: 'body' },
          diff
            ? h(
                'div',
                { class: 'value-block' },
                h('h3', null, 'Word diff vs A'),
                h('pre', { class: 'text-value', tabindex: 0, 'aria-label': `word diff of ${LETTERS[r]} against A` }, diffText(diff)),
              )
            : null,
          h(
            'div',
            { class: 'value-block' },
            h('h3', null, 'Output'),
            trace.output === undefined ? h('span', { class: 'muted' }, '(none)') : valueView(trace.output, `${LETTERS[r]} output`),
          ),
          trace.error ? h('pre', { class: 'error-box' }, trace.error) : null,
          h(
            'ul',
            null,
            ...trace.scores.map((s) =>
              h(
                'li',
                null,
                h('strong', null, s.name),
                ' ',
                s.value === null ? '—' : String(s.value),
                s.error ? h('span', { class: 'status-error' }, ` ${s.error}`) : null,
              ),
            ),
          ),
          annotationList(run, trace.id),
        ),
      );
    });
    const input = traces.find((t) => t)?.input;
    detail.replaceChildren(
      h('h2', null, `Example ${table.examples[k]}`),
      h('div', { class: 'value-block' }, h('h3', null, 'Input'), valueView(input, 'input')),
      h('div', { class: 'cmp-outputs' }, ...panels),
    );
    detail.scrollIntoView({ block: 'nearest' });
  }
}
