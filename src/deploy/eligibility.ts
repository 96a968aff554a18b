import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentCheck } from '../../schemas/deployment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import { RUN_FILES } from '../store/layout.ts';
import { verifyRunFiles } from '../store/sha256sums.ts';
import { findRun } from '../store/store.ts';
import { runStatusContext, type DeployPolicy } from './deploy-policy.ts';
import type { CommitStatusFacts, DeployEvidence, WorkflowRunFacts } from './github-evidence.ts';
import { runContentDigest } from './sums-digest.ts';

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
  success: 'workflow run succeeded',
  commit: 'commit matches',
  recorded: 'contents recorded by the CI job',
  attestation: 'artifact attestation',
} as const;

export interface Eligibility {
  eligible: boolean;
  checks: DeploymentCheck[];
  manifest?: RunManifest;
  runDir?: string;
  contentDigest?: string;
}

const GITHUB_ACTIONS_BOT = 'github-actions[bot]';

/**
 * Decides whether a run may be deployed, check by check. Without `evidence` only the checks that
 * need no GitHub API run (what the site shows); a deploy always passes evidence, and every check
 * must pass. Checks never throw for a bad run: they fail with a reason.
 */
export async function checkEligibility(options: { dataDir: string; runId: string; policy?: DeployPolicy; evidence?: DeployEvidence }): Promise<Eligibility> {
  const checks: DeploymentCheck[] = [];
  const pass = (name: string, detail: string) => checks.push({ name, ok: true, detail });
  const fail = (name: string, detail: string) => checks.push({ name, ok: false, detail });

  let located;
  try {
    located = await findRun(options.dataDir, options.runId);
  } catch (error) {
    fail(CHECK.exists, error instanceof LabbookError ? error.message : String(error));
    return { eligible: false, checks };
  }
  const { manifest, dir } = located;
  pass(CHECK.exists, `${manifest.experiment}/${manifest.id}`);
  (manifest.status === 'completed' ? pass : fail)(CHECK.completed, `status is ${manifest.status}${manifest.statusReason ? ` (${manifest.statusReason})` : ''}`);
  const source = manifest.source;
  if (source.kind === 'ci') pass(CHECK.ci, `${source.repository} workflow run ${source.workflowRunId} attempt ${source.workflowRunAttempt}, job ${source.job}`);
  else fail(CHECK.ci, `made on ${source.user}@${source.host} (local): only runs made by a CI job can be deployed`);

  let contentDigest: string | undefined;
  if (!existsSync(join(dir, RUN_FILES.sums))) fail(CHECK.sums, 'SHA256SUMS is missing: the run was never sealed');
  else {
    try {
      const mismatches = await verifyRunFiles(dir);
      contentDigest = await runContentDigest(dir);
      if (mismatches.length === 0) pass(CHECK.sums, `every file matches (${contentDigest.slice(0, 19)}…)`);
      else fail(CHECK.sums, mismatches.map((m) => `${m.file} ${m.problem}`).join(', '));
    } catch (error) {
      fail(CHECK.sums, (error as Error).message);
    }
  }

  if (options.evidence && options.policy) {
    if (source.kind !== 'ci') {
      for (const name of [CHECK.workflowRun, CHECK.fork, CHECK.workflow, CHECK.event, CHECK.success, CHECK.commit, CHECK.recorded]) fail(name, 'the run names no CI job');
    } else {
      await apiChecks({ manifest, source, policy: options.policy, evidence: options.evidence, contentDigest, pass, fail });
    }
  }
  return { eligible: checks.every((c) => c.ok), checks, manifest, runDir: dir, contentDigest };
}

