import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { RunMetrics } from '../../schemas/metrics.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Comparison } from '../../src/compare/comparison.ts';
import type { DataBranch } from '../../src/git/data-branch.ts';
import type { Renderer } from '../../src/render/environment.ts';
import { writeRunEvidence } from '../../src/deploy/run-evidence-file.ts';
import { compareWithBaseline, type BaselineComparison } from './compare-with-baseline.ts';
import { writeHtmlReport } from './html-report.ts';
import { findBaseline, type BaselineResult } from './find-baseline.ts';
import type { GithubContext } from './github-context.ts';
import { upsertComment } from './github/pr-comment.ts';
import { findSiteUrl } from './github/site-url.ts';
import type { EvaluateInputs, MergeInputs } from './inputs.ts';
import type { Octokit } from './octokit.ts';
import { buildRunReport, findRegressions, type BaselineOutcome, type PublishOutcome, type Regression } from './report/run-report.ts';
import { siteLinks } from './report/site-links.ts';
import { pushRun } from './run-on-branch.ts';
import { errorMessage } from '../../src/errors/error-message.ts';
import { formatBytes } from '../../src/text/format-bytes.ts';
import { countNoun } from '../../src/text/count-noun.ts';

export interface Services {
  /** Null without a token: no comment, no site URL. */
  octokit: Octokit | null;
  renderer: Renderer;
}

type CommentOutcome =
  { kind: 'created' | 'updated'; url: string } | { kind: 'skipped'; reason: string } | { kind: 'failed'; reason: string };

/** What an evaluate or merge step did; `main` turns it into outputs and the step's outcome. */
export interface ModeResult {
  mode: 'evaluate' | 'merge';
  run: { id: string; dir: string; manifest: RunManifest; metrics: RunMetrics };
  publish: PublishOutcome;
  baselineId: string | null;
  regressions: Regression[];
  siteUrl: string | null;
  comment: CommentOutcome;
  /**
   * The run's evidence file for deploy (a copy of SHA256SUMS named by `runEvidenceName`), for the
   * workflow's upload-artifact step; null when it could not be written.
   */
  evidencePath: string | null;
  /** The HTML comparison with the baseline (input `report-html`), when one was written. */
  reportHtmlPath: string | null;
  /** Why the step fails, in words; empty when it succeeds. */
  failures: string[];
}

interface SealedRun {
  dir: string;
  manifest: RunManifest;
  metrics: RunMetrics;
  /** Problems found while sealing (bad trace lines, orphan spans), one line each. */
  problems: string[];
}

interface PublishRunOptions {
  mode: 'evaluate' | 'merge';
  inputs: EvaluateInputs | MergeInputs;
  context: GithubContext;
  services: Services;
  data: DataBranch;
  dataDir: string;
  run: SealedRun;
  /**
   * Why no evidence file is written for this run, when it must not be deployable: a merged run
   * whose shard runs could not be checked against this workflow run's artifacts.
   */
  withholdEvidence?: string;
}

/**
 * Everything after a run is sealed: find the baseline and compare, push the run, write the
 * evidence file the workflow uploads as an artifact of this workflow run, write the job summary and the PR comment, and decide whether the
 * step fails. The push comes first among the things that can fail the step, so a failing
 * gate or comment never loses the run.
 */
