import type { Comparison } from '#lib/compare/comparison.ts';
import { nameRunsIn } from '#lib/compare/render-comparison-compact.ts';
import { evidenceSummary } from '#lib/compare/evidence-summary.ts';
import { h } from './dom.ts';
import { LETTERS } from './compare-metrics.ts';

const GATE_CLASS = { pass: 'better', fail: 'worse', indeterminate: 'warn' } as const;

/**
 * How far the comparison can be trusted, above its table: the cluster key with the number of
 * clusters and the largest design effect, trials per example of each run, the non-inferiority
 * gate's answer with each margin and reason, and the eval plan with its flags (a plan changed
 * after the baseline, a sample below what the plan needs). Nothing when there is nothing to say.
 */
export function evidencePanel(c: Comparison): HTMLElement | null {
  const s = evidenceSummary(c);
  const items: HTMLElement[] = [];
  if (s.clusters) {
    items.push(
      h(
        'li',
        { id: 'cmp-clusters' },
        h('strong', null, 'Clusters: '),
        `${s.clusters.clusters} on `,
        h('code', null, s.clusters.key),
        s.clusters.maxDesignEffect !== null
          ? ` · largest design effect ${fmt(s.clusters.maxDesignEffect)} (intervals widened by √deff)`
          : '',
        s.clusters.missing ? ` · ${s.clusters.missing} examples without a value, each its own cluster` : '',
      ),
    );
  }
  if (s.trials.some((t) => t.k !== 1)) {
    items.push(
      h(
        'li',
        { id: 'cmp-trials' },
        h('strong', null, 'Trials per example: '),
        s.trials
          .map(
            (t, i) =>
              `${LETTERS[i]} ${fmt(t.k)}${t.withinShare !== null ? ` (${Math.round(t.withinShare * 100)}% of the variance within examples)` : ''}`,
          )
          .join(' · '),
      ),
    );
  }
  if (s.gate) {
    items.push(
      h(
        'li',
        { id: 'cmp-gate' },
        h('strong', null, 'Non-inferiority gate: '),
        h('span', { class: `badge verdict ${GATE_CLASS[s.gate]}` }, s.gate),
        h(
          'ul',
          null,
          ...s.gates.map((g) =>
            h(
              'li',
              { 'data-metric': g.metric },
              h('span', { class: `badge verdict ${GATE_CLASS[g.decision]}` }, g.decision),
              ` ${g.metric} ${letter(c, g.run)} vs ${letter(c, g.vs)} · margin ${g.margin}${g.marginFrom ? ` (from ${g.marginFrom === 'plan' ? 'the plan' : 'experiment.yaml'})` : ''}: ${g.reason}`,
            ),
          ),
        ),
      ),
    );
  }
  if (s.plan) {
    items.push(
      h(
        'li',
        { id: 'cmp-plan' },
        h('strong', null, 'Eval plan: '),
        s.plan.text,
        s.plan.flags.length > 0
          ? h(
              'ul',
              { class: 'plan-flags' },
              ...s.plan.flags.map((f) =>
                h('li', { class: 'notice' }, h('span', { class: 'badge verdict warn' }, 'check'), ` ${nameRunsIn(f, c)}`),
              ),
            )
          : null,
      ),
    );
  }
  if (items.length === 0) return null;
  return h('ul', { class: 'evidence', id: 'cmp-evidence' }, ...items);
}

function letter(c: Comparison, id: string): string {
  return LETTERS[c.runs.findIndex((r) => r.id === id)] ?? '?';
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}
