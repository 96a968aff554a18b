import * as core from '@actions/core';
import { LabbookError } from '../../src/errors/index.ts';
import { ciSourceFromEnv } from '../../src/provenance/source-from-env.ts';
import { createRenderer } from '../../src/render/environment.ts';
import { deploy, type DeployResult } from './deploy/deploy.ts';
import { evaluate } from './evaluate/evaluate.ts';
import { gc } from './gc.ts';
import { readGithubContext } from './github-context.ts';
import { parseInputs } from './inputs.ts';
import { merge } from './merge.ts';
import { createOctokit } from './octokit.ts';
import type { ModeResult, Services } from './publish-run.ts';
import { RunNotPublishedError } from './run-not-published-error.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

/**
 * The action's entry: read the inputs, run the mode, set the outputs, and fail the step when
 * the result says so. Every error ends here, in the one catch.
 */
export async function run(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name));
    if (inputs.token) core.setSecret(inputs.token);
    const context = readGithubContext(process.env);
    const source = ciSourceFromEnv(process.env);
    if (!source)
      throw new LabbookError(
        'GITHUB_ACTIONS, GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_SHA must be set: the action records where a run came from',
      );
    const renderer = createRenderer();
    if (inputs.mode === 'deploy') {
      const result = await deploy(inputs, context, source, { octokit: createOctokit(inputs.token), renderer });
      setDeployOutputs(result);
      if (result.failures.length > 0) core.setFailed(result.failures.join('\n'));
      return;
    }
    if (inputs.mode === 'gc') {
      const result = await gc(inputs, context, { octokit: inputs.token ? createOctokit(inputs.token) : null, renderer });
      core.setOutput('removed', JSON.stringify(result.removed));
      core.setOutput('data-bytes', String(result.dataBytes));
      core.setOutput('pushed', result.pushed ? 'true' : 'false');
      if (result.commit) core.setOutput('data-commit', result.commit);
      if (result.failures.length > 0) core.setFailed(result.failures.join('\n'));
      return;
    }
    const services: Services = { octokit: inputs.token ? createOctokit(inputs.token) : null, renderer };
    const result: ModeResult =
      inputs.mode === 'evaluate' ? await evaluate(inputs, context, source, services) : await merge(inputs, context, source, services);
    setOutputs(result);
    if (result.failures.length > 0) core.setFailed(result.failures.join('\n'));
  } catch (error) {
    if (error instanceof RunNotPublishedError) {
      core.setOutput('run-id', error.runId);
      core.setOutput('run-dir', error.runDir);
      core.setOutput('status', error.status);
      core.setOutput('pushed', 'false');
    }
    core.setFailed(errorMessage(error));
  }
}

/**
 * Deploy's outputs. `commit` and `config-path` are set only when every check passed: a later
 * step that checks out `commit` and reads `config-path` gets exactly what the run was made from.
 */
function setDeployOutputs(result: DeployResult): void {
  core.setOutput('eligible', result.eligible ? 'true' : 'false');
  if (result.runId) core.setOutput('run-id', result.runId);
  if (result.handOff) {
    core.setOutput('commit', result.handOff.commit);
    core.setOutput('config-path', result.handOff.configPath);
    core.setOutput('config-repo-path', result.handOff.configRepoPath);
    core.setOutput('config-digest', result.handOff.configDigest);
  }
  if (result.deploymentId !== null) core.setOutput('deployment-id', String(result.deploymentId));
  if (result.recordPath) core.setOutput('record-path', result.recordPath);
}

/** Outputs are set before the step can fail, so an upload-artifact step can use `run-dir`. */
function setOutputs(result: ModeResult): void {
  core.setOutput('run-id', result.run.id);
  core.setOutput('run-dir', result.run.dir);
  core.setOutput('status', result.run.manifest.status);
  core.setOutput('metrics', JSON.stringify(result.run.metrics));
  core.setOutput('regressions', JSON.stringify(result.regressions));
  core.setOutput('pushed', result.publish.kind === 'pushed' ? 'true' : 'false');
  if (result.publish.kind === 'pushed') core.setOutput('data-commit', result.publish.commit);
  if (result.baselineId) core.setOutput('baseline-run-id', result.baselineId);
  if (result.siteUrl) core.setOutput('site-url', result.siteUrl);
  if (result.evidencePath) core.setOutput('evidence-path', result.evidencePath);
  if (result.reportHtmlPath) core.setOutput('report-html-path', result.reportHtmlPath);
  if (result.comment.kind === 'created' || result.comment.kind === 'updated') core.setOutput('comment-url', result.comment.url);
}
