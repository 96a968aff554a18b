import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSource } from '../../schemas/run-manifest.ts';
import { CI_SOURCE, writeRun } from '../../test/helpers/analysis-store.ts';
import { runCli } from '../../test/helpers/run-cli.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { writeDeploymentRecord } from '../deploy/deployment-record.ts';
import { startFakeGithub } from '../../test/github-api/fake-github.ts';
import { validatePath } from '../validate/validate-data.ts';

const ci = (ref: string): RunSource => ({ ...CI_SOURCE, ref }) as RunSource;
const local: RunSource = { kind: 'local', host: 'h', user: 'u' };

/** A data folder whose runs cover every rule of the policy; all but one are months old. */
async function history() {
  const root = tempDir('labbook-gc-');
  writeFileSync(join(root, 'labbook.config.yaml'), 'retention:\n  days: 30\n  keepPerBranch: 1\n  defaultBranch: main\n');
  const dataDir = join(root, 'experiments');
  let variant = 0;
  const run = async (source: RunSource, now?: Date) =>
    (await writeRun(root, dataDir, { variant: variant++, traces: 3, source, ...(now ? { now } : {}) })).id;
  const ids = {
    mainOld: await run(ci('refs/heads/main')),
    mainOlder: await run(ci('refs/heads/main')),
    closedPullOld: await run(ci('refs/pull/7/merge')),
    closedPullNewest: await run(ci('refs/pull/7/merge')),
    openPull: await run(ci('refs/pull/9/merge')),
    featureBranch: await run(ci('refs/heads/feature')),
    localOld: await run(local),
    localDeployed: await run(local),
    localAnnotated: await run(local),
    localNew: await run(local, new Date()),
  };
  await writeDeploymentRecord(dataDir, {
    environment: 'production',
    experiment: 'demo',
    run: ids.localDeployed,
    commit: 'abc',
    configPath: 'x',
    configDigest: `sha256:${'0'.repeat(64)}`,
    actor: 'a',
    at: new Date().toISOString(),
    outcome: 'failure',
    reason: 'local',
    checks: [],
  });
  const annotated = await runCli(
    ['annotate', '--data', dataDir, '--run', ids.localAnnotated, '--trace', 't1', '--label', 'verdict=approved', '--author', 'Ada'],
    { cwd: root },
  );
  expect(annotated.stderr).toBe('');
  return { root, dataDir, ids };
}

