import * as core from '@actions/core';
import { collectGcPlan } from '../../src/gc/collect-gc.ts';
import { readRetentionPolicy } from '../../src/gc/retention-policy.ts';
import { limitWarnings, measureFolder } from '../../src/gc/storage-health.ts';
import { LabbookError } from '../../src/errors/index.ts';
import { askPullStates, pullNumbersOf } from '../../src/gc/pull-states.ts';
import type { Renderer } from '../../src/render/environment.ts';
import { TOOL_VERSION } from '../../src/store/version.ts';
import { dataBranchName, openDataCheckout } from './data-checkout.ts';
import type { GithubContext } from './github-context.ts';
import type { GcInputs } from './inputs.ts';
import type { Octokit } from './octokit.ts';
import { dataRoot, PUSH_POLICY, runPath } from './run-on-branch.ts';
import { formatBytes } from '../../src/text/format-bytes.ts';
import { countNoun } from '../../src/text/count-noun.ts';

interface GcResult {
  removed: Array<{ experiment: string; run: string; reason: string; bytes: number }>;
  applied: boolean;
  pushed: boolean;
  commit?: string;
  dataBytes: number;
  failures: string[];
}

/**
 * Gc mode: checks the data branch out (its data folder in full: sizes need every file), applies
 * the retention policy of the workspace's labbook.config.yaml, and with `apply` removes the runs
 * it lets go in one commit, pushed with the same retried, conflict-free push as evaluation (a run
 * folder removed upstream meanwhile is no conflict). Pull requests are asked about only with a
 * token; a pull request GitHub does not say is closed keeps its runs.
 */
export async function gc(
  inputs: GcInputs,
  context: GithubContext,
  services: { octokit: Octokit | null; renderer: Renderer },
): Promise<GcResult> {
  const branch = dataBranchName(context, inputs.dataBranch);
  const data = await openDataCheckout(context, branch, inputs.token);
  try {
    if (!data.exists) throw new LabbookError(`the data branch ${branch} does not exist: nothing to collect`);
    const [dataDir] = await data.include([dataRoot(inputs.dataPath)]);
    const policy = await readRetentionPolicy(context.workspace, context.defaultBranch ? { defaultBranch: context.defaultBranch } : {});
    const pulls = await pullStates(dataDir!, context, services.octokit);
    const plan = await collectGcPlan(dataDir!, policy, { now: new Date(), pullState: (n) => pulls.get(n) ?? 'unknown' });
    for (const problem of plan.problems) core.error(problem);
    const drops = plan.decisions.filter((d) => d.action === 'drop');
    const removed = drops.map((d) => ({
      experiment: d.run.manifest.experiment,
      run: d.run.manifest.id,
      reason: d.reason,
      bytes: d.run.bytes,
    }));
    const before = await measureFolder(dataDir!);
    const result: GcResult = { removed, applied: false, pushed: false, dataBytes: before.bytes, failures: [] };
    if (plan.problems.length > 0)
      result.failures.push(`gc removed nothing: ${countNoun(plan.problems.length, 'file')} could not be read (see the errors above)`);
    else if (inputs.apply && drops.length > 0) {
      await data.commit({
        folders: [],
        filesIfMissing: [],
        removeFolders: drops.map((d) => runPath(inputs.dataPath, d.run.manifest.experiment, d.run.manifest.id)),
        message: [
          `labbook gc: remove ${countNoun(drops.length, 'run')} the retention policy lets go`,
          '',
          ...removed.map((r) => `${r.experiment}/${r.run}: ${r.reason}`),
        ].join('\n'),
      });
      const pushed = await data.push({
        ...PUSH_POLICY,
        onRetry: (attempt, delay, reason) => core.info(`push ${attempt} refused (${reason}); retrying in ${Math.round(delay)} ms`),
      });
      result.applied = true;
      if (pushed.kind === 'pushed') {
        result.pushed = true;
        result.commit = pushed.commit;
        result.dataBytes = before.bytes - drops.reduce((sum, d) => sum + d.run.bytes, 0);
      } else
        result.failures.push(
          `the removal could not be pushed to ${branch} after ${countNoun(pushed.attempts, 'attempt')}: ${pushed.reason}`,
        );
    }
    const after = result.pushed ? await measureFolder(dataDir!) : before;
    const warnings = limitWarnings(after);
    for (const warning of warnings) core.warning(warning);
    const view = {
      title: `Retention on ${branch}`,
      verdict:
        drops.length === 0
          ? `Nothing to remove: ${plan.decisions.length === 1 ? 'the one run is' : `all ${countNoun(plan.decisions.length, 'run')} are`} kept by the policy.`
          : result.pushed
            ? `Removed ${countNoun(drops.length, 'run')} (${formatBytes(before.bytes - after.bytes)}); ${plan.decisions.length - drops.length} kept.`
            : `${countNoun(drops.length, 'run')} ${inputs.apply ? (drops.length === 1 ? 'was to be removed but was not' : 'were to be removed but were not') : `would be removed (a dry run: set apply: true to remove ${drops.length === 1 ? 'it' : 'them'})`}; ${plan.decisions.length - drops.length} kept.`,
      removed: removed.map((r) => ({ ...r, size: formatBytes(r.bytes) })),
      branch,
      size: formatBytes(after.bytes),
      files: after.files,
      largest: after.largest ? `${after.largest.path} (${formatBytes(after.largest.bytes)})` : 'none',
      warnings,
      tool: `Labbook ${TOOL_VERSION}`,
    };
    await core.summary.addRaw(services.renderer.render('gc-summary.njk', { view }), true).write();
    core.info(view.verdict);
    return result;
  } finally {
    await data.dispose();
  }
}

/** Open or closed, for each pull request the data branch has runs of (asked only with a token). */
async function pullStates(dataDir: string, context: GithubContext, octokit: Octokit | null): Promise<Map<number, 'open' | 'closed'>> {
  const numbers = await pullNumbersOf(dataDir);
  if (!octokit) {
    if (numbers.length > 0)
      core.info(
        `no github-token: the runs of ${countNoun(numbers.length, 'pull request')} are kept, since gc cannot ask whether they are closed`,
      );
    return new Map();
  }
  return askPullStates(octokit, context.repository.fullName, numbers, (w) => core.warning(w));
}