export async function publishRun(options: PublishRunOptions): Promise<ModeResult> {
  const { inputs, context, services, data, run } = options;
  const { manifest } = run;
  const isShard = manifest.shard !== undefined;
  const warnings = [...run.problems];

  const found: BaselineResult = isShard
    ? { kind: 'none', reason: 'shard runs are compared once merged' }
    : await core.group('Finding the baseline', async () => {
        try {
          const result = await findBaseline(data, {
            dataPath: inputs.dataPath,
            experiment: manifest.experiment,
            configName: manifest.config.name,
            spec: inputs.baseline,
            defaultBranch: context.defaultBranch,
            exclude: manifest.id,
          });
          core.info(result.kind === 'found' ? `baseline: ${result.manifest.id} (${result.reason})` : `no baseline: ${result.reason}`);
          return result;
        } catch (error) {
          // The run is still pushed: a baseline is a comparison, not a condition.
          warnings.push(`could not look for a baseline: ${errorMessage(error)}`);
          return { kind: 'none' as const, reason: 'looking for one failed (see the warnings)' };
        }
      });
  const baseline: BaselineOutcome = found.kind === 'found' ? { kind: 'found', manifest: found.manifest, why: found.reason } : found;

  let comparison: Comparison | null = null;
  let compared: BaselineComparison | null = null;
  if (found.kind === 'found') {
    try {
      compared = await compareWithBaseline({ dir: found.dir, manifest: found.manifest }, { dir: run.dir, manifest });
      comparison = compared.comparison;
      warnings.push(...comparison.warnings);
    } catch (error) {
      warnings.push(`could not compare with ${found.manifest.id}: ${errorMessage(error)}`);
    }
  }

  const publish = await core.group(`Pushing the run to ${data.branch}`, () => pushOrSkip(options));
  const octokit = services.octokit;
  const siteUrl = octokit ? await findSiteUrl(octokit, context.repository.owner, context.repository.repo) : null;

  // Deploy's evidence that this workflow run made these contents. The action cannot upload an
  // artifact itself (that needs @actions/artifact and the runtime token); the workflow's next
  // step does, with actions/upload-artifact and archive: false (docs/deploy.md).
  let evidencePath: string | null = null;
  if (options.withholdEvidence) {
    const why = `no evidence file for this run, so deploy will refuse it: ${options.withholdEvidence}`;
    core.warning(why);
    warnings.push(why);
  } else {
    try {
      evidencePath = await writeRunEvidence(run.dir, join(context.tempDir, 'labbook-evidence'), manifest.experiment, manifest.id);
    } catch (error) {
      warnings.push(`could not write the run's evidence file (deploy will not find it): ${errorMessage(error)}`);
    }
  }

  // The comparison as one HTML file for the workflow's upload-artifact step; like the evidence
  // file, a report that cannot be written is a warning, never a reason to lose the run.
  let reportHtmlPath: string | null = null;
  if (inputs.reportHtml !== undefined) {
    if (compared && found.kind === 'found') {
      const file = resolve(context.workspace, inputs.reportHtml);
      try {
        const bytes = await writeHtmlReport(
          compared,
          { baseline: { dir: found.dir, manifest: found.manifest }, current: { dir: run.dir, manifest, metrics: run.metrics } },
          file,
        );
        reportHtmlPath = file;
        core.info(`wrote the HTML comparison with ${found.manifest.id} to ${file} (${formatBytes(bytes)})`);
      } catch (error) {
        warnings.push(`could not write the HTML report ${inputs.reportHtml}: ${errorMessage(error)}`);
      }
    } else {
      core.info(
        `no HTML report: ${isShard ? 'shard runs are compared once merged' : found.kind === 'found' ? 'the comparison failed (see the warnings)' : `no baseline (${found.reason})`}`,
      );
    }
  }

  const view = buildRunReport({
    manifest,
    metrics: run.metrics,
    baseline,
    comparison,
    publish,
    links: siteLinks(siteUrl),
    repositoryUrl: `${context.serverUrl}/${context.repository.fullName}`,
    warnings,
    gateMode: inputs.gate,
    ...(compared ? { judges: compared.judges } : {}),
  });
  // From here on the run is published: what fails is reported, and the outputs are still set.
  const failures: string[] = [];
  try {
    await core.summary
      .addRaw(services.renderer.render('job-summary.njk', { view, htmlReport: reportHtmlPath ? inputs.reportHtml : null }), true)
      .write();
  } catch (error) {
    failures.push(`could not write the job summary: ${errorMessage(error)}`);
  }
  const comment = await commentOnPullRequest(options, isShard, () => services.renderer.render('pr-comment.njk', { view }), view.marker);

  const regressions = comparison ? findRegressions(comparison, manifest.id) : [];
  if (publish.kind === 'failed') {
    failures.push(
      `the run could not be pushed to ${publish.branch} after ${countNoun(publish.attempts, 'attempt')}: ${publish.reason}. It is kept in ${run.dir} (the "run-dir" output) for an upload-artifact step.`,
    );
  }
  if (manifest.status === 'failed') failures.push(`the run ${manifest.id} failed: ${manifest.statusReason ?? 'see the log'}`);
  if (manifest.status === 'partial') core.warning(`the run ${manifest.id} is partial: ${manifest.statusReason ?? ''}`);
  if (inputs.failOnRegression && regressions.length > 0) {
    failures.push(
      `${countNoun(regressions.length, 'metric')} got significantly worse than ${baseline.kind === 'found' ? baseline.manifest.id : 'the baseline'}:\n${view.regressions.map((r) => `  - ${r.text}`).join('\n')}`,
    );
  }
  if (inputs.gate === 'non-inferiority') {
    const blocking = view.gates.filter((g) => g.decision !== 'pass');
    if (!comparison) failures.push('gate: non-inferiority needs a baseline to compare with, and none was found');
    else if (view.gates.length === 0) failures.push('gate: non-inferiority, but no metric has a margin in plan.yaml or experiment.yaml');
    else if (blocking.length > 0)
      failures.push(
        `non-inferiority not shown against ${baseline.kind === 'found' ? baseline.manifest.id : 'the baseline'} (gate ${view.gate?.headline ?? ''}):\n${blocking.map((g) => `  - ${g.text}`).join('\n')}`,
      );
    if (view.plan) for (const flag of view.plan.flags) core.warning(`eval plan: ${flag}`);
  }
  return {
    mode: options.mode,
    run: { id: manifest.id, dir: run.dir, manifest, metrics: run.metrics },
    publish,
    baselineId: baseline.kind === 'found' ? baseline.manifest.id : null,
    regressions,
    siteUrl,
    comment,
    evidencePath,
    reportHtmlPath,
    failures,
  };
}

