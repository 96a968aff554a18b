import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DeploymentCheck } from '../../schemas/deployment.ts';
import type { CiSource, RunManifest } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import { sha256File, toDigest } from '../store/digest.ts';
import { RUN_FILES } from '../store/layout.ts';
import { verifyRunFiles } from '../store/sha256sums.ts';
import { openDataFolder, type RunHandle } from '../store/handles.ts';
import { branchAllowed, type DeployPolicy } from './deploy-policy.ts';
import type { DeployEvidence, WorkflowRunFacts } from './github-evidence.ts';
import { normaliseWorkflowPath } from './github-evidence.ts';
import { judgeAttestations } from './attestation-provenance.ts';
import { judgeRunArtifact } from './judge-run-artifact.ts';
import { runEvidenceName } from './run-evidence-file.ts';
import { runContentDigest } from './sums-digest.ts';
import { errorMessage } from '../errors/error-message.ts';

/** The names of the checks, in the order they are reported: stable, documented in docs/deploy.md. */
export const CHECK = {
  exists: 'run exists',
  completed: 'run completed',
  ci: 'made by a CI job',
  sums: 'files match SHA256SUMS',
  workflowRun: 'workflow run in this repository',
  fork: 'not from a fork',
  workflow: 'ran the evaluation workflow',
  event: 'allowed event',
  branch: 'allowed branch',
  onBranch: 'commit on that branch',
  success: 'workflow run succeeded',
  commit: 'commit matches',
  recorded: 'contents recorded by the CI job',
  attestation: 'artifact attestation',
} as const;

/** The checks that ask GitHub's API, in order. */
const API_CHECKS = [
  CHECK.workflowRun,
  CHECK.fork,
  CHECK.workflow,
  CHECK.event,
  CHECK.branch,
  CHECK.onBranch,
  CHECK.success,
  CHECK.commit,
  CHECK.recorded,
] as const;

export interface Eligibility {
  /** Every check passed. Never true offline: where a run came from needs GitHub's records. */
  eligible: boolean;
  /** Checked without GitHub's API: the checks that need it are skipped as not verifiable offline. */
  offline: boolean;
  checks: DeploymentCheck[];
  /** Set when run.json could be read. */
  manifest?: RunManifest;
  runDir?: string;
  /** `sha256:` of the run's SHA256SUMS, when it has one. */
  contentDigest?: string;
}

/** Why the API checks are skipped offline. */
const NOT_VERIFIABLE_OFFLINE = "not verifiable offline: needs GitHub's records of the workflow run";

/** The checks that failed (not those skipped because of them), for a message that names them. */
export function failedChecks(checks: readonly DeploymentCheck[]): DeploymentCheck[] {
  return checks.filter((c) => !c.ok && !c.skipped);
}

/**
 * Decides whether a run may be deployed, check by check. Without `evidence` only the checks that
 * need no GitHub API run (what the site shows): a run's claim to come from CI is then reported
 * as claimed and not verifiable offline, and the run is never eligible, because anyone can write
 * `source: ci` and reseal. A deploy always passes evidence, and every check must pass. A check whose premise failed (no workflow run to ask about) is reported as skipped,
 * never as passed. Checks never throw for a bad run: they fail with a reason. Errors talking to
 * GitHub do throw: an outage is not a verdict on the run.
 */
