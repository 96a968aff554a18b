import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import type { Deployment, DeploymentCheck } from '../../../schemas/deployment.ts';
import type { CiSource, RunManifest } from '../../../schemas/run-manifest.ts';
import { defaultBranchPatterns, deployPolicy } from '../../../src/deploy/deploy-policy.ts';
import { writeDeploymentRecord } from '../../../src/deploy/deployment-record.ts';
import { CHECK, checkEligibility, failedChecks, type Eligibility } from '../../../src/deploy/eligibility.ts';
import { octokitEvidence } from '../../../src/deploy/octokit-evidence.ts';
import type { DataBranch } from '../../../src/git/data-branch.ts';
import type { Renderer } from '../../../src/render/environment.ts';
import { RUN_FILES } from '../../../src/store/layout.ts';
import { dataBranchName, openDataCheckout } from '../data-checkout.ts';
import type { GithubContext } from '../github-context.ts';
import { InputError } from '../input-error.ts';
import type { DeployInputs } from '../inputs.ts';
import type { Octokit } from '../octokit.ts';
import { dataRoot, deploymentPath, PUSH_POLICY, runPath } from '../run-on-branch.ts';
import { buildDeployReport, refusalReason, type DeployOutcome, type RecordOutcome } from './deploy-report.ts';
import { findRunOnBranch } from './find-run-on-branch.ts';
import { createDeployment, setDeploymentStatus } from '../github/deployment.ts';
import { runDeployCommand } from './run-deploy-command.ts';
import { errorMessage } from '../../../src/errors/error-message.ts';

/** What a deploy step did; `main` turns it into outputs and the step's outcome. */
export interface DeployResult {
  mode: 'deploy';
  eligible: boolean;
  /** The run's full id, when it was found. */
  runId: string | null;
  /** Set only when every check passed: what later steps check out and use. */
  handOff: { commit: string; configPath: string; configRepoPath: string; configDigest: string } | null;
  deploymentId: number | null;
  /** The record's path on the data branch, when it was pushed. */
  recordPath: string | null;
  /** Why the step fails, in words; empty when it succeeds. */
  failures: string[];
}

interface DeployServices {
  octokit: Octokit;
  renderer: Renderer;
}

/**
 * Deploy mode: find the run on the data branch, run every eligibility check with GitHub's
 * evidence, and only when all pass create a Deployment of the run's commit (in_progress), hand
 * the commit and the run's stored config to the deploy command and later steps, and set its
 * final status. A refusal still creates the Deployment, with a `failure` status naming the
 * failed checks, so the environment's history shows the attempt. Either way the attempt is
 * recorded as a new file on the data branch.
 */
export async function deploy(
  inputs: DeployInputs,
  context: GithubContext,
  source: CiSource,
  services: DeployServices,
): Promise<DeployResult> {
  const branch = dataBranchName(context, inputs.dataBranch);
  const data = await openDataCheckout(context, branch, inputs.token);
  try {
    return await deployFrom(data, inputs, context, source, services);
  } finally {
    await data.dispose();
  }
}