async function apiChecks(args: {
  manifest: RunManifest;
  source: Extract<RunManifest['source'], { kind: 'ci' }>;
  policy: DeployPolicy;
  evidence: DeployEvidence;
  contentDigest?: string;
  pass: (name: string, detail: string) => void;
  fail: (name: string, detail: string) => void;
}): Promise<void> {
  const { manifest, source, policy, evidence, contentDigest, pass, fail } = args;
  const rest = [CHECK.fork, CHECK.workflow, CHECK.event, CHECK.success, CHECK.commit, CHECK.recorded];
  if (source.repository !== policy.repository) {
    fail(CHECK.workflowRun, `the run names repository ${source.repository}, not ${policy.repository}`);
    for (const name of rest) fail(name, 'the workflow run is not in this repository');
    return;
  }
  const run: WorkflowRunFacts | null = await evidence.workflowRun(source.workflowRunId);
  if (!run || run.repository !== policy.repository) {
    fail(CHECK.workflowRun, run ? `workflow run ${source.workflowRunId} belongs to ${run.repository}` : `GitHub has no workflow run ${source.workflowRunId} in ${policy.repository}`);
    for (const name of rest) fail(name, 'no such workflow run in this repository');
    return;
  }
  pass(CHECK.workflowRun, `workflow run ${run.id} in ${run.repository}`);
  (run.headRepository === run.repository ? pass : fail)(CHECK.fork, `head repository ${run.headRepository ?? 'unknown'}`);
  (run.path === policy.workflowPath ? pass : fail)(CHECK.workflow, `ran ${run.path}${run.path === policy.workflowPath ? '' : `, not ${policy.workflowPath}`}`);
  (policy.allowedEvents.includes(run.event) ? pass : fail)(CHECK.event, `${run.event} (allowed: ${policy.allowedEvents.join(', ')})`);
  (run.conclusion === 'success' ? pass : fail)(CHECK.success, `status ${run.status ?? 'unknown'}, conclusion ${run.conclusion ?? 'none yet'}`);
  const commitOk = run.headSha === manifest.code.commit && run.headSha === source.sha;
  (commitOk ? pass : fail)(CHECK.commit, commitOk ? run.headSha : `workflow run built ${run.headSha}, the run names ${manifest.code.commit ?? 'no commit'} (source sha ${source.sha})`);

  if (!contentDigest) {
    fail(CHECK.recorded, 'no SHA256SUMS to compare');
  } else {
    const statuses = await evidence.commitStatuses(run.headSha);
    const verdict = judgeStatus(statuses, runStatusContext(manifest.experiment, manifest.id), contentDigest, run);
    (verdict.ok ? pass : fail)(CHECK.recorded, verdict.detail);
  }

  if (contentDigest) {
    const count = await evidence.attestationCount(contentDigest);
    if (policy.requireAttestation) (count && count > 0 ? pass : fail)(CHECK.attestation, count === null ? 'attestations are not available for this repository' : `${count} attestation(s) for ${contentDigest.slice(0, 19)}…`);
    else if (count && count > 0) pass(CHECK.attestation, `${count} attestation(s) for ${contentDigest.slice(0, 19)}…`);
  }
}

/**
 * The job's record of the run's contents: a status with the run's context, created by the
 * `github-actions[bot]` (a job's GITHUB_TOKEN; a person's token shows their own login), during
 * the workflow run, whose description is the content digest. The newest such status counts.
 */
export function judgeStatus(statuses: CommitStatusFacts[], context: string, digest: string, run: WorkflowRunFacts): { ok: boolean; detail: string } {
  const mine = statuses.filter((s) => s.context === context);
  if (mine.length === 0) return { ok: false, detail: `no commit status "${context}" on ${run.headSha.slice(0, 7)}` };
  const byBot = mine.filter((s) => s.creatorLogin === GITHUB_ACTIONS_BOT);
  if (byBot.length === 0) return { ok: false, detail: `status "${context}" was created by ${mine.map((s) => s.creatorLogin ?? 'unknown').join(', ')}, not by a CI job's token (${GITHUB_ACTIONS_BOT})` };
  const inWindow = byBot.filter((s) => withinRun(s.createdAt, run));
  if (inWindow.length === 0) return { ok: false, detail: `status "${context}" was not created while workflow run ${run.id} ran` };
  const latest = inWindow.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  if (latest.description !== digest) {
    return { ok: false, detail: `the CI job recorded ${latest.description ?? 'nothing'}, the run's files now digest to ${digest}` };
  }
  return { ok: true, detail: `recorded by ${GITHUB_ACTIONS_BOT} at ${latest.createdAt}: ${digest.slice(0, 19)}…` };
}

function withinRun(createdAt: string, run: WorkflowRunFacts): boolean {
  if (!run.runStartedAt || !run.updatedAt) return true; // older API answers lack the window: the other checks still hold
  const at = Date.parse(createdAt);
  return at >= Date.parse(run.runStartedAt) - 60_000 && at <= Date.parse(run.updatedAt) + 60_000;
}
