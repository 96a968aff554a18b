import { errorMessage } from '#lib/errors/error-message.ts';
import { formatCost, formatCount, formatMs, formatNumber } from '#site/view/format.ts';
import type { ColumnMeta } from '#site/view/run-meta.ts';
import type { RunRows, ScoreColumn } from '#site/view/run-rows.ts';
import { type FilterOp, queryFromParams, queryRows, queryToParams, type ScoreFilter, type TableQuery } from '#site/view/table-query.ts';
import { openAnnotateForm, readAnnotateTarget } from './annotate-dialog.ts';
import { elideShared, sharedStart } from './shared-start.ts';
import { columnChooser, hiddenFromUrl } from './column-chooser.ts';
import { describeFacet, type FacetKind } from '#site/view/span-facets.ts';
import { basePath, byId, h, isTyping, showError } from './dom.ts';
import { loadRunRows } from './load-run-rows.ts';
import type { RowsAccumulator } from '#site/view/run-rows-pages.ts';
import { saveTraceOrder } from './trace-order.ts';
import { type VirtualColumn, VirtualTable } from './virtual-table.ts';

/**
 * The run page's Traces tab: loads the table's rows pages when the tab is first shown, shows the
 * first page at once and the rest as it arrives (filters and sort apply to the rows loaded so far,
 * and again to every row once all are in).
 */
export function initTracesSection(): void {
  const section = document.getElementById('traces');
  if (!section) return;
  let started = false;
  const start = () => {
    if (started || location.hash !== '#traces') return;
    started = true;
    load(section).catch((error: Error) => showError(byId('traces-table'), error.message));
  };
  addEventListener('hashchange', start);
  start();
}

/** How often the table catches up with the rows that arrived while the rest of them load. */
const REFRESH_MS = 250;

const OP_LABEL: Record<FilterOp, string> = { '>=': '≥', '<=': '≤', '=': '=', '!=': '≠', missing: 'is missing' };

export function cellText(column: ScoreColumn | ColumnMeta, value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (column.kind === 'boolean') return value === 1 ? 'pass' : 'fail';
  if (typeof value === 'number') return formatNumber(value);
  return value;
}

export function fillScoreCell(cell: HTMLTableCellElement, column: ScoreColumn, value: number | string | null | undefined): void {
  cell.textContent = cellText(column, value);
  if (column.kind === 'boolean' && value !== null && value !== undefined) cell.classList.add(value === 1 ? 'cell-pass' : 'cell-fail');
  if (value === null || value === undefined)
    cell.title = column.source === 'annotation' ? 'not annotated' : 'no value (missing, or the evaluator failed)';
  else if (typeof value === 'string') cell.title = value;
}

/** A column's name in menus and chips: annotations say so, since a score may share the name. */
export function columnLabel(column: Pick<ScoreColumn, 'name' | 'source'>): string {
  return column.source === 'annotation' ? `${column.name} (annotation)` : column.name;
}

async function load(section: HTMLElement): Promise<void> {
  let table: ShownTable | null = null;
  try {
    await loadRunRows(section.dataset.rows!, (loaded) => {
      if (table) table.morePages(loaded);
      else table = showTable(section, loaded);
    });
  } catch (error) {
    if (!table) throw error;
    (table as ShownTable).failed(errorMessage(error));
  }
}

interface ShownTable {
  morePages(rows: RowsAccumulator): void;
  /** A later page failed: the rows in so far stay, and the count says the table is incomplete and why. */
  failed(message: string): void;
}

