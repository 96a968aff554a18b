import type { JudgesAndPeople } from '#lib/annotations/judges-and-people.ts';
import { judgesSectionView } from '#site/view/judges-view.ts';
import { LETTERS } from './compare-metrics.ts';
import { h } from './dom.ts';

/**
 * The compare page's "Judges and people": each run's automated judges beside its own
 * annotations (written by the data pass into annotations.json), per run letter, with a link to
 * that run's traces where judge and people disagree. Nothing when no run has annotations.
 */
export function compareJudges(
  runs: ReadonlyArray<{ id: string; judges: JudgesAndPeople | undefined; runHref: string }>,
): HTMLElement | null {
  const views = runs.map((r) => judgesSectionView(r.judges));
  if (views.every((v) => !v.show)) return null;
  const rows = views.flatMap((view, i) =>
    view.rows.map((r) =>
      h(
        'tr',
        { 'data-run': runs[i]!.id, 'data-judge': r.judge },
        h('td', { title: runs[i]!.id }, LETTERS[i]!),
        h('td', null, r.name, h('span', { class: 'faint' }, ` ${r.kind}`)),
        h('td', null, r.judge),
        h('td', { class: 'num' }, r.n),
        h('td', { class: 'nowrap' }, r.agreement),
        h('td', { class: 'nowrap' }, r.bias),
        h('td', { class: 'num' }, r.disagreements),
      ),
    ),
  );
  const notes = views.flatMap((view, i) =>
    view.show
      ? [
          h(
            'li',
            null,
            `${LETTERS[i]}: ${view.intro} `,
            view.disagreeing > 0 ? h('a', { href: `${runs[i]!.runHref}?judge-disagree=1#traces` }, 'Show those traces') : null,
          ),
          ...view.notes.map((n) => h('li', null, `${LETTERS[i]}: ${n}`)),
        ]
      : [h('li', null, `${LETTERS[i]}: no annotations.`)],
  );
  return h(
    'div',
    { id: 'cmp-judges' },
    h('h3', null, 'Judges and people'),
    rows.length > 0
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data scores-table whole-words', id: 'compare-judges' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ...['run', 'name', 'judge', 'n', 'agreement (95% CI)', 'bias (judge − people)', 'disagree'].map((t, i) =>
                  h('th', { scope: 'col', class: i === 3 || i === 6 ? 'num' : undefined }, t),
                ),
              ),
            ),
            h('tbody', null, ...rows),
          ),
        )
      : null,
    h('ul', { class: 'muted' }, ...notes),
  );
}
