import type { ReportViewModel } from '#lib/export/report-view-model.ts';
import { h } from './dom.ts';

/**
 * The compare page's printable report: the layout of `labbook report` (templates/report.njk)
 * built with the DOM from the same view model (`buildReportViewModel`), so "PDF report" prints
 * the same sections, numbers and words. The charts are the ones the page drew (means and
 * deltas with their intervals), cloned; the report's own charts need vega-lite, which the
 * browser does not load. Hidden on screen, shown only by the print stylesheet.
 */
export function printReport(view: ReportViewModel, charts: readonly Element[]): HTMLElement {
  const section = (title: string, ...children: (Node | null)[]) => h('section', null, h('h2', null, title), ...children);
  const table = (cls: string, head: (string | Node)[], rows: HTMLElement[]) =>
    h('table', { class: cls }, h('thead', null, h('tr', null, ...head.map((c) => h('th', null, c)))), h('tbody', null, ...rows));
  return h(
    'article',
    { class: 'print-report', id: 'cmp-report' },
    h(
      'header',
      { class: 'cover' },
      h('p', { class: 'kicker' }, `Labbook comparison report · experiment ${view.experiment}`),
      h('h1', null, view.title),
      h('p', { class: 'meta' }, `Generated ${view.generatedAt} by Labbook ${view.toolVersion} · baseline: run A`),
    ),
    section(
      'Runs',
      table(
        'runs',
        ['Run', 'Provenance'],
        view.runs.map((run) =>
          h(
            'tr',
            null,
            h(
              'td',
              { class: 'run-name' },
              h('span', { class: `letter letter-${run.letter}` }, run.letter),
              ` ${run.name}`,
              run.baseline ? h('em', null, ' (baseline)') : null,
              h('div', { class: 'id' }, run.id),
            ),
            h(
              'td',
              null,
              h(
                'dl',
                null,
                h('dt', null, 'status'),
                h('dd', null, `${run.status} · ${run.traces} traces · created ${run.createdAt}`),
                h('dt', null, 'source'),
                h('dd', null, run.source, run.sourceUrl ? h('div', { class: 'url' }, run.sourceUrl) : null),
                h('dt', null, 'commit'),
                h('dd', null, h('code', null, run.commit), ` on ${run.branch}`),
                h('dt', null, 'config'),
                h('dd', null, `${run.config} `, h('code', null, `${run.configDigest}…`)),
                h('dt', null, 'dataset'),
                h('dd', null, run.dataset),
              ),
            ),
          ),
        ),
      ),
    ),
    section(
      'What changed in the config',
      ...view.configDiffs.flatMap((diff) => [
        h('h3', null, diff.title),
        diff.changes.length === 0
          ? h('p', { class: 'quiet' }, 'No difference: the configs are identical.')
          : table(
              'diff',
              ['Key', 'Change', 'A', 'This run'],
              diff.changes.map((c) =>
                h(
                  'tr',
                  null,
                  h('td', null, h('code', null, c.path)),
                  h('td', null, c.kind),
                  ...(c.ops.length > 0
                    ? [h('td', { colspan: 2, class: 'text-diff' }, ...c.ops.map((op) => h('span', { class: `op-${op.op}` }, op.text)))]
                    : [h('td', { class: 'value' }, c.before), h('td', { class: 'value' }, c.after)]),
                ),
              ),
            ),
      ]),
    ),
    section(
      'Metrics side by side',
      h('p', { class: 'method' }, view.method),
      table(
        'metrics',
        ['Metric', 'n', ...view.metrics.runHeaders, ...view.metrics.deltaHeaders],
        view.metrics.rows.flatMap((row) => [
          h(
            'tr',
            null,
            h(
              'td',
              { class: 'metric-name' },
              row.name,
              row.primary ? h('strong', null, ' (primary)') : null,
              h('div', { class: 'quiet' }, `${row.source} · ${row.direction}`),
            ),
            h('td', { class: 'num' }, String(row.n)),
            ...row.runs.map((cell) =>
              h(
                'td',
                { class: 'num' },
                cell.value,
                cell.ci ? h('div', { class: 'ci' }, cell.ci) : null,
                cell.note ? h('div', { class: 'quiet' }, cell.note) : null,
              ),
            ),
            ...row.deltas.map((d) =>
              h(
                'td',
                { class: 'num' },
                d.delta,
                d.ci ? h('div', { class: 'ci' }, d.ci) : null,
                h('div', { class: `verdict verdict-${d.verdictClass}` }, d.verdict),
                h('div', { class: 'quiet' }, `p adj. ${d.p}`),
              ),
            ),
          ),
          ...row.warnings.map((w) =>
            h('tr', { class: 'warning-row' }, h('td', { colspan: 2 + row.runs.length + row.deltas.length }, `⚠ ${row.name}: ${w}`)),
          ),
        ]),
      ),
    ),
    ...charts.map((chart) => {
      const caption = chart.getAttribute('aria-label') ?? '';
      return h('section', { class: 'chart' }, h('h2', null, caption.charAt(0).toUpperCase() + caption.slice(1)), chart.cloneNode(true));
    }),
    section(
      'Examples that moved most',
      h('p', { class: 'method' }, view.examples.note),
      ...view.examples.groups.flatMap((group) => [
        h('h3', null, group.title, ' ', h('span', { class: 'quiet' }, `(${group.items.length} of ${group.total} shown)`)),
        group.items.length === 0 ? h('p', { class: 'quiet' }, 'None.') : null,
        ...group.items.map((item) =>
          h(
            'div',
            { class: `example example-${group.kind}` },
            h('h4', null, item.example, ' ', h('span', { class: 'change' }, `${view.examples.metric ?? ''} ${item.change}`)),
            h(
              'dl',
              null,
              h('dt', null, 'input'),
              h('dd', { class: 'text' }, item.input),
              h('dt', null, 'expected'),
              h('dd', { class: 'text' }, item.expected),
              h('dt', null, 'A output'),
              h('dd', { class: 'text' }, item.before),
              h('dt', null, 'this run'),
              h('dd', { class: 'text' }, item.after),
            ),
          ),
        ),
      ]),
    ),
    section(
      'Annotations',
      ...(view.annotations.total === 0
        ? [h('p', { class: 'quiet' }, 'No annotations of these runs.')]
        : [
            h('p', null, `${view.annotations.total} annotations by ${view.annotations.authors.join(', ')}.`),
            table(
              'annotations',
              ['Name', ...view.metrics.runHeaders],
              view.annotations.names.map((name) =>
                h(
                  'tr',
                  null,
                  h('td', null, `${name.name} `, h('span', { class: 'quiet' }, `(${name.kind})`)),
                  ...name.runs.map((cell) =>
                    h('td', null, cell.summary, cell.count ? h('span', { class: 'quiet' }, ` n=${cell.count}`) : null),
                  ),
                ),
              ),
            ),
          ]),
    ),
    ...(view.judges?.show
      ? [
          section(
            'Judges and people',
            view.judges.rows.length > 0
              ? table(
                  'annotations judges',
                  ['Run', 'Name', 'Judge', 'n', 'Agreement (95% CI)', 'Spearman', 'Bias / same label', 'Disagree'],
                  view.judges.rows.map((r) =>
                    h(
                      'tr',
                      null,
                      ...[r.run, `${r.name} (${r.kind})`, r.judge, r.n, r.agreement, r.spearman, r.bias, r.disagreements].map((cell) =>
                        h('td', null, cell),
                      ),
                    ),
                  ),
                )
              : null,
            h('ul', null, ...view.judges.notes.map((n) => h('li', null, n))),
          ),
        ]
      : []),
    section(
      'Alignment and warnings',
      h(
        'p',
        null,
        `Traces were matched on ${view.alignment.key}: ${view.alignment.matched} of ${view.alignment.examples} examples are in every run.`,
      ),
      view.alignment.notes.length + view.warnings.length > 0
        ? h('ul', null, ...view.alignment.notes.map((n) => h('li', null, n)), ...view.warnings.map((w) => h('li', null, `⚠ ${w}`)))
        : null,
    ),
  );
}