export async function checkEligibility(
  options: ({ dataDir: string; runId: string } | { run: RunHandle }) & { policy?: DeployPolicy; evidence?: DeployEvidence },
): Promise<Eligibility> {
  const checks: DeploymentCheck[] = [];
  const record = new CheckRecorder(checks);

  // A caller holding the run's handle (the site, for every run) spares a search of every run.
  let located: RunHandle;
  try {
    located = 'run' in options ? options.run : await openDataFolder(options.dataDir).findRun(options.runId);
  } catch (error) {
    record.fail(CHECK.exists, error instanceof LabbookError ? error.message : String(error));
    return { eligible: false, offline: !options.evidence, checks };
  }
  const { manifest, dir } = located;
  // The folder asked for must hold its own run.json: a genuine run copied over another run's
  // folder would otherwise pass every check as itself while the deploy names the other run.
  const folder = `${basename(dirname(dirname(dir)))}/${basename(dir)}`;
  if (folder !== `${manifest.experiment}/${manifest.id}`) {
    record.fail(
      CHECK.exists,
      `the folder ${folder} holds run.json of ${manifest.experiment}/${manifest.id}: a run copied or moved under another id is not that run`,
    );
    return { eligible: false, offline: !options.evidence, checks };
  }
  record.pass(CHECK.exists, `${manifest.experiment}/${manifest.id}`);
  record.check(
    manifest.status === 'completed',
    CHECK.completed,
    `status is ${manifest.status}${manifest.statusReason ? ` (${manifest.statusReason})` : ''}`,
  );
  const source = manifest.source;
  const online = Boolean(options.evidence && options.policy);
  if (online && source.kind === 'ci' && source.simulated && !options.policy!.allowSimulated) {
    record.fail(
      CHECK.ci,
      `made by a simulated CI job (LABBOOK_SIMULATED_CI): its workflow run ${source.workflowRunId} was a stand-in's, not GitHub's; only a simulated deploy takes it`,
    );
  } else if (source.kind === 'ci') {
    const claim = `source: ci claimed (${source.repository} workflow run ${source.workflowRunId})`;
    if (online) record.pass(CHECK.ci, `${claim}, attempt ${source.workflowRunAttempt}, job ${source.job}; the checks below test the claim`);
    else record.skip(CHECK.ci, `${claim}; not verifiable offline`);
  } else record.fail(CHECK.ci, `made on ${source.user}@${source.host} (local): only runs made by a CI job can be deployed`);

  const contentDigest = await sumsCheck(dir, manifest, record);

  if (source.kind !== 'ci') {
    for (const name of API_CHECKS) record.skip(name, 'the run names no CI job');
  } else if (!online) {
    for (const name of API_CHECKS) record.skip(name, NOT_VERIFIABLE_OFFLINE);
  } else {
    await apiChecks({ manifest, source, policy: options.policy!, evidence: options.evidence!, contentDigest, record });
  }
  return { eligible: online && checks.every((c) => c.ok), offline: !online, checks, manifest, runDir: dir, contentDigest };
}

class CheckRecorder {
  constructor(private readonly checks: DeploymentCheck[]) {}
  pass(name: string, detail: string): void {
    this.checks.push({ name, ok: true, detail });
  }
  fail(name: string, detail: string): void {
    this.checks.push({ name, ok: false, detail });
  }
  check(ok: boolean, name: string, detail: string): void {
    this.checks.push({ name, ok, detail });
  }
  skip(name: string, why: string): void {
    this.checks.push({ name, ok: false, detail: `not checked: ${why}`, skipped: true });
  }
}

/**
 * Every file against SHA256SUMS, and the stored config against the digest run.json gives for
 * it (the digest a deployment is labelled with). Returns the content digest when there are sums.
 */
async function sumsCheck(dir: string, manifest: RunManifest, record: CheckRecorder): Promise<string | undefined> {
  if (!existsSync(join(dir, RUN_FILES.sums))) {
    record.fail(CHECK.sums, 'SHA256SUMS is missing: the run was never sealed');
    return undefined;
  }
  try {
    const contentDigest = await runContentDigest(dir);
    const mismatches = await verifyRunFiles(dir);
    if (mismatches.length > 0) {
      record.fail(CHECK.sums, mismatches.map((m) => `${m.file} ${m.problem}`).join(', '));
      return contentDigest;
    }
    const configFile = join(dir, RUN_FILES.config);
    const configDigest = existsSync(configFile) ? toDigest(await sha256File(configFile)) : null;
    if (configDigest !== manifest.config.digest) {
      record.fail(
        CHECK.sums,
        `${RUN_FILES.config} ${configDigest ? `digests to ${configDigest}` : 'is missing'}, run.json says ${manifest.config.digest}`,
      );
    } else {
      record.pass(CHECK.sums, `every file matches (${contentDigest.slice(0, 19)}…)`);
    }
    return contentDigest;
  } catch (error) {
    record.fail(CHECK.sums, errorMessage(error));
    return undefined;
  }
}