async function deployFrom(
  data: DataBranch,
  inputs: DeployInputs,
  context: GithubContext,
  source: CiSource,
  services: DeployServices,
): Promise<DeployResult> {
  const { owner, repo, fullName } = context.repository;
  const eligibility = await core.group(`Checking whether ${inputs.run} may be deployed to ${inputs.environment}`, async () => {
    const lookup = await findRunOnBranch(data, { dataPath: inputs.dataPath, wanted: inputs.run, experiment: inputs.experiment });
    if (lookup.kind === 'missing')
      return { eligible: false, offline: false, checks: [{ name: CHECK.exists, ok: false, detail: lookup.reason }] } satisfies Eligibility;
    const policy = deployPolicy(fullName, {
      workflowPath: inputs.workflow,
      allowedEvents: inputs.allowedEvents,
      allowedBranches: allowedBranches(inputs, context),
      requireAttestation: inputs.requireAttestation,
      // A simulated run (npm run demo) is deployable only by a deploy job that is simulated too.
      allowSimulated: source.simulated === true,
    });
    return checkEligibility({
      dataDir: join(data.dir, dataRoot(inputs.dataPath)),
      runId: lookup.run.runId,
      policy,
      evidence: octokitEvidence(services.octokit, fullName),
    });
  });
  for (const check of eligibility.checks) {
    const line = `${check.name}: ${check.detail}`;
    if (check.ok) core.info(`✅ ${line}`);
    else if (check.skipped) core.info(`⏭️ ${line}`);
    else core.error(line, { title: `deploy check failed: ${check.name}` });
  }

  const manifest = eligibility.manifest ?? null;
  const failures: string[] = [];
  const logUrl = `${context.serverUrl}/${fullName}/actions/runs/${context.workflowRun.runId}/attempts/${context.workflowRun.attempt}`;
  const target = manifest ? `${manifest.experiment}/${manifest.id}` : inputs.run;

  // A refused run's commit is only used when the checks proved GitHub built it; otherwise the
  // refusal is filed on the commit this workflow runs on, which surely exists.
  const commitVerified = eligibility.checks.some((c) => c.name === CHECK.commit && c.ok);
  const ref = commitVerified && manifest?.code.commit ? manifest.code.commit : context.sha;
  let deployment: { id: number } | null = null;
  let creationFailure = '';
  try {
    deployment = await createDeployment(services.octokit, {
      owner,
      repo,
      ref,
      environment: inputs.environment,
      payload: {
        run: manifest?.id ?? inputs.run,
        ...(manifest ? { experiment: manifest.experiment, configDigest: manifest.config.digest } : {}),
        ...(eligibility.contentDigest ? { contentDigest: eligibility.contentDigest } : {}),
      },
      description: `Labbook: ${target}${eligibility.eligible ? '' : ' (refused)'}`,
    });
    core.info(`created deployment ${deployment.id} of ${ref} to ${inputs.environment}`);
  } catch (error) {
    creationFailure = `could not create the GitHub deployment: ${errorMessage(error)} (does the job have "deployments: write"?)`;
    if (!eligibility.eligible) core.warning(creationFailure);
  }
  const setStatus = async (state: 'in_progress' | 'success' | 'failure', description: string) => {
    if (!deployment) return;
    try {
      await setDeploymentStatus(services.octokit, { owner, repo, deploymentId: deployment.id }, { state, description, logUrl });
    } catch (error) {
      core.warning(`could not set deployment ${deployment.id} to ${state}: ${errorMessage(error)}`);
    }
  };

  let outcome: DeployOutcome;
  let handOff: DeployResult['handOff'] = null;
  if (!eligibility.eligible) {
    const failed = failedChecks(eligibility.checks);
    outcome = { kind: 'refused', failed };
    await setStatus('failure', `refused: ${failed.map((c) => c.name).join(', ')}`);
    failures.push(`refused to deploy ${target} to ${inputs.environment}: ${refusalReason(eligibility.checks)}. Nothing was deployed.`);
  } else if (!deployment) {
    outcome = { kind: 'failed', reason: creationFailure };
  } else {
    const run = manifest!;
    await setStatus('in_progress', `deploying ${target}`);
    handOff = {
      commit: run.code.commit!,
      configPath: await handOffConfig(context, eligibility.runDir!, run),
      configRepoPath: run.config.path,
      configDigest: run.config.digest,
    };
    core.info(`commit ${handOff.commit}, config ${handOff.configPath} (${handOff.configDigest})`);
    outcome = { kind: 'deployed', commandRan: false };
    if (inputs.deployCommand !== undefined) {
      const configPath = handOff.configPath;
      const command = await core.group('Running the deploy command', () =>
        runDeployCommand(inputs.deployCommand!, {
          cwd: context.workspace,
          env: process.env,
          run,
          environment: inputs.environment,
          configPath,
        }),
      );
      outcome = command.ok ? { kind: 'deployed', commandRan: true } : { kind: 'failed', reason: command.reason };
    }
    await (outcome.kind === 'deployed' ? setStatus('success', `deployed ${target}`) : setStatus('failure', outcome.reason));
  }
  if (outcome.kind === 'failed') failures.push(`the deployment of ${target} to ${inputs.environment} failed: ${outcome.reason}`);

  const record = await core.group(`Recording the deployment on ${data.branch}`, async (): Promise<RecordOutcome> => {
    try {
      return await recordDeployment(data, { inputs, context, source, manifest, outcome, deployment, checks: eligibility.checks });
    } catch (error) {
      // The deployment happened (or was refused) whatever the record's fate: say so, keep going.
      return {
        kind: 'failed',
        path: manifest ? `${dataRoot(inputs.dataPath)}/${manifest.experiment}/deployments/` : dataRoot(inputs.dataPath),
        branch: data.branch,
        reason: errorMessage(error),
      };
    }
  });
  if (record.kind === 'failed') failures.push(`the deployment record could not be pushed to ${record.branch}: ${record.reason}`);
  else
    core.info(
      record.kind === 'pushed' ? `recorded ${record.path} on ${record.branch} as ${record.commit}` : `not recorded: ${record.reason}`,
    );

  const view = buildDeployReport({
    runInput: inputs.run,
    environment: inputs.environment,
    checks: eligibility.checks,
    manifest,
    outcome,
    deployment,
    record,
    configPath: handOff?.configPath ?? null,
    repositoryUrl: `${context.serverUrl}/${fullName}`,
  });
  try {
    await core.summary.addRaw(services.renderer.render('deploy-summary.njk', { view }), true).write();
  } catch (error) {
    failures.push(`could not write the job summary: ${errorMessage(error)}`);
  }
  return {
    mode: 'deploy',
    eligible: eligibility.eligible,
    runId: manifest?.id ?? null,
    handOff,
    deploymentId: deployment?.id ?? null,
    recordPath: record.kind === 'pushed' ? record.path : null,
    failures,
  };
}

