import { defaultJudgeMetric, judgeMetrics } from '#site/view/compare-table.ts';
import { formatDate } from '#site/view/format.ts';
import { runDataPaths, type RunMeta, type RunsIndex, type RunsIndexEntry } from '#site/view/run-meta.ts';
import { paths } from '#site/view/site-paths.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import { compareAnnotations } from './compare-annotations.ts';
import { compareJudges } from './compare-judges.ts';
import { renderCompareCharts } from './compare-charts.ts';
import { exportActions } from './compare-export.ts';
import { compareInBackground } from './compare-job.ts';
import { evidencePanel } from './compare-evidence.ts';
import { alignmentSummary, configDiffView, LETTERS, metricsTable } from './compare-metrics.ts';
import { compareTraces, type LoadedRun } from './compare-traces.ts';
import { basePath, byId, h, showError } from './dom.ts';
import { fetchJson } from './fetch-json.ts';
import { fetchRunRows } from './load-run-rows.ts';

const MAX_RUNS = 4;

/** The compare page: the runs named in `?runs=a,b,…` (the first is the baseline), loaded on demand. */
export function initComparePage(): void {
  const app = byId('compare-app');
  load(app).catch((error: Error) => showError(app, error.message));
}

function compareUrl(ids: readonly string[]): string {
  return `${basePath()}${paths.compare(ids)}`;
}

async function load(app: HTMLElement): Promise<void> {
  const index = await fetchJson<RunsIndex>(app.dataset.runsIndex!);
  const requested = (new URLSearchParams(location.search).get('runs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Map(index.runs.map((r) => [r.id, r]));
  const notices: string[] = [];
  const unknown = requested.filter((id) => !known.has(id));
  if (unknown.length > 0) notices.push(`Not on this site: ${unknown.join(', ')}`);
  let entries = [...new Set(requested)].map((id) => known.get(id)).filter((e): e is RunsIndexEntry => e !== undefined);
  if (entries.length > MAX_RUNS) {
    notices.push(`Showing the first ${MAX_RUNS} of ${entries.length} runs.`);
    entries = entries.slice(0, MAX_RUNS);
  }
  const head = h('div', { class: 'page-head' }, h('h1', null, 'Compare runs'));
  const picker = runPicker(index, entries);
  const parts: Node[] = [head, ...notices.map((n) => h('p', { class: 'notice' }, n))];
  if (entries.length < 2) {
    picker.open = true;
    parts.push(h('p', { class: 'muted' }, 'Pick 2 to 4 runs; the first is the baseline the others are compared with.'), picker);
    app.replaceChildren(...parts);
    return;
  }
  parts.push(runChips(entries), picker);
  // The runs in the title too: two comparisons in two tabs (or read by a screen reader) differ.
  document.title = `${entries.map((e, i) => `${LETTERS[i]} ${e.name}`).join(', ')} · ${document.title}`;
  const tracesSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'cmp-traces-title' },
    h('h2', { id: 'cmp-traces-title' }, 'Traces'),
    h('p', { class: 'loading' }, 'Loading runs…'),
  );
  const metricsSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'cmp-metrics-title' },
    h('h2', { id: 'cmp-metrics-title' }, 'Metrics'),
    h('p', { class: 'loading', id: 'cmp-stats-status' }, 'Computing paired statistics…'),
  );
  const configSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'cmp-config-title' },
    h('h2', { id: 'cmp-config-title' }, 'Config diff'),
  );
  const chartsSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'cmp-charts-title' },
    h('h2', { id: 'cmp-charts-title' }, 'Charts'),
    h('div', { class: 'charts', id: 'cmp-charts' }),
  );
  const annotationsSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'cmp-annotations-title', id: 'cmp-annotations' },
    h('h2', { id: 'cmp-annotations-title' }, h('span', { class: 'ann-icon', 'aria-hidden': 'true' }), 'Annotations'),
  );
  const exportHost = h('div');
  const reportHost = h('div', { class: 'print-only' });
  parts.push(exportHost, metricsSection, annotationsSection, configSection, chartsSection, tracesSection, reportHost);
  app.replaceChildren(...parts);

  const runs: LoadedRun[] = await Promise.all(
    entries.map(async (entry) => {
      const data = runDataPaths(entry.experiment, entry.id);
      const [meta, rows, annotations] = await Promise.all([
        fetchJson<RunMeta>(data.meta),
        fetchRunRows(data.rows),
        fetchJson<RunAnnotationsFile>(data.annotations),
      ]);
      return { entry, meta, rows, annotations };
    }),
  );
  const rowsList = runs.map((r) => r.rows);
  const experiment = runs[0]!.meta.experiment;
  const metrics = judgeMetrics(rowsList, experiment.metrics);
  const tracesHost = h('div');
  tracesSection.replaceChildren(h('h2', { id: 'cmp-traces-title' }, 'Traces'), tracesHost);
  compareTraces(tracesHost, runs, metrics, defaultJudgeMetric(rowsList, experiment));
  document.body.dataset.compareReady = 'table';
  performance.mark('labbook:compare-table'); // aligned traces usable (read by bench/site.bench.ts)

  const annotations = runs.flatMap((r) => r.annotations.entries);
  const comparison = await compareInBackground(
    runs.map((r) => ({ meta: r.meta, rows: r.rows })),
    annotations,
  );
  const evidence = evidencePanel(comparison);
  metricsSection.replaceChildren(
    h('h2', { id: 'cmp-metrics-title' }, 'Metrics'),
    alignmentSummary(comparison),
    ...(evidence ? [evidence] : []),
    metricsTable(comparison),
  );
  annotationsSection.append(
    compareAnnotations(
      runs.map((r) => r.entry.id),
      annotations,
      experiment.annotations ?? { labels: {}, metrics: {} },
    ),
  );
  const judges = compareJudges(
    runs.map((r) => ({
      id: r.entry.id,
      judges: r.annotations.judges,
      runHref: `${basePath()}${paths.run(r.entry.experiment, r.entry.id)}`,
    })),
  );
  if (judges) annotationsSection.append(judges);
  configSection.append(configDiffView(comparison));
  exportHost.replaceChildren(
    exportActions({
      runs,
      comparison,
      annotations,
      toolVersion: app.dataset.toolVersion ?? '',
      charts: () => [...document.querySelectorAll('#cmp-charts figure')],
      reportHost,
    }),
  );
  document.body.dataset.compareReady = 'stats';
  performance.mark('labbook:compare-stats');
  const specs = JSON.parse(app.dataset.charts ?? '{}') as { means: object; deltas: object };
  await renderCompareCharts(byId('cmp-charts'), comparison, specs, app.dataset.vega ?? 'vendor/vega.min.js').catch((error: Error) =>
    showError(byId('cmp-charts'), `charts failed: ${error.message}`),
  );
  document.body.dataset.compareReady = 'charts';
}