function showTable(section: HTMLElement, loaded: RowsAccumulator): ShownTable {
  // The same object for the table's life: its arrays grow in place as pages arrive.
  const rows = loaded.rows;
  const tracePage = `${basePath()}${section.dataset.tracePage}`;
  const orderKey = `${section.dataset.experiment}/${section.dataset.run}`;
  const annotate = readAnnotateTarget(section);
  const openForm = (row: number, opener: HTMLElement | null) => annotate && void openAnnotateForm(annotate, rows.id[row]!, opener);
  let query: TableQuery = queryFromParams(new URLSearchParams(location.search));
  let sharedOutputStart = sharedStart(rows.output);
  const traceHref = (row: number) => `${tracePage}?id=${encodeURIComponent(rows.id[row]!)}`;

  const columns: VirtualColumn[] = [
    { key: 'index', label: '#', width: 56, numeric: true, sortable: true, render: (r, td) => (td.textContent = String(r + 1)) },
    {
      key: 'id',
      label: 'trace',
      width: 170,
      // The trace id stays in view as the table scrolls sideways, so each row stays identifiable.
      className: 'sticky-col',
      sortable: true,
      render: (r, td) => {
        td.append(h('a', { href: traceHref(r), class: 'mono' }, rows.id[r]!));
        td.title = rows.id[r]!;
      },
    },
    ...(annotate
      ? [
          {
            key: 'annotate',
            label: 'annotate',
            width: 112,
            className: 'cell-button',
            render: (r: number, td: HTMLTableCellElement) =>
              td.append(
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small btn-add',
                    'data-annotate-row': r,
                    'aria-label': `annotate ${rows.id[r]}`,
                    title: 'Add a metric or label to this trace',
                  },
                  'annotate',
                ),
              ),
          },
        ]
      : []),
    { key: 'input', label: 'input', width: 280, sortable: true, render: (r, td) => (td.textContent = rows.input[r]!) },
    {
      key: 'output',
      label: 'output',
      width: 360,
      sortable: true,
      render: (r, td) => {
        if (!rows.output[r] && rows.error[r]) {
          td.textContent = rows.error[r]!;
          td.className = 'status-error';
        } else {
          td.textContent = elideShared(rows.output[r]!, sharedOutputStart);
          td.title = rows.output[r]!;
        }
      },
    },
    ...rows.scores.map((column): VirtualColumn => ({
      key: column.key,
      label: column.name,
      title:
        column.source === 'annotation'
          ? `${column.name}: annotation by people (${column.kind === 'label' ? 'the most frequent label' : 'the mean of the judges'}${column.direction ? `, ${column.direction} is better` : ''})`
          : `${column.name} (${column.kind}${column.direction ? `, ${column.direction} is better` : ''})`,
      width: Math.min(200, Math.max(90, column.name.length * 8 + (column.source === 'annotation' ? 44 : 24))),
      numeric: column.kind !== 'label',
      sortable: true,
      ...(column.source === 'annotation' ? { className: 'col-annotation', hint: '(annotation)' } : {}),
      render: (r, td) => fillScoreCell(td, column, column.values[r]),
    })),
    {
      key: 'status',
      label: 'status',
      width: 70,
      sortable: true,
      render: (r, td) => {
        td.textContent = rows.status[r] === 1 ? 'error' : 'ok';
        if (rows.status[r] === 1) {
          td.className = 'status-error';
          td.title = rows.error[r] ?? '';
        }
      },
    },
    {
      key: 'latency',
      label: 'latency',
      width: 84,
      numeric: true,
      sortable: true,
      render: (r, td) => (td.textContent = formatMs(rows.latency[r])),
    },
    {
      key: 'tokens',
      label: 'tokens',
      width: 80,
      numeric: true,
      sortable: true,
      render: (r, td) => (td.textContent = formatCount(rows.tokens[r])),
    },
    {
      key: 'cost',
      label: 'cost',
      width: 80,
      numeric: true,
      sortable: true,
      render: (r, td) => (td.textContent = formatCost(rows.cost[r])),
    },
    { key: 'spans', label: 'spans', width: 64, numeric: true, sortable: true, render: (r, td) => (td.textContent = String(rows.spans[r])) },
  ];

  const host = byId('traces-table');
  host.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-annotate-row]');
    if (button) openForm(Number(button.dataset.annotateRow), button);
  });
  // Any column but the row number and the trace id can be hidden; the choice is kept in the URL.
  const visibleColumns = (hidden: ReadonlySet<string>) => columns.filter((c) => !hidden.has(c.key));
  host.setAttribute('aria-busy', String(!loaded.complete));
  const table = new VirtualTable(host, {
    label: 'Traces',
    columns: visibleColumns(hiddenFromUrl()),
    onOpen: (row, newTab) => (newTab ? window.open(traceHref(row), '_blank', 'noopener') : location.assign(traceHref(row))),
    onSort: (key) => {
      const dir = query.sort?.key === key && query.sort.dir === 'asc' ? 'desc' : 'asc';
      update({ ...query, sort: { key, dir } });
    },
    rowClass: (row) => (rows.status[row] === 1 ? 'is-error' : ''),
  });

  table.scroller.addEventListener('keydown', (event) => {
    if (event.key !== 'a' || event.target !== table.scroller || isTyping(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    const pos = table.activePosition;
    if (pos < 0 || pos >= table.rows.length) return;
    event.preventDefault();
    openForm(table.rows[pos]!, table.scroller);
  });

  const search = byId<HTMLInputElement>('trace-search');
  const status = byId<HTMLSelectElement>('trace-status');
  const count = byId('trace-count');
  const chips = byId('trace-filters');
  const disagree = byId<HTMLInputElement>('trace-disagree');
  search.value = query.text;
  status.value = query.status;
  disagree.checked = query.disagreements;
  const describeDisagreements = () => {
    if (!rows.scores.some((c) => c.source === 'annotation')) return;
    byId('trace-disagree-label').hidden = false;
    byId('trace-disagree-label').title =
      `${rows.disagreements.length}${loaded.complete ? '' : '+'} traces where the people who annotated them disagree`;
  };
  describeDisagreements();
  disagree.addEventListener('change', () => update({ ...query, disagreements: disagree.checked }));
  // Where an automated judge and the people part ways (the run page's "Judges and people").
  const judgeDisagree = byId<HTMLInputElement>('trace-judge-disagree');
  judgeDisagree.checked = query.judgeDisagreements === true;
  if ((rows.judgeDisagreements?.length ?? 0) > 0 || query.judgeDisagreements) {
    byId('trace-judge-disagree-label').hidden = false;
    byId('trace-judge-disagree-label').title =
      `${rows.judgeDisagreements?.length ?? 0} traces where an automated judge and the people who annotated them disagree`;
  }
  judgeDisagree.addEventListener('change', () => update({ ...query, judgeDisagreements: judgeDisagree.checked }));

  // Review what the filters show, trace by trace with the keyboard (an ad-hoc review queue).
  const review = h(
    'a',
    { class: 'btn', id: 'trace-review', title: 'Judge the traces shown, one by one, with the keyboard' },
    'Review these',
  );
  byId('trace-count').before(review);

  function update(next: TableQuery, keepScroll = false): void {
    query = next;
    const shown = queryRows(rows, query);
    const reviewQuery = queryToParams({ ...query, sort: null }).toString();
    review.href = `${basePath()}${section.dataset.reviewPage}${reviewQuery ? `?${reviewQuery}` : ''}`;
    review.textContent = `Review these ${shown.length}`;
    // Only once every row is in: until then the count would be of the rows loaded so far.
    review.hidden = shown.length === 0 || !loaded.complete;
    table.setSort(query.sort);
    table.setRows(shown, keepScroll);
    const matching = shown.length === rows.count ? `${rows.count} traces` : `${shown.length} of ${rows.count} traces`;
    count.textContent = loaded.complete ? matching : `${matching} · loading, ${rows.count} of ${loaded.total} loaded…`;
    renderChips();
    const params = queryToParams(query, new URLSearchParams(location.search));
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}#traces`);
    saveTraceOrder(orderKey, shown);
  }

  function renderChips(): void {
    chips.replaceChildren(
      ...query.spans.map((facet) => {
        const { kind, text: what } = describeFacet(facet);
        const text = `span ${FACET_LABEL[kind]} ${what}`;
        const remove = h('button', { type: 'button', class: 'btn', 'aria-label': `Remove filter ${text}` }, `${text} ✕`);
        remove.addEventListener('click', () => update({ ...query, spans: query.spans.filter((s) => s !== facet) }));
        return remove;
      }),
      ...query.filters.map((f, i) => {
        const column = rows.scores.find((c) => c.key === f.key);
        const text = `${column ? columnLabel(column) : f.key} ${OP_LABEL[f.op]}${f.op === 'missing' ? '' : ` ${column ? cellText(column, f.value) : String(f.value)}`}`;
        const remove = h('button', { type: 'button', class: 'btn', 'aria-label': `Remove filter ${text}` }, `${text} ✕`);
        remove.addEventListener('click', () => update({ ...query, filters: query.filters.filter((_, k) => k !== i) }));
        return remove;
      }),
    );
  }

  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => update({ ...query, text: search.value }), 120);
  });
  status.addEventListener('change', () => update({ ...query, status: status.value as TableQuery['status'] }));
  const refreshFilterValues = buildFilterBuilder(byId('trace-filter-builder'), rows, (filter) =>
    update({ ...query, filters: [...query.filters, filter] }),
  );
  byId('trace-count').before(
    columnChooser(
      'trace-columns',
      columns.filter((c) => c.key !== 'index' && c.key !== 'id').map((c) => ({ key: c.key, label: c.label })),
      (hidden) => table.setColumns(visibleColumns(hidden)),
    ),
  );
  const facetPicker = buildFacetPicker(rows, (facet) => {
    if (!query.spans.includes(facet)) update({ ...query, spans: [...query.spans, facet] });
  });
  if (facetPicker) byId('trace-filter-builder').prepend(facetPicker);
  update(query);
  performance.mark('labbook:rows'); // first rows on screen (read by bench/site.bench.ts)
  if (loaded.complete) performance.mark('labbook:rows-all');

  // While pages arrive the query re-runs at most every REFRESH_MS (each run is over every row so
  // far: once per page would be quadratic in a 100,000-row run), and once more when all are in.
  let refresh = 0;
  return {
    // A later page: the same query over more rows, the reader's scroll position kept.
    morePages(more) {
      if (!more.complete) {
        refresh ||= window.setTimeout(() => {
          refresh = 0;
          update(query, true);
        }, REFRESH_MS);
        return;
      }
      clearTimeout(refresh);
      sharedOutputStart = sharedStart(rows.output);
      host.setAttribute('aria-busy', 'false');
      update(query, true);
      describeDisagreements();
      refreshFilterValues();
      performance.mark('labbook:rows-all'); // every row in and the query applied to all (bench)
    },
    failed(message) {
      clearTimeout(refresh);
      update(query, true);
      host.setAttribute('aria-busy', 'false');
      count.textContent = `${count.textContent} · not every row could be loaded: ${message}`;
      count.classList.add('status-error');
    },
  };
}

