import type { Comparison } from './comparison.ts';

/** One delta's non-inferiority answer, for any page: which run, the margin, the answer and why. */
interface GateEntry {
  metric: string;
  run: string;
  vs: string;
  decision: 'pass' | 'fail' | 'indeterminate';
  margin: number;
  /** `plan` or `experiment.yaml` (null when the comparison has no plan to tell). */
  marginFrom: 'plan' | 'experiment.yaml' | null;
  reason: string;
  examplesNeeded: number | null;
}

/**
 * What a reviewer needs to trust a comparison beyond its numbers, in one shape for the site's
 * compare page, the PDF report and `labbook compare`: how examples were grouped (cluster key,
 * clusters, the largest design effect), how many trials each run made per example, every
 * non-inferiority answer with its margin, and the eval plan with its flags.
 */
interface EvidenceSummary {
  clusters: { key: string; clusters: number; missing: number; maxDesignEffect: number | null } | null;
  /** Runs in comparison order: mean trials per example (1 for a run of single trials). */
  trials: Array<{ run: string; k: number; withinShare: number | null }>;
  gates: GateEntry[];
  /** `pass` / `fail` / `indeterminate` over every gate (the worst wins), null without a margin. */
  gate: GateEntry['decision'] | null;
  plan: { text: string; flags: string[] } | null;
}

export function evidenceSummary(c: Comparison): EvidenceSummary {
  const cl = c.settings.clusters;
  let maxDeff: number | null = null;
  for (const m of c.metrics) {
    for (const x of [...m.runs.map((r) => r.designEffect), ...m.deltas.map((d) => d.designEffect)]) {
      if (typeof x === 'number' && Number.isFinite(x) && (maxDeff === null || x > maxDeff)) maxDeff = x;
    }
  }
  const trials = c.runs.map((run, i) => {
    for (const m of c.metrics) {
      const t = m.runs.find((r) => r.run === run.id)?.trials;
      if (t) return { run: run.id, k: t.k, withinShare: t.withinShare };
    }
    return { run: run.id, k: c.alignment.runs[i]?.trials ?? 1, withinShare: null };
  });
  const gates: GateEntry[] = c.metrics.flatMap((m) =>
    m.deltas.flatMap((d) => {
      const g = d.nonInferiority;
      if (!g) return [];
      const planned = c.plan?.metrics.find((p) => p.name === m.name);
      const marginFrom = c.plan ? (planned?.marginFrom === 'plan' ? 'plan' : 'experiment.yaml') : null;
      return [
        {
          metric: m.name,
          run: d.run,
          vs: d.vs,
          decision: g.decision,
          margin: g.margin,
          marginFrom,
          reason: g.reason,
          examplesNeeded: g.examplesNeeded,
        },
      ];
    }),
  );
  const gate =
    gates.length === 0
      ? null
      : gates.some((g) => g.decision === 'fail')
        ? 'fail'
        : gates.some((g) => g.decision === 'indeterminate')
          ? 'indeterminate'
          : 'pass';
  return {
    clusters: cl ? { key: cl.key, clusters: cl.clusters, missing: cl.missing, maxDesignEffect: maxDeff } : null,
    trials,
    gates,
    gate,
    plan: planSummary(c),
  };
}

/** The plan a comparison was held to in one line, and its flags (changed after the baseline, sample below the plan…). */
export function planSummary(c: Comparison): { text: string; flags: string[] } | null {
  const plan = c.plan;
  if (!plan) return null;
  const digest = plan.digest.replace(/^sha256:/, '').slice(0, 12);
  const parts = [
    `${plan.path} (${digest}${plan.committed ? '' : ', not committed'}, from ${plan.run})`,
    `α ${plan.alpha}`,
    ...(plan.sampleSize !== null ? [`sample size ${plan.sampleSize}`] : []),
    ...(plan.cluster !== null ? [`cluster key ${plan.cluster}`] : []),
    ...(plan.trials !== null ? [`${plan.trials} trials per example`] : []),
    ...plan.metrics.map(
      (m) =>
        `${m.name}: ${[m.margin !== null ? `margin ${m.margin}${m.marginFrom === 'experiment.yaml' ? ' (experiment.yaml)' : ''}` : null, m.mde !== null ? `mde ${m.mde}` : null].filter(Boolean).join(', ')}`,
    ),
    plan.baseline === 'same'
      ? 'the baseline ran under the same plan'
      : plan.baseline === 'changed'
        ? 'the baseline ran under another plan'
        : 'the baseline recorded no plan',
  ];
  return { text: parts.join(' · '), flags: plan.flags.map((f) => f.message) };
}

/** Plain-text lines of the summary, for `labbook compare` after its table (nothing when there is nothing to say). */
export function evidenceLines(c: Comparison): string[] {
  const s = evidenceSummary(c);
  const lines: string[] = [];
  if (s.clusters)
    lines.push(
      `clusters: ${s.clusters.clusters} on ${s.clusters.key}${s.clusters.missing ? ` (${s.clusters.missing} examples without one)` : ''}${s.clusters.maxDesignEffect !== null ? `, largest design effect ${round(s.clusters.maxDesignEffect)}` : ''}`,
    );
  if (s.trials.some((t) => t.k !== 1))
    lines.push(
      `trials per example: ${s.trials.map((t) => `${nameOf(c, t.run)} ${round(t.k)}${t.withinShare !== null ? ` (within-example share ${Math.round(t.withinShare * 100)}%)` : ''}`).join(', ')}`,
    );
  if (s.gate)
    lines.push(`gate: ${s.gate} (non-inferiority, the worst answer over ${s.gates.length} margin${s.gates.length > 1 ? 's' : ''})`);
  if (s.plan) {
    lines.push(`eval plan: ${s.plan.text}`);
    for (const flag of s.plan.flags) lines.push(`  ! ${flag}`);
  }
  return lines;
}

function nameOf(c: Comparison, id: string): string {
  return c.runs.find((r) => r.id === id)?.name ?? id;
}

function round(x: number): string {
  return String(Number(x.toPrecision(3)));
}
