import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import type { AnnotateTarget } from '#site/view/annotate-target.ts';
import { formatDate, formatNumber } from '#site/view/format.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import { runDataPaths } from '#site/view/run-meta.ts';
import { openAnnotateForm } from './annotate-dialog.ts';
import { h, showError } from './dom.ts';
import { fetchJson } from './fetch-json.ts';

/** A name's judgements on one trace in a line: `approved 1 · hallucination 1`, or `mean 0.55 of 2`. */
function nameLine(entries: readonly AnnotationEntry[]): string {
  const numbers = entries.filter((e) => typeof e.value === 'number').map((e) => e.value as number);
  if (numbers.length * 2 >= entries.length && numbers.length > 0) {
    const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
    return numbers.length === 1
      ? formatNumber(mean)
      : `mean ${formatNumber(mean)} of ${numbers.length} (${formatNumber(Math.min(...numbers))} – ${formatNumber(Math.max(...numbers))})`;
  }
  const counts = new Map<string, number>();
  for (const e of entries) if (typeof e.value === 'string') counts.set(e.value, (counts.get(e.value) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} ${n}`)
    .join(' · ');
}

/**
 * The trace view's Annotations section: every judgement of this trace with its author, time
 * and note, grouped by name, the names where annotators disagree (or an automated judge and the
 * people do) marked, and the button that
 * opens the "Add metric / label" form. Fills itself once the run's annotations.json arrives.
 */
export function traceAnnotationsSection(target: AnnotateTarget | null, experiment: string, run: string, trace: string): HTMLElement {
  const body = h('div', null, h('p', { class: 'loading' }, 'Loading annotations…'));
  const add = target
    ? h('button', { type: 'button', class: 'btn', id: 'annotate-open', 'aria-keyshortcuts': 'a' }, 'Add metric / label')
    : null;
  add?.addEventListener('click', () => void openAnnotateForm(target!, trace, add));
  const section = h(
    'section',
    { class: 'section annotations', id: 'trace-annotations', 'aria-labelledby': 'trace-annotations-title' },
    h(
      'div',
      { class: 'toolbar' },
      h('h2', { id: 'trace-annotations-title' }, h('span', { class: 'ann-icon', 'aria-hidden': 'true' }), 'Annotations'),
      add,
    ),
    body,
  );
  fetchJson<RunAnnotationsFile>(runDataPaths(experiment, run).annotations)
    .then((file) => body.replaceChildren(annotationList(file, trace)))
    .catch((error: Error) => showError(body, error.message));
  return section;
}

function annotationList(file: RunAnnotationsFile, trace: string): HTMLElement {
  const entries = file.entries.filter((e) => e.trace === trace);
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No annotations of this trace yet.');
  const disputed = new Set(file.disagreements.filter((d) => d.trace === trace).map((d) => d.name));
  // Automated judges whose score of a name here is not what the people said (judges-and-people.ts).
  const judgeDisputes = new Map<string, string[]>();
  for (const d of file.judges?.disputes ?? [])
    if (d.trace === trace) judgeDisputes.set(d.name, [...(judgeDisputes.get(d.name) ?? []), d.judge]);
  const byName = new Map<string, AnnotationEntry[]>();
  for (const e of entries) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  const rows: HTMLElement[] = [];
  for (const [name, list] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const sorted = [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    rows.push(
      h(
        'tr',
        { class: 'ann-name', 'data-name': name },
        h(
          'th',
          { scope: 'rowgroup', colspan: 4 },
          name,
          ' ',
          h('span', { class: 'muted' }, nameLine(sorted)),
          disputed.has(name) ? h('span', { class: 'badge warn' }, 'annotators disagree') : null,
          judgeDisputes.has(name)
            ? h('span', { class: 'badge warn', 'data-judge-dispute': '' }, `judge ${judgeDisputes.get(name)!.join(', ')} disagrees`)
            : null,
        ),
      ),
    );
    for (const e of sorted) {
      rows.push(
        h(
          'tr',
          { class: 'ann-entry', 'data-author': e.author },
          h('td', null, typeof e.value === 'number' ? formatNumber(e.value) : e.value),
          h('td', null, e.author),
          h('td', { class: 'nowrap' }, h('time', { datetime: e.at }, formatDate(e.at))),
          h('td', { class: 'ann-note' }, e.note ?? ''),
        ),
      );
    }
  }
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data scores-table annotations-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'value'),
          h('th', { scope: 'col' }, 'author'),
          h('th', { scope: 'col' }, 'time (UTC)'),
          h('th', { scope: 'col' }, 'note'),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  );
}