const FACET_LABEL: Record<FacetKind, string> = { type: 'type', model: 'model', tool: 'tool', attr: 'attribute' };
const FACET_GROUPS: [FacetKind, string][] = [
  ['type', 'span type'],
  ['model', 'model'],
  ['tool', 'tool'],
  ['attr', 'span attribute'],
];

/** A menu of what the run's spans are (types, models, tools, attributes) that adds a span filter. */
function buildFacetPicker(rows: RunRows, add: (facet: string) => void): HTMLSelectElement | null {
  const names = rows.facetNames ?? [];
  if (names.length === 0) return null;
  const select = h(
    'select',
    { class: 'select', id: 'span-facet', 'aria-label': 'Show traces with a span of this type, model, tool or attribute' },
    h('option', { value: '' }, 'spans with…'),
    ...FACET_GROUPS.map(([kind, label]) => {
      const facets = names.filter((name) => describeFacet(name).kind === kind).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      return facets.length === 0
        ? null
        : h('optgroup', { label }, ...facets.map((facet) => h('option', { value: facet }, describeFacet(facet).text)));
    }),
  );
  if (rows.facetsTruncated) select.title = 'Some attribute values were left out: too many distinct ones to list';
  select.addEventListener('change', () => {
    if (select.value) add(select.value);
    select.value = '';
  });
  return select;
}

