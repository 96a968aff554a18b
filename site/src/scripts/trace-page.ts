import type { Trace } from '#schemas/trace.ts';
import { DetailOmittedError } from './detail-omitted.ts';
import { formatCost, formatCount, formatMs } from '#site/view/format.ts';
import type { TraceIndex } from '#site/view/run-rows.ts';
import { buildSpanTree } from '#lib/store/span-tree-layout.ts';
import type { AnnotateTarget } from '#site/view/annotate-target.ts';
import { openAnnotateForm, readAnnotateTarget } from './annotate-dialog.ts';
import { basePath, byId, h, isTyping, showError } from './dom.ts';
import { shortcutsToggle, singleKeyShortcutsOn } from './single-key-shortcuts.ts';
import { spanDetail } from './span-detail.ts';
import { SpanTreeView } from './span-tree-view.ts';
import { loadTraceAt, loadTraceIndex } from './trace-loader.ts';
import { traceAnnotationsSection } from './trace-annotations.ts';
import { loadTraceOrder } from './trace-order.ts';
import { valueView } from './value-view.ts';

interface PageData {
  experiment: string;
  run: string;
  runPage: string;
  annotate: AnnotateTarget | null;
}

/** The trace view: one static page per run that shows the trace named by `?id=`. */
export function initTracePage(): void {
  const app = byId('trace-app');
  // The build's title names the run ("Trace · <run> · Labbook"); the trace's id goes in front of it.
  const runTitle = document.title.replace(/^Trace · /, '');
  const data: PageData = {
    experiment: app.dataset.experiment!,
    run: app.dataset.run!,
    runPage: app.dataset.runPage!,
    annotate: readAnnotateTarget(app),
  };
  let index: TraceIndex;
  let current = -1;
  let tree: SpanTreeView | null = null;

  const order = (): number[] => loadTraceOrder(`${data.experiment}/${data.run}`) ?? Array.from(index.ids, (_, i) => i);

  const show = async (id: string, spanId: string | null) => {
    index ??= await loadTraceIndex(data.experiment, data.run);
    performance.mark('labbook:trace-index');
    const row = index.ids.indexOf(id);
    if (row === -1) throw new Error(`No trace "${id}" in this run.`);
    const trace = await loadTraceAt(data.experiment, data.run, row);
    performance.mark('labbook:trace-data'); // the trace fetched, inflated and parsed (bench: fetch against render)
    // n/p and Back swap the trace in place, removing what had focus: a reader in the span tree
    // stays in the new one; anyone else lands on the new trace's heading, which a screen reader
    // then reads (focus left on <body> says nothing, and j/k would no longer reach the tree).
    const switching = current >= 0;
    const inTree = Boolean(document.activeElement?.closest('.tree-scroll'));
    current = row;
    tree = render(app, trace, data, spanId, neighbours(row));
    document.title = `Trace ${id} · ${runTitle}`;
    if (inTree && tree) tree.focus();
    else if (switching && (!document.activeElement || document.activeElement === document.body))
      app.querySelector<HTMLElement>('h1')?.focus();
    performance.mark('labbook:trace'); // trace and span tree on screen (read by bench/site.bench.ts)
  };

  const neighbours = (row: number) => {
    const list = order();
    const at = list.indexOf(row);
    const idOf = (k: number) => (k >= 0 && k < list.length ? index.ids[list[k]!]! : null);
    return at === -1
      ? { prev: idOf(row - 1), next: idOf(row + 1), position: '' }
      : { prev: idOf(at - 1), next: idOf(at + 1), position: `${at + 1} of ${list.length}` };
  };

  const go = (id: string | null) => {
    if (!id) return;
    const url = new URL(location.href);
    url.searchParams.set('id', id);
    url.searchParams.delete('span');
    history.pushState(null, '', url);
    load();
  };

  const load = () => {
    const params = new URLSearchParams(location.search);
    const id = params.get('id');
    if (!id) {
      app.replaceChildren(
        h(
          'p',
          { class: 'empty' },
          'No trace chosen. ',
          h('a', { href: `${basePath()}${data.runPage}#traces` }, 'Pick one from the traces table.'),
        ),
      );
      return;
    }
    show(id, params.get('span')).catch((error: Error) => {
      if (error instanceof DetailOmittedError && error.url) {
        app.replaceChildren(h('p', { class: 'empty' }, `${error.message} `, h('a', { href: error.url }, 'Read them on the data branch.')));
      } else showError(app, error.message);
    });
  };

  addEventListener('popstate', load);
  document.addEventListener('keydown', (event) => {
    if (isTyping(event) || event.altKey || event.ctrlKey || event.metaKey || current < 0 || document.querySelector('dialog[open]')) return;
    if (!singleKeyShortcutsOn()) return;
    const near = neighbours(current);
    if (event.key === 'n' || event.key === ']') go(near.next);
    else if (event.key === 'p' || event.key === '[') go(near.prev);
    else if (event.key === '/' || event.key === 't') tree?.focus();
    else if (event.key === 'a' && data.annotate)
      void openAnnotateForm(data.annotate, index.ids[current]!, document.getElementById('annotate-open'));
    else return;
    event.preventDefault();
  });
  load();
}