/** The `allowed-branches` input, else the repository's default branch (from the event payload) and its merge queue. */
function allowedBranches(inputs: DeployInputs, context: GithubContext): string[] | null {
  if (inputs.allowedBranches !== undefined) return inputs.allowedBranches;
  if (!context.defaultBranch) {
    throw new InputError(
      'allowed-branches',
      undefined,
      'the event payload does not name the default branch: say which branches deployable runs may come from (or "*" for any)',
    );
  }
  return defaultBranchPatterns(context.defaultBranch);
}

/**
 * Copies the run's stored config (verified by the checks) out of the data checkout, which is
 * deleted when the step ends, to a fixed place in the runner's temp folder that later steps of
 * the job can read: `$RUNNER_TEMP/labbook-deploy/<run-id>/config.yaml`.
 */
async function handOffConfig(context: GithubContext, runDir: string, manifest: RunManifest): Promise<string> {
  const dir = join(context.tempDir, 'labbook-deploy', manifest.id);
  await mkdir(dir, { recursive: true });
  const file = join(dir, RUN_FILES.config);
  await copyFile(join(runDir, RUN_FILES.config), file);
  return file;
}

async function recordDeployment(
  data: DataBranch,
  args: {
    inputs: DeployInputs;
    context: GithubContext;
    source: CiSource;
    manifest: RunManifest | null;
    outcome: DeployOutcome;
    deployment: { id: number } | null;
    checks: DeploymentCheck[];
  },
): Promise<RecordOutcome> {
  const { inputs, context, manifest, outcome } = args;
  if (!manifest) return { kind: 'none', reason: 'the run was not found, so there is no experiment to file a record under' };
  const reason = outcome.kind === 'refused' ? refusalReason(args.checks) : outcome.kind === 'failed' ? outcome.reason : undefined;
  const fields: Omit<Deployment, 'id' | 'schemaVersion'> = {
    environment: inputs.environment,
    experiment: manifest.experiment,
    run: manifest.id,
    commit: manifest.code.commit ?? '',
    configPath: `${runPath(inputs.dataPath, manifest.experiment, manifest.id)}/${RUN_FILES.config}`,
    configDigest: manifest.config.digest,
    actor: context.actor,
    at: new Date().toISOString(),
    workflowRunUrl: args.source.runUrl,
    ...(args.deployment ? { githubDeploymentId: args.deployment.id } : {}),
    outcome: outcome.kind === 'deployed' ? 'success' : 'failure',
    ...(reason ? { reason } : {}),
    checks: args.checks,
  };
  const staging = await mkdtemp(join(context.tempDir, 'labbook-record-'));
  const written = await writeDeploymentRecord(staging, fields);
  const path = deploymentPath(inputs.dataPath, manifest.experiment, written.deployment.id);
  await data.commit({
    folders: [],
    filesIfMissing: [{ from: written.file, to: path }],
    message: [
      `labbook: deploy ${manifest.experiment}/${manifest.id} to ${inputs.environment} (${fields.outcome})`,
      '',
      ...(reason ? [reason, ''] : []),
      `Workflow run: ${args.source.runUrl}`,
    ].join('\n'),
  });
  const pushed = await data.push({
    ...PUSH_POLICY,
    onRetry: (attempt, delayMs, why) => core.info(`push ${attempt} was rejected (${why}); retrying in ${(delayMs / 1000).toFixed(1)} s`),
  });
  if (pushed.kind === 'pushed') return { kind: 'pushed', path, branch: data.branch, commit: pushed.commit };
  return { kind: 'failed', path, branch: data.branch, reason: pushed.reason };
}
