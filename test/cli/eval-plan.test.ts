import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git, plannedRepository } from '../helpers/planned-experiment.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('an eval plan committed with the experiment', () => {
  const root = tempDir('labbook-plan-');
  const { run } = plannedRepository(root);

  it(
    'records the committed plan, runs its trials, and compares under its margin, alpha and cluster key',
    { timeout: 120_000 },
    async () => {
      const base = await run('base.yaml', 'baseline');
      const cand = await run('cand.yaml', 'candidate');
      const manifest = JSON.parse(readFileSync(join(root, 'experiments', 'qa', 'runs', base, 'run.json'), 'utf8'));
      expect(manifest.plan).toMatchObject({ path: 'experiments/qa/plan.yaml', committed: true });
      expect(readFileSync(join(root, 'experiments', 'qa', 'runs', base, 'plan.yaml'), 'utf8')).toBe(
        git(root, 'show', 'HEAD:experiments/qa/plan.yaml'),
      );
      expect(readFileSync(join(root, 'experiments', 'qa', 'runs', base, 'SHA256SUMS'), 'utf8')).toMatch(/ {1,2}plan\.yaml$/m);

      const json = JSON.parse((await runCli(['compare', base, cand, '--format', 'json'], { cwd: root })).stdout);
      const correct = json.metrics.find((m: { name: string }) => m.name === 'correct');
      expect(json.settings.clusters).toMatchObject({ key: 'metadata.document', clusters: 15 });
      expect(correct.runs[0].trials.k).toBe(3); // the plan's trials, without --trials
      expect(correct.deltas[0].nonInferiority.margin).toBe(0.08); // the plan's, not experiment.yaml's 0.5
      expect(json.plan).toMatchObject({
        baseline: 'same',
        cluster: 'metadata.document',
        trials: 3,
        sampleSize: 60,
        metrics: [{ name: 'correct', margin: 0.08, marginFrom: 'plan' }],
      });
      expect(json.plan.flags).toEqual([]);

      const table = (await runCli(['compare', base, cand], { cwd: root })).stdout;
      expect(table).toMatch(/clusters: 15 on metadata\.document, largest design effect \d/);
      expect(table).toContain('trials per example: baseline 3');
      expect(table).toMatch(/gate: (pass|fail|indeterminate) \(non-inferiority/);
      expect(table).toMatch(
        /eval plan: experiments\/qa\/plan\.yaml \([0-9a-f]{12}, from \S+\) · α 0\.05 · sample size 60 · cluster key metadata\.document · 3 trials per example/,
      );

      // The PDF says the same, read back with poppler.
      const pdf = join(root, 'report.pdf');
      const report = await runCli(['report', '--runs', `${base},${cand}`, '-o', pdf], { cwd: root });
      expect(report.code, report.stderr).toBe(0);
      const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Clusters, trials, gate and plan');
      expect(text).toMatch(/Clusters: 15 on metadata\.document, largest design effect [\d.]+/);
      expect(text).toContain('Trials per example: A 3, B 3');
      expect(text).toMatch(/Non-inferiority gate: (pass|fail|indeterminate)/);
      expect(text).toMatch(/correct, B against A: margin 0\.08 \(from the plan\)\./);
      expect(text).toContain('Eval plan: experiments/qa/plan.yaml');
    },
  );

  it('flags a plan changed after the baseline and a sample below the plan, and plans without --run', { timeout: 120_000 }, async () => {
    writeFileSync(
      join(root, 'experiments', 'qa', 'plan.yaml'),
      'metrics:\n  - name: correct\n    margin: 0.2\ncluster: metadata.document\ntrials: 3\nsampleSize: 400\n',
    );
    commitAll(root, 'a looser plan that asks for more examples');
    const ids = readdirRuns(root);
    const later = await run('cand.yaml', 'candidate-2');
    const json = JSON.parse((await runCli(['compare', ids[0]!, later, '--format', 'json'], { cwd: root })).stdout);
    expect(json.plan.baseline).toBe('changed');
    expect(json.plan.flags.map((f: { kind: string }) => f.kind)).toEqual(['plan-changed', 'sample-below-plan']);
    expect(json.metrics[0].deltas[0].nonInferiority.margin).toBe(0.2);
    const md = (await runCli(['compare', ids[0]!, later, '--format', 'markdown'], { cwd: root })).stdout;
    expect(md).toMatch(/ {2}- ⚠️ the plan changed after the baseline: \S+ ran under plan [0-9a-f]{12}, \S+ under [0-9a-f]{12}/);
    expect(md).toContain('  - ⚠️ correct: 90 paired examples, below what the plan needs: the plan asks for a sample size of 400');
    const pdf = join(root, 'changed.pdf');
    expect((await runCli(['report', '--runs', `${ids[0]},${later}`, '-o', pdf], { cwd: root })).code).toBe(0);
    expect(execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toMatch(
      /⚠ the plan changed after the baseline/,
    );

    // An uncommitted edit: the run records the committed plan and says so.
    writeFileSync(join(root, 'experiments', 'qa', 'plan.yaml'), 'metrics:\n  - name: correct\n    margin: 0.9\n');
    const dirty = await runCli(['run', '--experiment', 'qa', '--config', 'cand.yaml', '--', process.execPath, 'eval.mjs'], { cwd: root });
    expect(dirty.stderr).toContain('note: experiments/qa/plan.yaml has uncommitted changes: the run records the plan committed at');
    git(root, 'checkout', '-q', '--', 'experiments/qa/plan.yaml');

    // labbook plan with no --run: the newest completed run of the only experiment; --write updates plan.yaml.
    const plan = await runCli(['plan', '--metric', 'correct', '--mde', '0.1', '--margin', '0.05'], { cwd: root });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/correct in \S+: 90 examples, sd [\d.]+, design effect [\d.]+ \(cluster key metadata\.document\)/);
    const needed = Number(/examples needed to detect a difference of 0\.1 .*: (\d+)/.exec(plan.stdout)![1]);
    expect(plan.stdout).toContain(`sampleSize: ${Math.max(400, needed)}`);
    expect(plan.stdout).toMatch(/- name: correct\n\s+margin: 0\.05\n\s+mde: 0\.1\n/);
    const written = await runCli(['plan', '--metric', 'correct', '--mde', '0.1', '--write'], { cwd: root });
    expect(written.stdout).toContain('(updated; comments are not kept)');
    // The committed margin (0.2) stays when --margin is not given.
    expect(readFileSync(join(root, 'experiments', 'qa', 'plan.yaml'), 'utf8')).toMatch(
      /- name: correct\n\s+margin: 0\.2\n\s+mde: 0\.1\n[^]*cluster: metadata\.document\ntrials: 3/,
    );
    // validate: the committed plan is checked, and a run's plan edited after the run is caught.
    expect((await runCli(['validate'], { cwd: root })).code).toBe(0);
    const tampered = join(root, 'experiments', 'qa', 'runs', ids[0]!, 'plan.yaml');
    writeFileSync(tampered, readFileSync(tampered, 'utf8').replace('margin: 0.08', 'margin: 0.5'));
    const check = await runCli(['validate'], { cwd: root });
    expect(check.code).not.toBe(0);
    expect(check.stdout + check.stderr).toMatch(/plan\.yaml.*the plan was changed after the run/);
    expect((await runCli(['compare', ids[0]!, later], { cwd: root })).stderr).toMatch(
      /plan\.yaml: its digest sha256:\S+ is not the sha256:\S+ run\.json recorded/,
    );
    // A bad plan stops the next run before anything is recorded, naming the file and line.
    writeFileSync(join(root, 'experiments', 'qa', 'plan.yaml'), 'metrics:\n  - name: correct\n    margin: -1\n');
    commitAll(root, 'a broken plan');
    const bad = await runCli(['run', '--experiment', 'qa', '--config', 'cand.yaml', '--', process.execPath, 'eval.mjs'], { cwd: root });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/experiments\/qa\/plan\.yaml \(at [0-9a-f]{7}\):3: metrics\.0\.margin/);
  });
});

function readdirRuns(root: string): string[] {
  return execFileSync('ls', [join(root, 'experiments', 'qa', 'runs')], { encoding: 'utf8' })
    .trim()
    .split('\n');
}