async function apiChecks(args: {
  manifest: RunManifest;
  source: CiSource;
  policy: DeployPolicy;
  evidence: DeployEvidence;
  contentDigest?: string;
  record: CheckRecorder;
}): Promise<void> {
  const { manifest, source, policy, evidence, contentDigest, record } = args;
  const skipRest = (why: string) => {
    for (const name of API_CHECKS.slice(1)) record.skip(name, why);
  };
  if (source.repository !== policy.repository) {
    record.fail(CHECK.workflowRun, `the run names repository ${source.repository}, not ${policy.repository}`);
    return skipRest('the workflow run is not in this repository');
  }
  const run: WorkflowRunFacts | null = /^\d+$/.test(source.workflowRunId) ? await evidence.workflowRun(source.workflowRunId) : null;
  if (!run || run.repository !== policy.repository || String(run.id) !== source.workflowRunId) {
    record.fail(
      CHECK.workflowRun,
      run
        ? `workflow run ${source.workflowRunId} belongs to ${run.repository}`
        : `GitHub has no workflow run ${source.workflowRunId} in ${policy.repository}`,
    );
    return skipRest('no such workflow run in this repository');
  }
  record.pass(CHECK.workflowRun, `workflow run ${run.id} in ${run.repository}`);
  record.check(run.headRepository === run.repository, CHECK.fork, `head repository ${run.headRepository ?? 'unknown (deleted)'}`);
  const wanted = normaliseWorkflowPath(policy.workflowPath);
  record.check(run.path === wanted, CHECK.workflow, `ran ${run.path}${run.path === wanted ? '' : `, not ${wanted}`}`);
  record.check(policy.allowedEvents.includes(run.event), CHECK.event, `${run.event} (allowed: ${policy.allowedEvents.join(', ')})`);
  if (policy.allowedBranches === null) {
    record.pass(CHECK.branch, `${run.headBranch ?? 'no branch'} (any branch allowed)`);
    record.pass(CHECK.onBranch, 'not asked: any branch allowed (allowed-branches: *)');
  } else {
    const ok = run.headBranch !== null && branchAllowed(run.headBranch, policy.allowedBranches);
    record.check(ok, CHECK.branch, `${run.headBranch ?? 'no branch'} (allowed: ${policy.allowedBranches.join(', ')})`);
    if (!ok || run.headBranch === null) record.skip(CHECK.onBranch, 'the workflow run did not run on an allowed branch');
    else await onBranchCheck(run, evidence, record);
  }
  await successCheck(run, source, evidence, record);

  // The commit deployed is the run's code commit: it must be the one the workflow run built,
  // from a clean checkout (a dirty one ran code that no commit holds).
  const commit = manifest.code.commit;
  if (commit !== run.headSha) {
    record.fail(CHECK.commit, `workflow run ${run.id} built ${run.headSha}, the run names ${commit ?? 'no commit'}`);
    record.skip(CHECK.recorded, "the run's commit is not the one the workflow run built");
  } else if (manifest.code.dirty) {
    record.fail(CHECK.commit, `${commit} had uncommitted changes when the run was made: no commit holds the code that ran`);
    record.skip(CHECK.recorded, "the run's code is not a commit");
  } else {
    record.pass(CHECK.commit, `${commit} (the workflow run's head_sha)`);
    if (!contentDigest) record.skip(CHECK.recorded, 'no SHA256SUMS to compare');
    else {
      const name = runEvidenceName(manifest.experiment, manifest.id);
      const verdict = judgeRunArtifact(await evidence.runArtifacts(run.id, name), { name, digest: contentDigest, run });
      record.check(verdict.ok, CHECK.recorded, verdict.detail);
    }
  }

  if (contentDigest) {
    const attestations = await evidence.attestations(contentDigest);
    const verdict = judgeAttestations(attestations, {
      repository: policy.repository,
      workflowPath: wanted,
      workflowRunId: source.workflowRunId,
      commit: run.headSha,
    });
    if (policy.requireAttestation || (attestations && attestations.length > 0)) record.check(verdict.ok, CHECK.attestation, verdict.detail);
  }
}

/**
 * `head_branch` is only a name: a workflow run started by pushing a tag called `main` (or
 * `gh-readonly-queue/main/x`) has `head_branch` `main` too, and runs whatever workflow file and
 * code the tag points at, reviewed or not. So the commit must also be one the branch of that
 * name itself moved through: on its first-parent line as it stands now, not only in its history
 * (a merged pull request's own commits are in it too, never reviewed as the branch), or left as
 * its tip by a push GitHub's activity record has (a tip a later merge put on the side). A merge
 * queue branch (`gh-readonly-queue/<base>/…`) stands for its base branch: GitHub deletes it, and
 * its commit lands on the base once merged.
 */
