import type { AnnotationRules } from '#schemas/experiment.ts';
import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import { summarizeAnnotations } from '#lib/annotations/summarize-annotations.ts';
import { nameSummaryText } from '#site/view/annotation-view.ts';
import { agreementText } from '#lib/annotations/agreement-text.ts';
import { LETTERS } from './compare-metrics.ts';
import { h } from './dom.ts';

/**
 * The compare page's Annotations section: per name, each run's label counts or metric mean
 * (as the run pages show them), and how far the people who judged these runs agree with each
 * other (kappa for labels, spread for metrics), over the compared runs together. The metrics
 * table above compares the reduced values with the compare engine, like any score.
 */
export function compareAnnotations(runIds: readonly string[], entries: readonly AnnotationEntry[], rules: AnnotationRules): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted', id: 'cmp-annotations-empty' }, 'No annotations of these runs.');
  const summary = summarizeAnnotations(entries, { runIds, rules });
  const names = [...new Set(summary.runs.flatMap((r) => r.names.map((n) => n.name)))].sort();
  const authors = [...new Set(entries.map((e) => e.author))].sort();
  const rows = names.map((name) => {
    const kind = summary.runs.flatMap((r) => r.names).find((n) => n.name === name)!.kind;
    const disputed = summary.disagreements.filter((d) => d.name === name).length;
    return h(
      'tr',
      { 'data-name': name },
      h('td', null, name, h('span', { class: 'faint' }, ` ${kind}`)),
      ...summary.runs.map((run) => {
        const found = run.names.find((n) => n.name === name);
        return h(
          'td',
          { class: 'sentence' },
          found ? `${nameSummaryText(found)} ` : '—',
          found ? h('span', { class: 'faint' }, `n=${found.traces}`) : null,
        );
      }),
      h('td', { class: 'sentence' }, agreementText(summary.agreement.find((a) => a.name === name))),
      h('td', { class: 'num' }, String(disputed)),
    );
  });
  return h(
    'div',
    null,
    h(
      'p',
      { class: 'muted' },
      `${entries.length} judgements by ${authors.join(', ')}. Annotators disagree on ${new Set(summary.disagreements.map((d) => `${d.run}\u0000${d.trace}`)).size} traces.`,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data scores-table whole-words', id: 'compare-annotations' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'name'),
            ...runIds.map((id, i) => h('th', { scope: 'col', title: id }, LETTERS[i]!)),
            h('th', { scope: 'col' }, 'agreement (these runs)'),
            h('th', { scope: 'col', class: 'num' }, 'disagreements'),
          ),
        ),
        h('tbody', null, ...rows),
      ),
    ),
  );
}
