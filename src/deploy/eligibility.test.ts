import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_SOURCE, writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { finishRun } from '../store/finish-run.ts';
import { expandTraces } from '../store/compact-traces.ts';
import { readRunManifest } from '../store/run-reader.ts';
import { deployPolicy, type DeployPolicy } from './deploy-policy.ts';
import { CHECK, checkEligibility, failedChecks, type Eligibility } from './eligibility.ts';
import type { AttestationFacts, BranchPushFacts, DeployEvidence, RunArtifactFacts, WorkflowRunFacts } from './github-evidence.ts';
import { runEvidenceName } from './run-evidence-file.ts';
import { runContentDigest } from './sums-digest.ts';

/**
 * The deploy decision as a table: one genuine CI run on disk, and GitHub's answers given by a
 * fake evidence object. Each row changes one answer (or one file) and names the one check that
 * must fail; everything else about the run is what the genuine workflow run produced.
 */
const REPOSITORY = CI_SOURCE.kind === 'ci' ? CI_SOURCE.repository : '';
const WORKFLOW_RUN = 4242;
const root = tempDir('labbook-eligibility-');
const dataDir = join(root, 'experiments');
let genuine: FixtureRun;
let commit: string;
let digest: string;

/**
 * GitHub as the evidence interface sees it: workflow runs by id (earlier attempts by run and
 * attempt), branches with the commits in their history (the tip first), artifacts by workflow
 * run, attestations by digest.
 */
interface World {
  runs: Map<number, WorkflowRunFacts>;
  attempts: Map<string, WorkflowRunFacts>;
  /** Each branch's first-parent line, the tip first. */
  branches: Map<string, string[]>;
  /** Commits in a branch's history off that line (a merged pull request's own). */
  merged?: Map<string, string[]>;
  /** Commits in a branch's history too far behind its tip to tell whether it was at them. */
  far?: string[];
  /** Pushes in the branch's activity record, by the commit they left it at. */
  pushed?: Map<string, BranchPushFacts>;
  artifacts: Map<number, RunArtifactFacts[]>;
  attestations: AttestationFacts[] | null;
}

/** Answers from `world`, recording which workflow runs' artifacts were asked for. */
function fakeEvidence(world: World, asked: number[] = []): DeployEvidence {
  return {
    workflowRun: async (id) => world.runs.get(Number(id)) ?? null,
    workflowRunAttempt: async (id, attempt) => world.attempts.get(`${id}/${attempt}`) ?? null,
    branchHistory: async (branch, sha) => {
      const history = world.branches.get(branch);
      const merged = world.merged?.get(branch) ?? [];
      if (!history) return null;
      const pushedTip = world.pushed?.get(sha);
      const contains = history.includes(sha) || merged.includes(sha) || world.far?.includes(sha) === true;
      if (contains && !history.includes(sha) && pushedTip) return { branch, tip: history[0]!, contains, wasTip: true, pushedTip };
      if (world.far?.includes(sha)) return { branch, tip: history[0]!, contains: true, wasTip: null };
      return { branch, tip: history[0]!, contains, wasTip: history.includes(sha) };
    },
    runArtifacts: async (id, name) => {
      asked.push(id);
      return (world.artifacts.get(id) ?? []).filter((a) => a.name === name);
    },
    attestations: async () => world.attestations,
  };
}

function workflowRun(overrides: Partial<WorkflowRunFacts> = {}): WorkflowRunFacts {
  return {
    id: WORKFLOW_RUN,
    headSha: commit,
    headBranch: 'main',
    path: '.github/workflows/evaluate.yml',
    event: 'push',
    status: 'completed',
    conclusion: 'success',
    repository: REPOSITORY,
    headRepository: REPOSITORY,
    runAttempt: 1,
    ...overrides,
  };
}

function artifact(runId: string, overrides: Partial<RunArtifactFacts> = {}): RunArtifactFacts {
  return { name: runEvidenceName('demo', runId), digest, expired: false, workflowRunId: WORKFLOW_RUN, headSha: commit, ...overrides };
}

