import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../../schemas/metrics.ts';
import type { RunManifest } from '../../../schemas/run-manifest.ts';
import type { Comparison } from '../../../src/compare/comparison.ts';
import { createRenderer } from '../../../src/render/environment.ts';
import { markdownCell } from '../../../src/render/markdown.ts';
import { deltaInUnit, inUnit } from './format.ts';
import { buildRunReport, findRegressions } from './run-report.ts';
import { siteLinks } from './site-links.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { judgesPerRun } from '../../../src/compare/judges-per-run.ts';

const emptyDistribution = { count: 0, mean: null, min: null, p50: null, p90: null, p95: null, p99: null, max: null };
const metrics: RunMetrics = {
  schemaVersion: 1,
  traces: { count: 3, errors: 0, errorRate: 0, spans: 3 },
  scores: {
    correct: {
      kind: 'boolean',
      count: 3,
      errors: 0,
      mean: 2 / 3,
      std: 0.5,
      ci: [0.2, 0.9],
      ciMethod: 'wilson',
      min: 0,
      p50: 1,
      p90: 1,
      p95: 1,
      max: 1,
    },
  },
  latencyMs: { ...emptyDistribution, count: 3, p50: 12, p95: 30 },
  tokens: { input: 0, output: 0, total: 0, cached: 0, perTrace: emptyDistribution, simulated: false },
  cost: { total: 0, perTrace: emptyDistribution },
  byType: {},
  byModel: {},
  byTool: {},
};

function manifest(id: string, overrides: Partial<RunManifest> = {}): RunManifest {
  return {
    schemaVersion: 1,
    id,
    experiment: 'demo',
    name: 'baseline',
    status: 'completed',
    createdAt: '2026-01-01T00:00:00.000Z',
    source: {
      kind: 'ci',
      provider: 'github',
      serverUrl: 'https://github.com',
      repository: 'o/r',
      workflow: 'evaluate',
      workflowRunId: '1',
      workflowRunAttempt: '1',
      job: 'j',
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      actor: 'x',
      event: 'push',
      runUrl: 'https://github.com/o/r/actions/runs/1/attempts/1',
    },
    code: { commit: 'b'.repeat(40), branch: 'main', dirty: false },
    config: { path: 'c/baseline.yaml', name: 'baseline', digest: `sha256:${'0'.repeat(64)}` },
    dataset: null,
    counts: { traces: 3, errors: 0, spans: 3, scores: 3 },
    tool: { name: 'labbook', version: '0' },
    files: {},
    ...overrides,
  };
}

const comparison = {
  metrics: [
    {
      name: 'correct',
      source: 'score',
      kind: 'boolean',
      direction: 'higher',
      primary: true,
      minEffect: null,
      n: 3,
      warnings: [],
      runs: [
        { run: 'base', mean: 0.9, ci: [0.8, 0.95], ciMethod: 'wilson', missing: 0 },
        { run: 'new', mean: 0.6, ci: [0.5, 0.7], ciMethod: 'wilson', missing: 0 },
      ],
      deltas: [
        {
          run: 'new',
          vs: 'base',
          delta: -0.3,
          ci: [-0.4, -0.2],
          test: 'mcnemar-exact',
          statistic: 1,
          pValue: 0.001,
          pAdjusted: 0.002,
          verdict: 'worse',
          minDetectable: 0.1,
        },
      ],
    },
    {
      name: 'latencyMs',
      source: 'latency',
      kind: 'number',
      direction: 'lower',
      primary: false,
      minEffect: null,
      n: 3,
      warnings: [],
      runs: [
        { run: 'base', mean: 100, ci: [90, 110], ciMethod: 't', missing: 0 },
        { run: 'new', mean: 95, ci: [85, 105], ciMethod: 't', missing: 0 },
      ],
      deltas: [
        {
          run: 'new',
          vs: 'base',
          delta: -5,
          ci: [-12, 2],
          test: 'wilcoxon-exact',
          statistic: 1,
          pValue: 0.3,
          pAdjusted: 0.3,
          verdict: 'no detectable difference',
          minDetectable: 8,
        },
      ],
    },
  ],
  alignment: { key: 'exampleId', examples: 3, matched: 3, runs: [] },
  warnings: [],
} as unknown as Comparison;