function runChips(entries: RunsIndexEntry[]): HTMLElement {
  const ids = entries.map((e) => e.id);
  return h(
    'div',
    { class: 'toolbar', id: 'cmp-runs' },
    ...entries.map((e, i) => {
      const makeBaseline =
        i > 0
          ? h(
              'a',
              { class: 'btn', href: compareUrl([e.id, ...ids.filter((id) => id !== e.id)]), title: 'Compare the others against this run' },
              'make baseline',
            )
          : null;
      return h(
        'span',
        { class: 'card', 'data-run': e.id },
        h('strong', null, `${LETTERS[i]} `),
        h('a', { href: `${basePath()}${paths.run(e.experiment, e.id)}` }, e.name),
        ' ',
        h('span', { class: 'faint mono' }, e.id),
        ' ',
        i === 0 ? h('span', { class: 'badge' }, 'baseline') : makeBaseline,
      );
    }),
  );
}

/** Every run of the site by experiment, newest first, with checkboxes; keeps the current order. */
function runPicker(index: RunsIndex, current: RunsIndexEntry[]): HTMLDetailsElement {
  const chosen = current.map((e) => e.id);
  const button = h('a', { class: 'btn primary', id: 'cmp-apply', href: compareUrl(chosen) }, 'Compare');
  const sync = () => {
    button.href = compareUrl(chosen);
    button.setAttribute('aria-disabled', String(chosen.length < 2 || chosen.length > MAX_RUNS));
    button.textContent =
      chosen.length > MAX_RUNS ? `Pick at most ${MAX_RUNS}` : chosen.length < 2 ? 'Pick 2 to 4 runs' : `Compare ${chosen.length} runs`;
  };
  button.addEventListener('click', (event) => {
    if (button.getAttribute('aria-disabled') === 'true') event.preventDefault();
  });
  const byExperiment = new Map<string, RunsIndexEntry[]>();
  for (const run of index.runs) byExperiment.set(run.experiment, [...(byExperiment.get(run.experiment) ?? []), run]);
  const groups = [...byExperiment].map(([experiment, runs]) =>
    h(
      'fieldset',
      null,
      h('legend', null, experiment),
      ...[...runs].reverse().map((run) => {
        const box = h('input', { type: 'checkbox', value: run.id, checked: chosen.includes(run.id) });
        box.addEventListener('change', () => {
          if (box.checked) chosen.push(run.id);
          else chosen.splice(chosen.indexOf(run.id), 1);
          sync();
        });
        return h(
          'label',
          { class: 'nowrap' },
          box,
          ` ${run.name} `,
          h('span', { class: 'faint' }, `${formatDate(run.createdAt)} · ${run.traces} traces`),
          h('br'),
        );
      }),
    ),
  );
  sync();
  return h(
    'details',
    { class: 'section', id: 'cmp-picker' },
    h('summary', null, 'Choose runs'),
    h('div', { class: 'run-picker' }, ...groups),
    button,
  );
}