/** What the genuine evaluation workflow run left on GitHub for the genuine run. */
function genuineWorld(): World {
  return {
    runs: new Map([[WORKFLOW_RUN, workflowRun()]]),
    attempts: new Map(),
    branches: new Map([['main', ['d'.repeat(40), commit]]]),
    artifacts: new Map([[WORKFLOW_RUN, [artifact(genuine.id)]]]),
    attestations: [],
  };
}

const policy = (overrides: Partial<Omit<DeployPolicy, 'repository'>> = {}) =>
  deployPolicy(REPOSITORY, { allowedBranches: ['main'], ...overrides });

function failedNames(result: Eligibility): string[] {
  return failedChecks(result.checks).map((c) => c.name);
}

beforeAll(async () => {
  genuine = await writeRun(root, dataDir, { variant: 0, traces: 5, source: CI_SOURCE });
  commit = (await readRunManifest(genuine.dir)).code.commit!;
  digest = await runContentDigest(genuine.dir);
});

describe("checkEligibility against GitHub's evidence", () => {
  it('accepts the genuine run: every check passes, and the artifact is asked of the workflow run the run names', async () => {
    const asked: number[] = [];
    const result = await checkEligibility({ dataDir, runId: genuine.id, policy: policy(), evidence: fakeEvidence(genuineWorld(), asked) });
    expect(failedNames(result)).toEqual([]);
    expect(result).toMatchObject({ eligible: true, offline: false, contentDigest: digest });
    expect(result.checks.find((c) => c.name === CHECK.recorded)?.detail).toBe(
      `artifact ${runEvidenceName('demo', genuine.id)} of workflow run ${WORKFLOW_RUN}: ${digest.slice(0, 19)}…`,
    );
    expect(asked).toEqual([WORKFLOW_RUN]);
  });

  type Row = [
    label: string,
    change: (world: World) => void,
    check: string,
    detail: RegExp,
    overrides?: Partial<Omit<DeployPolicy, 'repository'>>,
  ];
  const rows: Row[] = [
    ['GitHub has no such workflow run', (w) => w.runs.clear(), CHECK.workflowRun, /GitHub has no workflow run 4242 in acme\/agent/],
    [
      "the workflow run is another repository's",
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ repository: 'mallory/agent' })),
      CHECK.workflowRun,
      /belongs to mallory\/agent/,
    ],
    [
      'the workflow run came from a fork',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ headRepository: 'mallory/agent' })),
      CHECK.fork,
      /head repository mallory\/agent/,
    ],
    [
      'the head repository was deleted',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ headRepository: null })),
      CHECK.fork,
      /unknown \(deleted\)/,
    ],
    [
      'another workflow file ran',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ path: '.github/workflows/scratch.yml' })),
      CHECK.workflow,
      /ran \.github\/workflows\/scratch\.yml, not/,
    ],
    [
      'a pull request ran it',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ event: 'pull_request' })),
      CHECK.event,
      /^pull_request \(allowed: /,
    ],
    [
      'it ran on an unreviewed branch',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ headBranch: 'try-things' })),
      CHECK.branch,
      /^try-things \(allowed: main\)$/,
    ],
    [
      "it ran on a tag named like the allowed branch: head_branch says main, but main's history lacks the commit",
      (w) => w.branches.set('main', ['d'.repeat(40)]),
      CHECK.onBranch,
      /is not in the history of branch main \(at dddddddddddd\): head_branch main named a tag/,
    ],
    [
      "it ran on a tag at a pull request's own commit, which a merge commit later brought into main's history",
      (w) => {
        w.branches.set('main', ['d'.repeat(40), 'e'.repeat(40)]);
        w.merged = new Map([['main', [commit]]]);
      },
      CHECK.onBranch,
      /is in the history of branch main \(at dddddddddddd\) but not on its first-parent line, and GitHub's activity record of main has no push that left it there: the branch reaches it only through a merge's second parent/,
    ],
    [
      'its commit is over a thousand commits behind the branch, too far to tell whether the branch was at it',
      (w) => {
        w.branches.set('main', ['d'.repeat(40)]);
        w.far = [commit];
      },
      CHECK.onBranch,
      /is in the history of branch main \(at dddddddddddd\) but over a thousand commits behind it, too far to tell whether main itself was ever at it/,
    ],
    [
      'head_branch names a branch GitHub does not have (a tag, or a deleted branch)',
      (w) => w.branches.clear(),
      CHECK.onBranch,
      /GitHub has no branch main now: head_branch main was a tag, or a branch since deleted/,
    ],
    [
      'it ran on a merge queue branch whose commit never reached the base branch',
      (w) => {
        w.runs.set(WORKFLOW_RUN, workflowRun({ headBranch: `gh-readonly-queue/main/pr-7-${'a'.repeat(40)}` }));
        w.branches.set('main', ['d'.repeat(40)]);
      },
      CHECK.onBranch,
      /not in the history of branch main \(the base of merge queue branch gh-readonly-queue\/main\/pr-7-a{40}\)/,
      { allowedBranches: ['main', 'gh-readonly-queue/main/*'] },
    ],
    [
      'it ran on a branch pushed by hand under the merge queue prefix (which names its base, main)',
      (w) => {
        w.runs.set(WORKFLOW_RUN, workflowRun({ headBranch: 'gh-readonly-queue/main/mine' }));
        w.branches.set('gh-readonly-queue/main/mine', [commit]);
        w.branches.set('main', ['d'.repeat(40)]);
      },
      CHECK.onBranch,
      /not in the history of branch main \(the base of merge queue branch gh-readonly-queue\/main\/mine\)/,
      { allowedBranches: ['main', 'gh-readonly-queue/main/*'] },
    ],
    [
      'the attempt that made the run failed, and a re-run succeeded',
      (w) => {
        w.runs.set(WORKFLOW_RUN, workflowRun({ runAttempt: 2 }));
        w.attempts.set(`${WORKFLOW_RUN}/1`, workflowRun({ conclusion: 'failure' }));
      },
      CHECK.success,
      /^attempt 1, which made the run: status completed, conclusion failure; latest attempt 2: status completed, conclusion success$/,
    ],
    [
      'the run names an attempt the workflow run does not have',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ runAttempt: 2 })),
      CHECK.success,
      /workflow run 4242 has no attempt 1 \(its latest is 2\)/,
    ],
    ['it ran on a tag (no branch)', (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ headBranch: null })), CHECK.branch, /^no branch/],
    ['it failed', (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ conclusion: 'failure' })), CHECK.success, /conclusion failure/],
    [
      'it is still running',
      (w) => w.runs.set(WORKFLOW_RUN, workflowRun({ status: 'in_progress', conclusion: null })),
      CHECK.success,
      /status in_progress, conclusion none yet/,
    ],
    [
      'it built another commit',
      (w) => {
        w.runs.set(WORKFLOW_RUN, workflowRun({ headSha: 'f'.repeat(40) }));
        w.branches.set('main', ['f'.repeat(40)]);
      },
      CHECK.commit,
      /built f{40}, the run names/,
    ],
    [
      'the workflow run uploaded no evidence',
      (w) => w.artifacts.clear(),
      CHECK.recorded,
      /workflow run 4242 has no artifact labbook-demo-.*\.SHA256SUMS/,
    ],
    [
      "the evidence is an artifact of another workflow run (a writer's own workflow, at any time)",
      (w) => {
        w.artifacts.clear();
        w.artifacts.set(777, [artifact(genuine.id, { workflowRunId: 777 })]);
      },
      CHECK.recorded,
      /workflow run 4242 has no artifact/,
    ],
    [
      'the listing attributes the artifact to another workflow run',
      (w) => w.artifacts.set(WORKFLOW_RUN, [artifact(genuine.id, { workflowRunId: 777 })]),
      CHECK.recorded,
      /workflow run 4242 has no artifact/,
    ],
    [
      'the artifact was uploaded at another commit',
      (w) => w.artifacts.set(WORKFLOW_RUN, [artifact(genuine.id, { headSha: 'e'.repeat(40) })]),
      CHECK.recorded,
      /workflow run 4242 has no artifact/,
    ],
    [
      'the artifact holds another digest',
      (w) => w.artifacts.set(WORKFLOW_RUN, [artifact(genuine.id, { digest: `sha256:${'0'.repeat(64)}` })]),
      CHECK.recorded,
      /recorded sha256:0{64} in artifact .*; the run's files now digest to sha256:/,
    ],
    [
      'the artifact has no digest (an old upload-artifact)',
      (w) => w.artifacts.set(WORKFLOW_RUN, [artifact(genuine.id, { digest: null })]),
      CHECK.recorded,
      /recorded no digest \(uploaded before upload-artifact v4\)/,
    ],
    [
      'the artifact is named for another run',
      (w) => w.artifacts.set(WORKFLOW_RUN, [artifact('20260101-000000-other-000000')]),
      CHECK.recorded,
      /has no artifact/,
    ],
    [
      'an attestation exists, but another workflow run made it',
      (w) => {
        w.attestations = [{ repository: REPOSITORY, workflowPath: '.github/workflows/evaluate.yml', workflowRunId: '777', commit }];
      },
      CHECK.attestation,
      /none by \.github\/workflows\/evaluate\.yml in workflow run 4242/,
    ],
    [
      'attestations are required and there is none',
      () => {},
      CHECK.attestation,
      /no attestation of the run's SHA256SUMS/,
      { requireAttestation: true },
    ],
    [
      'attestations are required and the API is not available',
      (w) => {
        w.attestations = null;
      },
      CHECK.attestation,
      /not available for this repository/,
      { requireAttestation: true },
    ],
  ];

  it.each(rows)('refuses when %s', async (_label, change, check, detail, overrides) => {
    const world = genuineWorld();
    change(world);
    const result = await checkEligibility({ dataDir, runId: genuine.id, policy: policy(overrides), evidence: fakeEvidence(world) });
    expect(result.eligible).toBe(false);
    expect(failedNames(result)).toEqual([check]);
    expect(failedChecks(result.checks)[0]!.detail).toMatch(detail);
  });

  it('accepts an expired artifact (GitHub keeps its digest) and a matching attestation', async () => {
    const world = genuineWorld();
    world.artifacts.set(WORKFLOW_RUN, [artifact(genuine.id, { expired: true })]);
    world.attestations = [
      { repository: REPOSITORY, workflowPath: '.github/workflows/evaluate.yml', workflowRunId: String(WORKFLOW_RUN), commit },
    ];
    const result = await checkEligibility({
      dataDir,
      runId: genuine.id,
      policy: policy({ requireAttestation: true }),
      evidence: fakeEvidence(world),
    });
    expect(failedNames(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === CHECK.recorded)?.detail).toMatch(/\(expired; GitHub keeps its digest\)/);
  });

  it('accepts a run made by a merge queue branch once its commit is on the base branch, and by an earlier attempt that succeeded', async () => {
    const world = genuineWorld();
    world.runs.set(WORKFLOW_RUN, workflowRun({ headBranch: `gh-readonly-queue/main/pr-7-${'a'.repeat(40)}`, runAttempt: 2 }));
    world.attempts.set(`${WORKFLOW_RUN}/1`, workflowRun());
    const result = await checkEligibility({
      dataDir,
      runId: genuine.id,
      policy: policy({ allowedBranches: ['main', 'gh-readonly-queue/main/*'] }),
      evidence: fakeEvidence(world),
    });
    expect(failedNames(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === CHECK.onBranch)?.detail).toMatch(
      /is on the first-parent line of branch main \(the base of merge queue/,
    );
  });

  it("accepts a run of a commit that was the branch's tip, which a later merge put off the first-parent line", async () => {
    const world = genuineWorld();
    // A `git pull` merge pushed as it is: main moved from the run's commit to a merge whose first
    // parent is someone else's commit, so main's first-parent line no longer passes through it.
    world.branches.set('main', ['d'.repeat(40), 'e'.repeat(40)]);
    world.merged = new Map([['main', [commit]]]);
    world.pushed = new Map([[commit, { kind: 'push', at: '2026-12-01T10:00:00Z', by: 'grace' }]]);
    const result = await checkEligibility({ dataDir, runId: genuine.id, policy: policy(), evidence: fakeEvidence(world) });
    expect(failedNames(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === CHECK.onBranch)?.detail).toMatch(
      /was the tip of branch main: GitHub's activity record has the push that left it there by grace at 2026-12-01T10:00:00Z \(a later merge put it off the first-parent line \(at dddddddddddd\)\)/,
    );
  });

  it('skips, never passes, what depends on a failed premise', async () => {
    const world = genuineWorld();
    world.runs.set(WORKFLOW_RUN, workflowRun({ headSha: 'f'.repeat(40) }));
    const result = await checkEligibility({ dataDir, runId: genuine.id, policy: policy(), evidence: fakeEvidence(world) });
    expect(result.checks.find((c) => c.name === CHECK.recorded)).toMatchObject({ ok: false, skipped: true });
  });
});

