import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../schemas/deployment.ts';
import { CI_SOURCE, writeExperiment, writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { writeDeploymentRecord, listDeployments } from './deployment-record.ts';
import { deploymentBadgesByRun, deploymentHistory, deploymentLineage, runDeployView, type RepositoryLinks } from './deployment-view.ts';
import { CHECK, checkEligibility, failedChecks } from './eligibility.ts';
import { readRunManifest } from '../store/run-reader.ts';

const links: RepositoryLinks = { serverUrl: 'https://github.com/', repository: 'acme/agent' };
const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

const root = tempDir('labbook-deployment-view-');
const dataDir = join(root, 'experiments');
let ciRun: FixtureRun;
let localRun: FixtureRun;
let records: Deployment[];

/** One record, written and read back through the store, as the action writes them. */
async function record(
  run: string,
  environment: string,
  outcome: 'success' | 'failure',
  at: string,
  extra: Partial<Deployment> = {},
): Promise<void> {
  await writeDeploymentRecord(
    dataDir,
    {
      environment,
      experiment: 'demo',
      run,
      commit: run === ciRun.id ? SHA_A : SHA_B,
      configPath: `experiments/demo/runs/${run}/config.yaml`,
      configDigest: `sha256:${'c'.repeat(64)}`,
      actor: 'octocat',
      at,
      workflowRunUrl: 'https://github.com/acme/agent/actions/runs/9/attempts/1',
      outcome,
      checks: [{ name: CHECK.exists, ok: true, detail: run }],
      ...extra,
    },
    new Date(at),
  );
}

beforeAll(async () => {
  await writeExperiment(dataDir);
  ciRun = await writeRun(root, dataDir, { variant: 0, traces: 5, source: CI_SOURCE });
  localRun = await writeRun(root, dataDir, { variant: 1, traces: 5 });
  // staging: the local run was refused; the CI run deployed. production: the CI run, then (later) the other run, then a failed retry of the CI run.
  await record(localRun.id, 'staging', 'failure', '2026-02-01T10:00:00.000Z', {
    checks: [{ name: CHECK.ci, ok: false, detail: 'local' }],
    reason: 'failed check: made by a CI job (local)',
  });
  await record(ciRun.id, 'staging', 'success', '2026-02-01T11:00:00.000Z');
  await record(ciRun.id, 'production', 'success', '2026-02-02T10:00:00.000Z');
  await record(localRun.id, 'production', 'success', '2026-02-03T10:00:00.000Z');
  await record(ciRun.id, 'production', 'failure', '2026-02-04T10:00:00.000Z', { reason: 'the deploy command exited with code 3' });
  records = await listDeployments(dataDir, 'demo');
});

describe('deployment badges', () => {
  const badgesOf = (runId: string) => deploymentBadgesByRun(records).get(runId) ?? [];
  it('give each run its standing per environment: live, superseded or failed', () => {
    expect(badgesOf(ciRun.id)).toEqual([
      { environment: 'production', state: 'superseded', text: 'was in production', at: '2026-02-04T10:00:00.000Z', attempts: 2 },
      { environment: 'staging', state: 'live', text: 'live in staging', at: '2026-02-01T11:00:00.000Z', attempts: 1 },
    ]);
    expect(badgesOf(localRun.id).map((b) => [b.environment, b.state])).toEqual([
      ['production', 'live'],
      ['staging', 'failed'],
    ]);
    expect(badgesOf('never-deployed')).toEqual([]);
    expect([...deploymentBadgesByRun(records).keys()].sort()).toEqual([ciRun.id, localRun.id].sort());
  });
});

describe('deploymentHistory', () => {
  it('lists each environment newest first, with the live deployment and links', () => {
    const history = deploymentHistory(records, links);
    expect(history.map((h) => h.environment)).toEqual(['production', 'staging']);
    const production = history[0]!;
    expect(production.entries.map((e) => [e.run, e.outcome, e.live])).toEqual([
      [ciRun.id, 'failure', false],
      [localRun.id, 'success', true],
      [ciRun.id, 'success', false],
    ]);
    expect(production.live?.run).toBe(localRun.id);
    expect(production.entries[0]).toMatchObject({
      commit: SHA_A,
      shortCommit: 'aaaaaaa',
      commitUrl: `https://github.com/acme/agent/commit/${SHA_A}`,
      outcomeText: 'failed: the deploy command exited with code 3',
      environmentUrl: 'https://github.com/acme/agent/deployments/production',
      workflowRunUrl: 'https://github.com/acme/agent/actions/runs/9/attempts/1',
    });
    expect(history[1]!.entries.at(-1)!.outcomeText).toBe('refused: failed check: made by a CI job (local)');
  });

  it('has no links without a repository, and none for an empty commit or a non-http URL', () => {
    const odd = { ...records[0]!, commit: '', workflowRunUrl: 'javascript:alert(1)' };
    const [entry] = deploymentHistory([odd], null)[0]!.entries;
    expect(entry).toMatchObject({ shortCommit: 'none', commitUrl: null, environmentUrl: null, workflowRunUrl: null });
  });
});

describe('deploymentLineage', () => {
  it('goes commit → CI job → run → deployment, with URLs', async () => {
    const deployment = records.find((d) => d.run === ciRun.id && d.outcome === 'success' && d.environment === 'production')!;
    const manifest = await readRunManifest(ciRun.dir);
    expect(deploymentLineage(deployment, manifest, links, '/agent/experiments/demo/runs/x/')).toEqual([
      { kind: 'commit', label: 'Commit', detail: SHA_A.slice(0, 12), url: `https://github.com/acme/agent/commit/${SHA_A}` },
      {
        kind: 'ci-job',
        label: 'CI job',
        detail: 'eval run 4242 (attempt 1), job evaluate',
        url: 'https://github.com/acme/agent/actions/runs/4242',
      },
      { kind: 'run', label: 'Run', detail: `demo/${ciRun.id}`, url: '/agent/experiments/demo/runs/x/' },
      {
        kind: 'deployment',
        label: 'Deployment',
        detail: 'deployed to production by octocat at 2026-02-02T10:00:00.000Z',
        url: 'https://github.com/acme/agent/actions/runs/9/attempts/1',
      },
    ]);
  });

  it('says when the run is local or gone', async () => {
    const local = records.find((d) => d.run === localRun.id)!;
    expect(deploymentLineage(local, await readRunManifest(localRun.dir), null)[1]).toMatchObject({
      detail: 'none: made on host by user',
      url: null,
    });
    expect(deploymentLineage(local, null, null)[1]).toMatchObject({ detail: 'unknown: the run is not in the data', url: null });
  });
});

describe('runDeployView', () => {
  it('shows the offline checks and the exact gh command per known environment, with the workflow link', async () => {
    const view = runDeployView(await checkEligibility({ dataDir, runId: ciRun.id }), {
      runId: ciRun.id,
      environments: ['staging', 'production', 'staging'],
      links,
    });
    expect(view.eligibleOffline).toBe(true);
    expect(view.checks.slice(0, 4).map((c) => [c.name, c.ok])).toEqual([
      [CHECK.exists, true],
      [CHECK.completed, true],
      [CHECK.ci, false],
      [CHECK.sums, true],
    ]);
    // Offline, the claim to come from CI is said to be a claim, and GitHub's checks are not made.
    expect(view.checks[2]).toMatchObject({
      skipped: true,
      detail: expect.stringMatching(/^not checked: source: ci claimed \(acme\/agent workflow run 4242\); not verifiable offline$/),
    });
    expect(view.checks).toHaveLength(4); // the GitHub checks, not made offline, are named in the note instead
    expect(view.badge).toBe('CI claimed, verified at deploy');
    expect(view.commands).toEqual([
      { environment: 'production', command: `gh workflow run deploy.yml -f run=${ciRun.id} -f environment=production` },
      { environment: 'staging', command: `gh workflow run deploy.yml -f run=${ciRun.id} -f environment=staging` },
    ]);
    expect(view.workflowUrl).toBe('https://github.com/acme/agent/actions/workflows/deploy.yml');
    expect(view.note).toMatch(/source: ci\), which is not verifiable offline: the deploy workflow checks that the workflow run exists/);
  });

  it('says a local run or a changed run cannot be deployed; production is the default environment', async () => {
    const local = runDeployView(await checkEligibility({ dataDir, runId: localRun.id }), { runId: localRun.id, links: null });
    expect(local).toMatchObject({
      eligibleOffline: false,
      badge: 'not eligible',
      workflowUrl: null,
      commands: [{ environment: 'production', command: `gh workflow run deploy.yml -f run=${localRun.id} -f environment=production` }],
    });
    expect(failedChecks(local.checks).map((c) => c.name)).toEqual([CHECK.ci]);

    appendFileSync(join(ciRun.dir, 'traces/00000.jsonl.gz'), '\n');
    const changed = await checkEligibility({ dataDir, runId: ciRun.id });
    expect(failedChecks(changed.checks)).toEqual([expect.objectContaining({ name: CHECK.sums, detail: 'traces/00000.jsonl.gz changed' })]);
    expect(runDeployView(changed, { runId: ciRun.id, links }).note).toBe(
      'This run cannot be deployed: the deploy workflow would refuse it.',
    );
  });
});
