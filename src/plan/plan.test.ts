import { describe, expect, it } from 'vitest';
import { evalPlanSchema } from '../../schemas/eval-plan.ts';
import { makeExperiment, makeRun } from '../compare/__fixtures__/make-runs.ts';
import { compareRecordsFromTraces } from '../compare/compare-record.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { FileFormatError } from '../errors/index.ts';
import { minimumDetectableEffect } from '../stats/power.ts';
import { applyPlan } from '../compare/apply-plan.ts';
import { parsePlan } from './parse-plan.ts';
import type { RecordedPlan } from './plan-context.ts';

const recorded = (yaml: string, digest: string, committed = true): RecordedPlan => ({
  plan: parsePlan(yaml, 'plan.yaml'),
  digest,
  path: 'experiments/exp/plan.yaml',
  committed,
});
/** 80 examples; `shift` lowers the candidate's pass rate by turning every k-th pass into a fail. */
const rows = (failEvery: number | null, n = 80) =>
  Array.from({ length: n }, (_, i) => ({
    example: `e${i}`,
    scores: { correct: i % 4 !== 0 && !(failEvery !== null && i % failEvery === 1), quality: ((i * 37) % 11) / 10 },
  }));

describe('parsePlan', () => {
  it('names the file, the line and the field of a bad value', () => {
    const text = 'alpha: 0.05\nmetrics:\n  - name: correct\n    margin: 0.03\n  - name: quality\n    margin: -1\n';
    const error = (() => {
      try {
        parsePlan(text, 'experiments/qa/plan.yaml');
      } catch (e) {
        return e as FileFormatError;
      }
    })();
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error!.message).toMatch(/^experiments\/qa\/plan\.yaml:6: metrics\.1\.margin: .*(>0|positive|greater)/i);
  });

  it('refuses unknown keys, a metric listed twice, a metric with nothing to check, and invalid YAML with its line', () => {
    expect(() => parsePlan('metrics:\n  - name: c\n    margin: 0.1\nalfa: 0.1\n', 'p.yaml')).toThrow(/p\.yaml.*alfa|Unrecognized key/);
    expect(() => parsePlan('metrics:\n  - name: c\n    margin: 0.1\n  - name: c\n    mde: 0.1\n', 'p.yaml')).toThrow(
      /p\.yaml:4: metrics\.1\.name: "c" is listed twice/,
    );
    expect(() => parsePlan('metrics:\n  - name: c\n', 'p.yaml')).toThrow(/needs a margin or an mde/);
    expect(() => parsePlan('metrics: [\n', 'p.yaml')).toThrow(/^p\.yaml:2:\d+: invalid YAML/);
    expect(evalPlanSchema.parse({ metrics: [{ name: 'c', mde: 0.03 }] })).toMatchObject({ alpha: 0.05, power: 0.8 });
  });
});