describe('forgeries of the files', () => {
  it('refuses a genuine run whose scores were edited and resealed, whatever another workflow run uploaded', async () => {
    const forged = await writeRun(root, dataDir, { variant: 2, traces: 5, source: CI_SOURCE });
    const forgedCommit = (await readRunManifest(forged.dir)).code.commit!;
    const recorded = await runContentDigest(forged.dir);
    await expandTraces(forged.dir, await readRunManifest(forged.dir)); // the forger works on plain JSON
    const traces = join(forged.dir, 'traces.jsonl');
    await writeFile(
      traces,
      (await readFile(traces, 'utf8')).replaceAll('"value":false', '"value":true').replaceAll('"value":0,', '"value":1,'),
    );
    await finishRun(forged.dir);
    const resealed = await runContentDigest(forged.dir);
    expect(resealed).not.toBe(recorded);

    const name = runEvidenceName('demo', forged.id);
    const world: World = {
      runs: new Map([
        [WORKFLOW_RUN, workflowRun({ headSha: forgedCommit })],
        [777, workflowRun({ id: 777, headSha: forgedCommit, path: '.github/workflows/scratch.yml', headBranch: 'mallory' })],
      ]),
      attempts: new Map(),
      branches: new Map([['main', [forgedCommit]]]),
      // The genuine run's artifact holds the digest of the job's files; a scratch workflow of the
      // forger's uploaded the resealed digest to its own run.
      artifacts: new Map([
        [WORKFLOW_RUN, [{ name, digest: recorded, expired: false, workflowRunId: WORKFLOW_RUN, headSha: forgedCommit }]],
        [777, [{ name, digest: resealed, expired: false, workflowRunId: 777, headSha: forgedCommit }]],
      ]),
      attestations: [],
    };
    const result = await checkEligibility({ dataDir, runId: forged.id, policy: policy(), evidence: fakeEvidence(world) });
    expect(failedNames(result)).toEqual([CHECK.recorded]);
    expect(failedChecks(result.checks)[0]!.detail).toBe(
      `workflow run ${WORKFLOW_RUN} recorded ${recorded} in artifact ${name}; the run's files now digest to ${resealed}`,
    );
  });

  it('refuses a local run rewritten to claim a real workflow run: offline it is "claimed; not verifiable", online it has no artifact there', async () => {
    const local = await writeRun(root, dataDir, { variant: 0, traces: 5 });
    const manifest = await readRunManifest(local.dir);
    await finishRun(local.dir, { patch: { source: CI_SOURCE } });

    const offline = await checkEligibility({ dataDir, runId: local.id });
    expect(offline).toMatchObject({ eligible: false, offline: true });
    expect(failedNames(offline)).toEqual([]); // nothing the files alone can show is wrong…
    expect(offline.checks.find((c) => c.name === CHECK.ci)).toMatchObject({
      ok: false,
      skipped: true,
      detail: expect.stringMatching(/source: ci claimed \(acme\/agent workflow run 4242\); not verifiable offline$/),
    });
    expect(
      offline.checks
        .filter((c) => c.skipped && c.detail === "not checked: not verifiable offline: needs GitHub's records of the workflow run")
        .map((c) => c.name),
    ).toEqual([
      CHECK.workflowRun,
      CHECK.fork,
      CHECK.workflow,
      CHECK.event,
      CHECK.branch,
      CHECK.onBranch,
      CHECK.success,
      CHECK.commit,
      CHECK.recorded,
    ]);

    // …online the real workflow run 4242 (which built this commit) never uploaded this run's sums.
    const world = genuineWorld();
    world.runs.set(WORKFLOW_RUN, workflowRun({ headSha: manifest.code.commit! }));
    world.branches.set('main', [manifest.code.commit!]);
    const online = await checkEligibility({ dataDir, runId: local.id, policy: policy(), evidence: fakeEvidence(world) });
    expect(failedNames(online)).toEqual([CHECK.recorded]);
    expect(failedChecks(online.checks)[0]!.detail).toMatch(
      new RegExp(`workflow run 4242 has no artifact labbook-demo-${local.id}\\.SHA256SUMS`),
    );
  });

  it('never calls a run eligible offline, even the genuine one', async () => {
    const result = await checkEligibility({ dataDir, runId: genuine.id });
    expect(result).toMatchObject({ eligible: false, offline: true });
    expect(failedNames(result)).toEqual([]);
  });
});