describe('the run report', () => {
  const renderer = createRenderer();
  const hostile = manifest('new', {
    name: '<img src=x onerror=alert(1)> | pipes',
    status: 'failed',
    statusReason: 'the command exited with code 1: <script>alert(2)</script>',
  });
  const view = buildRunReport({
    manifest: hostile,
    metrics,
    baseline: { kind: 'found', manifest: manifest('base'), why: 'the latest completed CI run of baseline on main' },
    comparison,
    publish: { kind: 'pushed', branch: 'labbook-data', commit: 'c'.repeat(40), attempts: 2 },
    links: siteLinks('https://o.github.io/r'),
    repositoryUrl: 'https://github.com/o/r',
    warnings: ['a warning with | a pipe\nand a newline'],
  });

  it('turns the compare engine verdicts into rows and regressions', () => {
    expect(view.metrics).toEqual([
      {
        name: 'correct (primary) · higher is better',
        value: '60.0% [50.0%, 70.0%]',
        baseline: '90.0% [80.0%, 95.0%]',
        delta: '-30.0 pp [-40.0 pp, -20.0 pp]',
        verdict: '🔴 worse',
      },
      {
        name: 'latency (ms) · lower is better',
        value: '95 ms [85 ms, 105 ms]',
        baseline: '100 ms [90 ms, 110 ms]',
        delta: '-5 ms [-12 ms, +2 ms]',
        verdict: '⚪ no detectable difference',
      },
    ]);
    expect(view.regressions).toEqual([{ text: 'correct: 90.0% → 60.0% (-30.0 pp, 95% CI [-40.0 pp, -20.0 pp], adjusted p = 0.002)' }]);
    expect(findRegressions(comparison, 'new').map((r) => r.metric)).toEqual(['correct']);
    // A regression is named as the table names it ("latency (ms)", not the metric's key), and a cost in decimals.
    const slower = structuredClone(comparison);
    Object.assign(slower.metrics[1]!.deltas[0]!, { delta: 5, ci: [2, 8], pAdjusted: 0.01, verdict: 'worse' });
    const regressed = buildRunReport({
      manifest: manifest('new'),
      metrics,
      baseline: { kind: 'found', manifest: manifest('base'), why: 'the latest completed CI run of baseline on main' },
      comparison: slower,
      publish: { kind: 'pushed', branch: 'labbook-data', commit: 'c'.repeat(40), attempts: 1 },
      links: siteLinks('https://o.github.io/r'),
      repositoryUrl: 'https://github.com/o/r',
      warnings: [],
    });
    expect(regressed.regressions.map((r) => r.text)).toContain(
      'latency (ms): 100 ms → 95 ms (+5 ms, 95% CI [+2 ms, +8 ms], adjusted p = 0.010)',
    );
    expect(findRegressions(slower, 'new').map((r) => r.metric)).toEqual(['correct', 'latencyMs']); // the output keeps the key
    expect(view.run.link).toBe('https://o.github.io/r/experiments/demo/runs/new/');
    expect(view.compareLink).toBe('https://o.github.io/r/compare/?runs=base,new');
    expect(view.publish.text).toBe(`pushed to labbook-data as ccccccc (after 2 attempts)`);
  });

  it('says first that nothing was compared when the run shares no example with its baseline', () => {
    const disjoint = {
      ...comparison,
      alignment: {
        key: 'inputHash',
        examples: 6,
        matched: 0,
        runs: [
          { run: 'base', traces: 3, examples: 3, onlyIn: [], missing: 3, duplicates: [] },
          { run: 'new', traces: 3, examples: 3, onlyIn: [], missing: 3, duplicates: [] },
        ],
      },
    } as unknown as Comparison;
    const alone = buildRunReport({
      manifest: manifest('new'),
      metrics,
      baseline: { kind: 'found', manifest: manifest('base'), why: 'the latest run' },
      comparison: disjoint,
      publish: { kind: 'skipped', reason: 'test' },
      links: siteLinks('https://o.github.io/r'),
      repositoryUrl: 'https://github.com/o/r',
      warnings: [],
    });
    expect(alone.noSharedExample).toBe('the runs share no example: nothing can be paired (base: 3, new: 3 examples)');
    const text = renderer.render('pr-comment.njk', { view: alone });
    expect(text).toContain('**Nothing was compared**: the runs share no example');
    expect(text.indexOf('Nothing was compared')).toBeLessThan(text.indexOf('| Metric |'));
    expect(view.noSharedExample).toBeNull();
  });

  it('renders both templates with every value escaped and the tables intact', () => {
    for (const template of ['job-summary.njk', 'pr-comment.njk']) {
      const text = renderer.render(template, { view });
      expect(text).not.toContain('<img');
      expect(text).not.toContain('<script>');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(text).toContain('- a warning with | a pipe and a newline');
      expect(text).toContain(
        '| correct (primary) · higher is better | 60.0% [50.0%, 70.0%] | 90.0% [80.0%, 95.0%] | -30.0 pp [-40.0 pp, -20.0 pp] | 🔴 worse |',
      );
    }
    expect(renderer.render('pr-comment.njk', { view }).startsWith('<!-- labbook:demo:baseline -->\n')).toBe(true);
  });

  it("sets each automated judge beside the people's annotations, with hostile names escaped", () => {
    // The baseline's judge labelled 6 traces; people agree on 4 of them (t4 and t5 differ).
    const judged = ['ok', 'ok', 'bad', 'bad', 'ok', 'bad'];
    const people = ['ok', 'ok', 'bad', 'bad', 'bad', 'ok'];
    const traces = judged.map((value, i) => ({
      id: `t${i}`,
      scores: [{ name: 'verdict', value, source: 'llm_judge' as const, evaluator: 'gpt | <b>judge</b>' }],
    })) as unknown as Trace[];
    const annotations = people.map((value, i) => ({
      run: 'base',
      trace: `t${i}`,
      name: 'verdict',
      value,
      author: 'ada',
      at: '2026-01-01T00:00:00Z',
    }));
    const judges = judgesPerRun(['base', 'new'], [traces, []], annotations, { labels: {}, metrics: {} });
    const withJudges = buildRunReport({
      manifest: manifest('new'),
      metrics,
      baseline: { kind: 'found', manifest: manifest('base'), why: 'the latest completed CI run of baseline on main' },
      comparison,
      publish: { kind: 'pushed', branch: 'labbook-data', commit: 'c'.repeat(40), attempts: 1 },
      links: siteLinks(null),
      repositoryUrl: 'https://github.com/o/r',
      warnings: [],
      judges,
    });
    // p_o = 4/6; each side says ok half the time, p_e = 1/2: κ = 1/3.
    expect(withJudges.judges).toEqual([
      {
        run: 'baseline',
        name: 'verdict',
        judge: 'gpt | <b>judge</b>',
        n: '6',
        agreement: expect.stringMatching(/^κ 0\.33 \[/),
        bias: '67% same label',
        disagreements: '2',
      },
    ]);
    for (const template of ['job-summary.njk', 'pr-comment.njk']) {
      const text = renderer.render(template, { view: withJudges });
      expect(text).toContain('**Judges and people**');
      expect(text).toMatch(
        /\| baseline \| verdict \| gpt \\\| &lt;b&gt;judge&lt;\/b&gt; \| 6 \| κ 0\.33 \[[^|]*\] \| 67% same label \| 2 \|/,
      );
    }
    // Nothing to say where no judge has people beside it.
    expect(view.judges).toBeNull();
    expect(renderer.render('pr-comment.njk', { view })).not.toContain('Judges and people');
  });

  it('shows the run alone when there is no baseline', () => {
    const alone = buildRunReport({
      manifest: manifest('new'),
      metrics: {
        ...metrics,
        scores: { ...metrics.scores, 'odd | <b>name</b>': { kind: 'label', count: 3, errors: 0, counts: { 'a|b': 3 } } },
      },
      baseline: { kind: 'none', reason: 'no completed CI run of baseline on main yet' },
      comparison: null,
      publish: { kind: 'skipped', reason: 'pull requests from forks have a read-only token' },
      links: siteLinks(null),
      repositoryUrl: 'https://github.com/o/r',
      warnings: [],
    });
    const text = renderer.render('job-summary.njk', { view: alone });
    expect(text).toContain('No baseline: no completed CI run of baseline on main yet.');
    expect(text).toContain('| correct | 66.7% [20.0%, 90.0%] |');
    expect(text).toContain('| odd \\| &lt;b&gt;name&lt;/b&gt; | a\\|b: 3 |');
    expect(text).toContain('run `new`');
    expect(text).toContain('ℹ️ Data: not pushed: pull requests from forks have a read-only token');
  });
});

describe('formats', () => {
  it('keeps three significant digits and escapes table cells', () => {
    expect([0, 0.012345, 12.345, 1234.5, -0.5].map((value) => inUnit(value, 'plain'))).toEqual(['0', '0.0123', '12.3', '1,235', '-0.5']);
    expect(deltaInUnit(0.0234, 'rate')).toBe('+2.3 pp');
    expect(markdownCell('a|b\n c\\d <i>')).toBe('a\\|b c\\\\d &lt;i&gt;');
  });

  it('shows each non-inferiority answer with its reason in both templates', () => {
    const gated = structuredClone(comparison);
    const latency = gated.metrics[1]!.deltas[0]!;
    latency.ci = [-2, 12];
    latency.nonInferiority = { margin: 10, decision: 'indeterminate', reason: '…', examplesNeeded: 40 };
    const n = gated.metrics[1]!.n;
    const expected = `latencyMs: indeterminate, margin 10 ms: the 95% CI of the change [-2 ms, +12 ms] straddles +10 ms: ${n} paired examples cannot tell; about 40 would be needed (from the observed spread)`;
    const renderer = createRenderer();
    const report = (c: typeof gated, gateMode?: 'non-inferiority') =>
      buildRunReport({
        manifest: manifest('new'),
        metrics,
        baseline: { kind: 'found', manifest: manifest('base'), why: 'main' },
        comparison: c,
        publish: { kind: 'pushed', branch: 'labbook-data', commit: 'c'.repeat(40), attempts: 1 },
        links: siteLinks(null),
        repositoryUrl: 'https://github.com/o/r',
        warnings: [],
        gateMode,
      });
    const gates = (c: typeof gated) => report(c).gates;
    expect(gates(gated)).toEqual([{ metric: 'latencyMs', decision: 'indeterminate', icon: '❔', text: expected }]);
    expect(gates(comparison)).toEqual([]);
    const withGate = report(gated, 'non-inferiority');
    for (const template of ['job-summary.njk', 'pr-comment.njk']) {
      const text = renderer.render(template, { view: withGate });
      expect(text).toContain(
        '**Gate (non-inferiority, enforced): ❔ indeterminate: the sample cannot tell for 1 of 1 metric with a margin**',
      );
      expect(text).toContain(`- ❔ ${expected}`);
    }
    // Pass above the margin, fail below it, and a fail by a significant regression inside it.
    latency.ci = [-2, 8];
    latency.nonInferiority = { margin: 10, decision: 'pass', reason: '…', examplesNeeded: null };
    expect(gates(gated)[0]!.text).toBe('latencyMs: pass, margin 10 ms: the 95% CI of the change [-2 ms, +8 ms] lies below +10 ms');
    expect(renderer.render('pr-comment.njk', { view: report(gated) })).toContain(
      '**Gate: ✅ pass: the metric with a margin is no worse than the baseline by more than the margin**',
    );
    latency.ci = [11, 30];
    latency.nonInferiority = { margin: 10, decision: 'fail', reason: '…', examplesNeeded: null };
    expect(gates(gated)[0]!.text).toBe('latencyMs: fail, margin 10 ms: the 95% CI of the change [+11 ms, +30 ms] lies above +10 ms');
    latency.ci = [1, 5];
    latency.delta = 3;
    latency.pAdjusted = 0.004;
    expect(gates(gated)[0]!.text).toBe(
      'latencyMs: fail, margin 10 ms: a significant regression (+3 ms, adjusted p = 0.004), though the 95% CI of the change [+1 ms, +5 ms] reaches past +10 ms',
    );
    expect(renderer.render('pr-comment.njk', { view: { ...withGate, gates: [], gate: null } })).not.toContain('Non-inferiority');
  });
});
