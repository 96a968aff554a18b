import { basename, resolve } from 'node:path';
import * as core from '@actions/core';
import type { CiSource } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../../src/errors/index.ts';
import { mergeShardRuns } from '../../src/shard-merge/merge-shard-runs.ts';
import type { ShardCandidate } from '../../src/shard-merge/select-shard-runs.ts';
import { selectShardRuns } from '../../src/shard-merge/select-shard-runs.ts';
import { parseShardRunId } from '../../src/shard-merge/shard-run-id.ts';
import { describeFinishProblems } from '../../src/store/finish-problems.ts';
import { slugify } from '../../src/store/names.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { dataBranchName, openDataCheckout } from './data-checkout.ts';
import type { GithubContext } from './github-context.ts';
import type { MergeInputs } from './inputs.ts';
import { publishRun, type ModeResult, type Services } from './publish-run.ts';
import { keepShardsRecordedByThisRun } from './shard-evidence.ts';
import { runPath, runsPath } from './run-on-branch.ts';
import { RunNotPublishedError } from './run-not-published-error.ts';

/**
 * Merge mode: finds the shard runs that this workflow run pushed for the config (by their
 * folder names, then their run.json), joins them into one run, and publishes it. A shard
 * that never arrived makes the run `partial` and is named.
 */
/**
 * The shard runs found, less those no job of this workflow run recorded (each named, with why).
 * `unchecked` says why none could be checked: the merged run then gets no evidence file, since
 * its evidence would vouch for shard runs anyone with write access could have pushed.
 */
async function shardsToMerge(
  found: ShardCandidate[],
  context: GithubContext,
  services: Services,
): Promise<{ candidates: ShardCandidate[]; unchecked: string | null }> {
  const outcome = await keepShardsRecordedByThisRun(found, {
    octokit: services.octokit,
    repository: context.repository.fullName,
    workflowRunId: context.workflowRun.runId,
  });
  if (outcome.kind === 'not-checked') {
    core.warning(
      `the shard runs were not checked against this workflow run's evidence artifacts (${outcome.reason}): anyone who can push to the data branch could have added one. Give the merge job actions: read and upload evidence-path in the shard jobs (docs/deploy.md).`,
    );
    return { candidates: found, unchecked: `its shard runs were not checked against this workflow run's artifacts (${outcome.reason})` };
  }
  for (const { runId, reason } of outcome.refused) core.warning(`not merged: ${runId}: ${reason}`);
  return { candidates: outcome.kept, unchecked: null };
}

export async function merge(inputs: MergeInputs, context: GithubContext, source: CiSource, services: Services): Promise<ModeResult> {
  const branch = dataBranchName(context, inputs.dataBranch);
  const configName = slugify(basename(inputs.config));
  const data = await openDataCheckout(context, branch, inputs.token);
  try {
    const ids = (await data.list(runsPath(inputs.dataPath, inputs.experiment))).filter(
      (id) => parseShardRunId(id, configName)?.workflowRunId === context.workflowRun.runId,
    );
    const dirs = await data.include(ids.map((id) => runPath(inputs.dataPath, inputs.experiment, id)));
    const found: ShardCandidate[] = await Promise.all(dirs.map(async (dir) => ({ dir, manifest: await readRunManifest(dir) })));
    const { candidates, unchecked } = await core.group("Checking the shard runs against this workflow run's evidence", () =>
      shardsToMerge(found, context, services),
    );
    const selection = selectShardRuns(candidates, {
      workflowRunId: context.workflowRun.runId,
      repository: context.repository.fullName,
      configName,
    });
    if (!selection) {
      throw new LabbookError(
        `no shard runs of config ${configName} from workflow run ${context.workflowRun.runId} on ${branch}: did the shard jobs run with "shard: i/n" and push to this data branch?`,
      );
    }
    for (const skipped of selection.ignored) core.info(`not merged: ${skipped.runId} (${skipped.reason})`);
    core.info(
      `merging ${selection.chosen.length} of ${selection.count} shards${selection.missing.length ? `; missing: ${selection.missing.join(', ')}` : ''}`,
    );

    const dataDir = resolve(context.workspace, inputs.dataPath);
    const { dir, finished } = await mergeShardRuns({ shards: selection.chosen, missing: selection.missing, dataDir, source });
    const problems = describeFinishProblems(finished);
    for (const problem of problems) core.warning(problem);
    try {
      return await publishRun({
        mode: 'merge',
        inputs,
        context,
        services,
        data,
        dataDir,
        run: { dir, manifest: finished.manifest, metrics: finished.metrics, problems },
        ...(unchecked ? { withholdEvidence: unchecked } : {}),
      });
    } catch (error) {
      throw new RunNotPublishedError(finished.manifest.id, dir, finished.manifest.status, error);
    }
  } finally {
    await data.dispose();
  }
}