describe('runs that are not what they say', () => {
  it("refuses a genuine run copied over another run's folder: the folder asked for holds another run", async () => {
    const other = '20260101-000000-better-abcdef';
    await cp(genuine.dir, join(dataDir, 'demo', 'runs', other), { recursive: true });
    const result = await checkEligibility({ dataDir, runId: other, policy: policy(), evidence: fakeEvidence(genuineWorld()) });
    expect(result.eligible).toBe(false);
    expect(failedNames(result)).toEqual([CHECK.exists]);
    expect(failedChecks(result.checks)[0]!.detail).toBe(
      `the folder demo/${other} holds run.json of demo/${genuine.id}: a run copied or moved under another id is not that run`,
    );
  });

  it('refuses a run whose config.yaml was replaced by a symlink (git keeps them), even to a file with the same bytes', async () => {
    const run = await writeRun(root, dataDir, { variant: 4, traces: 5, source: CI_SOURCE });
    const config = join(run.dir, 'config.yaml');
    await writeFile(join(root, 'elsewhere.yaml'), await readFile(config));
    await rm(config);
    await symlink(join(root, 'elsewhere.yaml'), config);
    const result = await checkEligibility({ dataDir, runId: run.id });
    expect(failedNames(result)).toEqual([CHECK.sums]);
    expect(result.checks.find((c) => c.name === CHECK.sums)?.detail).toBe('config.yaml missing');
  });

  it('refuses a run made by a simulated CI job, unless the deploy is simulated too', async () => {
    const simulated = await writeRun(root, dataDir, {
      variant: 3,
      traces: 5,
      source: { ...CI_SOURCE, simulated: true } as typeof CI_SOURCE,
    });
    const world = genuineWorld();
    const simCommit = (await readRunManifest(simulated.dir)).code.commit!;
    world.runs.set(WORKFLOW_RUN, workflowRun({ headSha: simCommit }));
    world.branches.set('main', [simCommit]);
    world.artifacts.set(WORKFLOW_RUN, [artifact(simulated.id, { digest: await runContentDigest(simulated.dir), headSha: simCommit })]);
    const refused = await checkEligibility({ dataDir, runId: simulated.id, policy: policy(), evidence: fakeEvidence(world) });
    expect(failedNames(refused)).toEqual([CHECK.ci]);
    expect(failedChecks(refused.checks)[0]!.detail).toMatch(/^made by a simulated CI job \(LABBOOK_SIMULATED_CI\)/);
    const simulatedDeploy = await checkEligibility({
      dataDir,
      runId: simulated.id,
      policy: policy({ allowSimulated: true }),
      evidence: fakeEvidence(world),
    });
    expect(failedNames(simulatedDeploy)).toEqual([]);
  });
});