async function onBranchCheck(run: WorkflowRunFacts, evidence: DeployEvidence, record: CheckRecorder): Promise<void> {
  const name = run.headBranch!;
  // Any name under gh-readonly-queue/<base>/ stands for <base>, not only GitHub's own
  // `pr-<n>-<sha>`: a branch of that shape pushed by hand must not vouch for itself.
  const branch = /^gh-readonly-queue\/(.+)\/[^/]+$/.exec(name)?.[1] ?? name;
  const history = await evidence.branchHistory(branch, run.headSha);
  const which = branch === name ? `branch ${branch}` : `branch ${branch} (the base of merge queue branch ${name})`;
  if (!history) {
    record.fail(CHECK.onBranch, `GitHub has no ${which} now: head_branch ${name} was a tag, or a branch since deleted`);
  } else {
    const commit = run.headSha.slice(0, 12);
    const at = `(at ${history.tip.slice(0, 12)})`;
    if (!history.contains) {
      record.fail(
        CHECK.onBranch,
        `${commit} is not in the history of ${which} ${at}: head_branch ${name} named a tag, or a commit the branch no longer holds`,
      );
    } else if (history.wasTip === false) {
      record.fail(
        CHECK.onBranch,
        `${commit} is in the history of ${which} ${at} but not on its first-parent line, and GitHub's activity record of ${branch} has no push that left it there: the branch reaches it only through a merge's second parent (a merged pull request's own commits, never reviewed as ${branch}), so head_branch ${name} named a tag at it; deploy a run of a commit ${branch} itself was at`,
      );
    } else if (history.wasTip === null) {
      record.fail(
        CHECK.onBranch,
        `${commit} is in the history of ${which} ${at} but over a thousand commits behind it, too far to tell whether ${branch} itself was ever at it, and GitHub's activity record of ${branch} has no push that left it there; evaluate a recent commit`,
      );
    } else if (history.pushedTip) {
      const push = history.pushedTip;
      record.pass(
        CHECK.onBranch,
        `${commit} was the tip of ${which}: GitHub's activity record has the ${push.kind.replaceAll('_', ' ')} that left it there${push.by ? ` by ${push.by}` : ''} at ${push.at} (a later merge put it off the first-parent line ${at})`,
      );
    } else {
      record.pass(CHECK.onBranch, `${commit} is on the first-parent line of ${which} ${at}: the branch itself was at it`);
    }
  }
}

/**
 * The workflow run completed with success, and so did the attempt that made the run: a re-run
 * that succeeds does not vouch for a run that an earlier, failed attempt left behind.
 */
async function successCheck(run: WorkflowRunFacts, source: CiSource, evidence: DeployEvidence, record: CheckRecorder): Promise<void> {
  const succeeded = (r: WorkflowRunFacts) => r.status === 'completed' && r.conclusion === 'success';
  const latest = `status ${run.status ?? 'unknown'}, conclusion ${run.conclusion ?? 'none yet'}`;
  if (!succeeded(run)) return record.fail(CHECK.success, latest);
  const attempt = Number(source.workflowRunAttempt);
  if (!Number.isInteger(attempt) || attempt < 1) {
    return record.fail(CHECK.success, `the run names attempt "${source.workflowRunAttempt}", which no workflow run has`);
  }
  if (attempt === run.runAttempt) return record.pass(CHECK.success, `${latest} (attempt ${attempt}, the one that made the run)`);
  const made = attempt < run.runAttempt ? await evidence.workflowRunAttempt(run.id, attempt) : null;
  if (!made) return record.fail(CHECK.success, `workflow run ${run.id} has no attempt ${attempt} (its latest is ${run.runAttempt})`);
  record.check(
    succeeded(made),
    CHECK.success,
    `attempt ${attempt}, which made the run: status ${made.status ?? 'unknown'}, conclusion ${made.conclusion ?? 'none yet'}; latest attempt ${run.runAttempt}: ${latest}`,
  );
}