async function pushOrSkip({ context, data, dataDir, inputs, run }: PublishRunOptions): Promise<PublishOutcome> {
  if (context.pullRequest?.fromFork) {
    core.notice(
      'This pull request comes from a fork, whose token is read-only: the run is not pushed. The "run-dir" output names its folder for an upload-artifact step.',
    );
    return { kind: 'skipped', reason: 'pull requests from forks have a read-only token' };
  }
  const result = await pushRun(data, {
    runDir: run.dir,
    manifest: run.manifest,
    dataDir,
    dataPath: inputs.dataPath,
    onRetry: (attempt, delayMs, reason) =>
      core.info(`push ${attempt} was rejected (${reason}); fetching, rebasing and retrying in ${(delayMs / 1000).toFixed(1)} s`),
  });
  if (result.kind === 'pushed') {
    core.info(
      `pushed ${run.manifest.id} to ${data.branch} as ${result.commit}${result.createdBranch ? ` (created ${data.branch} as an orphan branch)` : ''}`,
    );
    return { kind: 'pushed', branch: data.branch, commit: result.commit, attempts: result.attempts };
  }
  const hint = result.permanent
    ? ' The remote refused for good: a protected branch needs an App token or an unprotected data branch; a fork needs write access.'
    : '';
  return { kind: 'failed', branch: data.branch, reason: `${result.reason}${hint}`, attempts: result.attempts };
}

async function commentOnPullRequest(
  { inputs, context, services }: PublishRunOptions,
  isShard: boolean,
  body: () => string,
  marker: string,
): Promise<CommentOutcome> {
  const pr = context.pullRequest;
  if (!pr) return { kind: 'skipped', reason: 'not a pull request' };
  if (inputs.comment === false) return { kind: 'skipped', reason: 'the comment input is false' };
  if (isShard) return { kind: 'skipped', reason: 'shard runs are commented on by the merge job' };
  if (pr.fromFork) {
    core.notice('This pull request comes from a fork, whose token is read-only: no comment is posted (the job summary has the results).');
    return { kind: 'skipped', reason: 'pull requests from forks have a read-only token' };
  }
  if (!services.octokit) return { kind: 'skipped', reason: 'no github-token' };
  try {
    const result = await upsertComment(
      services.octokit,
      { owner: context.repository.owner, repo: context.repository.repo, issueNumber: pr.number },
      marker,
      body(),
    );
    core.info(`${result.kind} the pull request comment ${result.url}`);
    return { kind: result.kind, url: result.url };
  } catch (error) {
    core.warning(`could not comment on pull request #${pr.number}: ${errorMessage(error)}`);
    return { kind: 'failed', reason: errorMessage(error) };
  }
}