function render(
  app: HTMLElement,
  trace: Trace,
  data: PageData,
  spanId: string | null,
  near: { prev: string | null; next: string | null; position: string },
): SpanTreeView | null {
  const base = basePath();
  const traceUrl = (id: string) => `${base}${data.runPage}trace/?id=${encodeURIComponent(id)}`;
  let tokens: number | null = null;
  let cost: number | null = null;
  for (const s of trace.spans) {
    if (s.usage) tokens = (tokens ?? 0) + (s.usage.total ?? s.usage.input + s.usage.output);
    if (s.cost) cost = (cost ?? 0) + s.cost.total;
  }
  const nav = h(
    'div',
    { class: 'toolbar' },
    near.prev ? h('a', { class: 'btn', href: traceUrl(near.prev), rel: 'prev', 'aria-keyshortcuts': 'p' }, '← prev') : null,
    near.next ? h('a', { class: 'btn', href: traceUrl(near.next), rel: 'next', 'aria-keyshortcuts': 'n' }, 'next →') : null,
    near.position ? h('span', { class: 'muted' }, near.position) : null,
    h(
      'span',
      { class: 'keys-help' },
      h('kbd', null, 'p'),
      '/',
      h('kbd', null, 'n'),
      ' traces · ',
      h('kbd', null, 'j'),
      '/',
      h('kbd', null, 'k'),
      ' spans · ',
      h('kbd', null, 'h'),
      '/',
      h('kbd', null, 'l'),
      ' collapse/expand',
      shortcutsToggle(),
    ),
  );
  const head = h(
    'div',
    { class: 'page-head' },
    h('h1', { class: 'mono', tabindex: -1 }, trace.id),
    h('span', { class: `badge ${trace.status}` }, trace.status),
    h('span', { class: 'muted' }, `example ${trace.exampleId}`),
    h(
      'span',
      { class: 'muted' },
      `${formatMs(trace.durationMs)} · ${formatCount(tokens)} tokens · ${formatCost(cost)} · ${trace.spans.length} span${trace.spans.length === 1 ? '' : 's'}`,
    ),
  );
  const io = h(
    'div',
    { class: 'trace-io' },
    ioPanel('Input', trace.input),
    ioPanel('Output', trace.output),
    trace.expected !== undefined ? ioPanel('Expected', trace.expected) : null,
  );
  const parts: (Node | null)[] = [head, nav];
  if (trace.error) parts.push(h('pre', { class: 'error-box', role: 'note', 'aria-label': 'trace error' }, trace.error));
  parts.push(io, scoresSection(trace), traceAnnotationsSection(data.annotate, data.experiment, data.run, trace.id));
  if (trace.tags.length > 0 || trace.metadata) {
    parts.push(
      h(
        'div',
        { class: 'section' },
        trace.tags.length > 0 ? h('p', null, 'Tags: ', ...trace.tags.map((t) => h('span', { class: 'badge' }, t))) : null,
        trace.metadata ? h('div', null, h('h3', null, 'Metadata'), valueView(trace.metadata, 'trace metadata')) : null,
      ),
    );
  }

  let view: SpanTreeView | null = null;
  if (trace.spans.length > 0) {
    const model = buildSpanTree(trace.spans);
    const detailHost = h('div');
    view = new SpanTreeView(trace.spans, model, {
      onSelect: (i) => {
        const span = trace.spans[i]!;
        detailHost.replaceChildren(spanDetail(span, model.t0));
        const url = new URL(location.href);
        url.searchParams.set('span', span.id);
        history.replaceState(history.state, '', url);
      },
    });
    const controls = h('div', { class: 'toolbar' }, h('h2', null, 'Spans'));
    const expand = h('button', { type: 'button', class: 'btn' }, 'Expand all');
    const collapse = h('button', { type: 'button', class: 'btn' }, 'Collapse all');
    expand.addEventListener('click', () => view!.setAllCollapsed(false));
    collapse.addEventListener('click', () => view!.setAllCollapsed(true));
    controls.append(expand, collapse);
    parts.push(h('section', { class: 'section', 'aria-label': 'Spans' }, controls, h('div', { class: 'split' }, view.element, detailHost)));
    app.replaceChildren(...parts.filter((p): p is Node => p !== null));
    const wanted = spanId ? trace.spans.findIndex((s) => s.id === spanId) : -1;
    view.select(wanted >= 0 ? wanted : model.order[0]!);
  } else {
    parts.push(h('p', { class: 'empty' }, 'This trace recorded no spans.'));
    app.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }
  return view;
}

function ioPanel(title: string, value: unknown): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-label': title },
    h('header', null, title),
    h('div', { class: 'body' }, value === undefined ? h('span', { class: 'muted' }, '(none)') : valueView(value, title)),
  );
}

function scoresSection(trace: Trace): HTMLElement {
  if (trace.scores.length === 0) return h('div', { class: 'section' }, h('p', { class: 'muted' }, 'No scores.'));
  const rows = trace.scores.map((s) => {
    const shown = s.value === null ? '—' : typeof s.value === 'boolean' ? (s.value ? 'pass' : 'fail') : String(s.value);
    // A number that also came with a category (an OpenTelemetry evaluation's label) shows both.
    const value = s.label !== undefined ? `${shown} (${s.label})` : shown;
    const cls = typeof s.value === 'boolean' ? (s.value ? 'badge pass' : 'badge fail') : null;
    return h(
      'tr',
      null,
      h('th', { scope: 'row', class: 'score-name' }, s.name),
      h('td', { class: 'score-value' }, cls ? h('span', { class: cls }, value) : value),
      h('td', { class: 'score-source' }, s.source, s.evaluator ? ` · ${s.evaluator}` : ''),
      h('td', { class: 'score-rationale' }, s.error ? h('span', { class: 'status-error' }, s.error) : (s.rationale ?? '')),
    );
  });
  return h(
    'section',
    { class: 'section', 'aria-label': 'Scores' },
    h('h2', null, 'Scores'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data scores-table trace-scores' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'score'),
            h('th', { scope: 'col' }, 'value'),
            h('th', { scope: 'col' }, 'source'),
            h('th', { scope: 'col' }, 'rationale / error'),
          ),
        ),
        h('tbody', null, ...rows),
      ),
    ),
  );
}