describe('a comparison under a plan', () => {
  const experiment = makeExperiment({
    metrics: [
      { name: 'correct', direction: 'higher', kind: 'boolean', margin: 0.5 },
      { name: 'quality', direction: 'higher', kind: 'number', margin: 0.9 },
    ],
  });
  const runs = [makeRun('base', rows(null)), makeRun('cand', rows(9))];
  const options = { resamples: 500, seed: 3 };

  it("uses the plan's margin over experiment.yaml's, keeps experiment.yaml's for metrics the plan leaves out, and says where each came from", () => {
    const plan = recorded('metrics:\n  - name: correct\n    margin: 0.02\n', 'sha256:aaa');
    const c = compareRuns(applyPlan({ runs, experiment, options }, [plan, plan]));
    const correct = c.metrics.find((m) => m.name === 'correct')!.deltas[0]!;
    const quality = c.metrics.find((m) => m.name === 'quality')!.deltas[0]!;
    expect(correct.nonInferiority?.margin).toBe(0.02);
    expect(quality.nonInferiority?.margin).toBe(0.9);
    expect(c.plan).toMatchObject({
      digest: 'sha256:aaa',
      run: 'cand',
      baseline: 'same',
      alpha: 0.05,
      metrics: [{ name: 'correct', margin: 0.02, marginFrom: 'plan' }],
    });
    expect(c.plan!.flags.filter((f) => f.kind === 'plan-changed')).toEqual([]);
  });

  it('takes alpha from the plan: verdicts at alpha and intervals at 1 − alpha', () => {
    const loose = recorded('alpha: 0.2\nmetrics:\n  - name: correct\n    margin: 0.02\n', 'sha256:bbb');
    const c = compareRuns(applyPlan({ runs, experiment, options }, [loose, loose]));
    const strict = compareRuns({ runs, experiment, options });
    expect(c.settings).toMatchObject({ alpha: 0.2, confidence: 0.8 });
    const width = (x: typeof c) => x.metrics[0]!.runs[0]!.ci![1] - x.metrics[0]!.runs[0]!.ci![0];
    expect(width(c)).toBeLessThan(width(strict));
  });

  it('flags a plan that changed after the baseline, and a baseline made before any plan', () => {
    const before = recorded('metrics:\n  - name: correct\n    margin: 0.1\n', 'sha256:old');
    const after = recorded('metrics:\n  - name: correct\n    margin: 0.3\n', 'sha256:new');
    const changed = compareRuns(applyPlan({ runs, experiment, options }, [before, after]));
    expect(changed.plan!.baseline).toBe('changed');
    expect(changed.plan!.flags[0]).toMatchObject({ kind: 'plan-changed' });
    expect(changed.plan!.flags[0]!.message).toMatch(/the plan changed after the baseline: base ran under plan old, cand under new/);
    const none = compareRuns(applyPlan({ runs, experiment, options }, [null, after]));
    expect(none.plan!.baseline).toBe('none');
    expect(none.plan!.flags[0]!.message).toMatch(/the baseline base recorded no plan/);
    expect(compareRuns(applyPlan({ runs, experiment, options }, [null, null])).plan).toBeUndefined();
  });

  it('flags a sample below the plan: its sampleSize, or the examples its mde needs from the observed spread', () => {
    const big = recorded('sampleSize: 200\nmetrics:\n  - name: correct\n    margin: 0.3\n', 'sha256:s');
    const c = compareRuns(applyPlan({ runs, experiment, options }, [big, big]));
    expect(c.plan!.samples[0]).toEqual({ metric: 'correct', run: 'cand', n: 80, needed: 200, basis: 'sampleSize', enough: false });
    expect(c.plan!.flags.find((f) => f.kind === 'sample-below-plan')!.message).toBe(
      'correct: 80 paired examples, below what the plan needs: the plan asks for a sample size of 200',
    );

    const fine = recorded('metrics:\n  - name: quality\n    mde: 0.001\n', 'sha256:m');
    const m = compareRuns(applyPlan({ runs, experiment, options }, [fine, fine]));
    const sample = m.plan!.samples[0]!;
    expect(sample).toMatchObject({ metric: 'quality', basis: 'mde', enough: true });
    // The candidate's quality equals the baseline's: zero spread, any effect is detectable with 2 pairs.
    expect(sample.needed).toBe(2);
    const coarse = recorded('metrics:\n  - name: correct\n    mde: 0.01\n', 'sha256:c');
    const k = compareRuns(applyPlan({ runs, experiment, options }, [coarse, coarse]));
    const s = k.plan!.samples[0]!;
    expect(s.basis).toBe('mde');
    expect(s.enough).toBe(false);
    // Cross-check against the formula: at `needed` pairs the MDE reaches 0.01, at one fewer it does not.
    const delta = k.metrics[0]!.deltas[0]!;
    const sd = (delta.minDetectable! * Math.sqrt(80)) / (minimumDetectableEffect(1, 80)! * Math.sqrt(80));
    expect(minimumDetectableEffect(sd, s.needed!)!).toBeLessThanOrEqual(0.01 + 1e-12);
    expect(minimumDetectableEffect(sd, s.needed! - 1)!).toBeGreaterThan(0.01);
  });

  it('flags runs with fewer trials than planned, a plan metric no run has, and an uncommitted plan', () => {
    const plan = recorded(
      'trials: 3\nmetrics:\n  - name: correct\n    margin: 0.3\n  - name: helpful\n    margin: 0.1\n',
      'sha256:t',
      false,
    );
    const c = compareRuns(applyPlan({ runs, experiment, options }, [plan, plan]));
    const kinds = c.plan!.flags.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['trials-below-plan', 'metric-not-compared', 'plan-uncommitted']));
    expect(c.plan!.flags.find((f) => f.kind === 'trials-below-plan')!.message).toBe('base made 1 trial per example; the plan asks for 3');
  });

  it('changes nothing but adds its review when it only restates the defaults and experiment.yaml', () => {
    const same = recorded('metrics:\n  - name: correct\n    margin: 0.5\n', 'sha256:d');
    const planned = compareRuns(applyPlan({ runs, experiment, options }, [same, same]));
    const plain = compareRuns({ runs, experiment, options });
    const { plan, ...rest } = planned;
    expect(plan).toBeDefined();
    expect(JSON.stringify(rest)).toBe(JSON.stringify(plain));
  });

  it("uses the plan's cluster key over experiment.yaml's", () => {
    const traces = runs.map((r) => r.traces.map((t, i) => ({ ...t, metadata: { doc: `d${i % 10}` } })));
    // Built as labbook compare builds them under experiment.yaml, which has no cluster key.
    const clustered = runs.map((r, i) => ({ ...r, records: compareRecordsFromTraces(traces[i]!, experiment.cluster) }));
    const plan = recorded('cluster: metadata.doc\nmetrics:\n  - name: correct\n    margin: 0.3\n', 'sha256:k');
    const keys: Array<string | undefined> = [];
    const rebuild = (i: number, key: string | undefined) => (keys.push(key), compareRecordsFromTraces(traces[i]!, key));
    const c = compareRuns(applyPlan({ runs: clustered, experiment, options }, [plan, plan], rebuild));
    expect(keys).toEqual(['metadata.doc', 'metadata.doc']);
    expect(c.settings.clusters).toMatchObject({ key: 'metadata.doc', clusters: 10 });
    expect(c.plan!.cluster).toBe('metadata.doc');
    // Records kept as built carry no value at the plan's key: every example is its own cluster.
    const unbuilt = compareRuns(applyPlan({ runs: clustered, experiment, options }, [plan, plan]));
    expect(unbuilt.settings.clusters).toMatchObject({ key: 'metadata.doc', clusters: 80 });
  });
});