describe('labbook gc', () => {
  it('lists what the policy removes, with reasons, and removes nothing without --apply', async () => {
    const { root, dataDir, ids } = await history();
    const dry = await runCli(['gc', '--data', dataDir, '--closed-pulls', '7', '--json'], { cwd: root });
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout) as {
      decisions: Array<{ run: string; action: string; reason: string }>;
      warnings: string[];
      data: { largest: { path: string } };
    };
    const by = Object.fromEntries(report.decisions.map((d) => [d.run, `${d.action}: ${d.reason}`]));
    expect(by[ids.mainOld]).toMatch(/^keep: a run of the default branch main/);
    expect(by[ids.mainOlder]).toMatch(/^keep: a run of the default branch main/);
    expect(by[ids.closedPullNewest]).toMatch(/^keep: among the newest 1 of pull\/7/);
    expect(by[ids.closedPullOld]).toMatch(/^drop: a run of closed pull request #7, older than 30 days/);
    expect(by[ids.openPull]).toMatch(/^keep: among the newest 1 of pull\/9/);
    expect(by[ids.featureBranch]).toMatch(/^keep: among the newest 1 of feature/);
    expect(by[ids.localDeployed]).toBe('keep: named by a deployment record');
    expect(by[ids.localAnnotated]).toBe('keep: annotations or a review queue refer to it');
    expect(by[ids.localNew]).toMatch(/^keep: among the newest 1/);
    expect(by[ids.localOld]).toMatch(/^drop: a local run older than 30 days/);
    expect(report.data.largest.path).toMatch(/^demo\/runs\//);
    for (const id of Object.values(ids)) expect(existsSync(join(dataDir, 'demo', 'runs', id))).toBe(true);

    const text = await runCli(['gc', '--data', dataDir, '--closed-pulls', '7'], { cwd: root });
    expect(text.stdout).toContain(`would remove demo/${ids.localOld}`);
    expect(text.stdout).toMatch(/2 runs to remove \([\d.]+ (?:KiB|MiB)\), 8 kept; nothing removed: this was a dry run/);
  });

  it('--apply removes exactly those runs, and the data still validates', async () => {
    const { root, dataDir, ids } = await history();
    const applied = await runCli(['gc', '--apply', '--data', dataDir, '--closed-pulls', '7'], { cwd: root });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`removed demo/${ids.closedPullOld}`);
    const gone = [ids.closedPullOld, ids.localOld];
    for (const [name, id] of Object.entries(ids)) expect(existsSync(join(dataDir, 'demo', 'runs', id)), name).toBe(!gone.includes(id));
    expect((await validatePath(dataDir)).problems.filter((p) => p.severity === 'error')).toEqual([]);
    // Without --closed-pulls, a pull request is never assumed closed.
    const again = await runCli(['gc', '--data', dataDir, '--json'], { cwd: root });
    expect(JSON.parse(again.stdout).decisions.filter((d: { action: string }) => d.action === 'drop')).toEqual([]);
  });

  it('asks GitHub which pull requests are closed when a token is set', async () => {
    const { root, dataDir, ids } = await history();
    const api = await startFakeGithub({ repository: 'acme/agent', pulls: { 7: 'closed', 9: 'open' } });
    try {
      const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: api.url };
      const asked = await runCli(['gc', '--data', dataDir, '--repository', 'acme/agent', '--json'], { cwd: root, env });
      expect(asked.stderr).toBe('');
      const drops = JSON.parse(asked.stdout)
        .decisions.filter((d: { action: string }) => d.action === 'drop')
        .map((d: { run: string }) => d.run);
      expect(drops.sort()).toEqual([ids.closedPullOld, ids.localOld].sort());
      expect(
        api.requests
          .map((r) => r.path)
          .filter((p) => p.includes('/pulls/'))
          .sort(),
      ).toEqual(['/repos/acme/agent/pulls/7', '/repos/acme/agent/pulls/9']);
      // A pull request GitHub does not know stays, and gc says why.
      const unknown = await startFakeGithub({ repository: 'acme/agent', pulls: { 9: 'open' } });
      try {
        const result = await runCli(['gc', '--data', dataDir, '--repository', 'acme/agent'], {
          cwd: root,
          env: { ...env, GITHUB_API_URL: unknown.url },
        });
        expect(result.stderr).toMatch(/warning: pull request #7: GitHub did not say whether it is closed \(.*\); its runs are kept/);
        expect(result.stdout).not.toContain(ids.closedPullOld);
      } finally {
        await unknown.close();
      }
    } finally {
      await api.close();
    }
  });

  it('refuses a bad retention setting, naming the file and field', async () => {
    const { root, dataDir } = await history();
    writeFileSync(join(root, 'labbook.config.yaml'), 'retention:\n  days: -1\n');
    const result = await runCli(['gc', '--data', dataDir], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(root, 'labbook.config.yaml')}: retention.days: must be a whole number ≥ 0, got -1`);
  });

  it('refuses a misspelt top-level setting rather than act on the default policy (any command, --data or not)', async () => {
    const { root, dataDir } = await history();
    writeFileSync(join(root, 'labbook.config.yaml'), 'retension:\n  days: 365\n');
    for (const argv of [['gc', '--apply', '--data', dataDir], ['ls']]) {
      const result = await runCli(argv, { cwd: root });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${join(root, 'labbook.config.yaml')}:1:1: retension: unknown setting (did you mean retention?); labbook.config.yaml takes data, dataBranch, repository, retention, site, storage`,
      );
    }
    expect(readdirSync(join(dataDir, 'demo', 'runs')).length).toBeGreaterThan(0);
  });
});