/** Column, operator and value pickers that add a score filter (labels pick from the values seen). */
function buildFilterBuilder(host: HTMLElement, rows: RunRows, add: (filter: ScoreFilter) => void): () => void {
  if (rows.scores.length === 0) return () => undefined;
  const columnSelect = h(
    'select',
    { class: 'select', id: 'filter-column', 'aria-label': 'Score or annotation to filter by' },
    ...rows.scores.map((c) => h('option', { value: c.key }, columnLabel(c))),
  );
  const opSelect = h('select', { class: 'select', id: 'filter-op', 'aria-label': 'Comparison' });
  const valueHost = h('span');
  let valueControl: HTMLInputElement | HTMLSelectElement = h('input');
  const addButton = h('button', { type: 'button', class: 'btn', id: 'filter-add' }, 'Add filter');

  const sync = () => {
    const column = rows.scores.find((c) => c.key === columnSelect.value)!;
    const ops: [string, string][] =
      column.kind === 'number'
        ? [
            ['>=', '≥'],
            ['<=', '≤'],
            ['=', '='],
            ['!=', '≠'],
            ['missing', 'is missing'],
          ]
        : [
            ['=', 'is'],
            ['!=', 'is not'],
            ['missing', 'is missing'],
          ];
    opSelect.replaceChildren(...ops.map(([value, label]) => h('option', { value }, label)));
    if (column.kind === 'number') {
      valueControl = h('input', {
        class: 'input',
        type: 'number',
        step: 'any',
        id: 'filter-value',
        'aria-label': 'Value',
        placeholder: 'value',
      });
      valueControl.style.width = '90px';
    } else {
      const options =
        column.kind === 'boolean'
          ? [
              ['1', 'pass'],
              ['0', 'fail'],
            ]
          : [...new Set(column.values.filter((v): v is string => typeof v === 'string'))]
              .sort()
              .slice(0, 500)
              .map((v) => [v, v]);
      valueControl = h(
        'select',
        { class: 'select', id: 'filter-value', 'aria-label': 'Value' },
        ...options.map(([value, label]) => h('option', { value: value! }, label!)),
      );
    }
    valueHost.replaceChildren(valueControl);
  };
  columnSelect.addEventListener('change', sync);
  opSelect.addEventListener('change', () => (valueControl.hidden = opSelect.value === 'missing'));
  addButton.addEventListener('click', () => {
    const column = rows.scores.find((c) => c.key === columnSelect.value)!;
    const op = opSelect.value as FilterOp;
    let value: number | string | null = null;
    if (op !== 'missing') {
      if (column.kind === 'label') value = valueControl.value;
      else {
        value = Number(valueControl.value);
        if (valueControl.value === '' || !Number.isFinite(value)) return valueControl.focus();
      }
    }
    add({ key: column.key, op, value });
  });
  sync();
  host.replaceChildren(columnSelect, opSelect, valueHost, addButton);
  // Labels seen in rows that arrived later join the value menu (the choice in it is kept).
  return () => {
    const chosen = valueControl.value;
    const op = opSelect.value;
    sync();
    opSelect.value = op;
    valueControl.hidden = op === 'missing';
    valueControl.value = chosen;
  };
}
