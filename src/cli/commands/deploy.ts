import { UsageError } from '../../errors/index.ts';
import { defaultBranchPatterns, deployPolicy, parseBranchList } from '../../deploy/deploy-policy.ts';
import { checkEligibility, failedChecks } from '../../deploy/eligibility.ts';
import { formatChecksTable } from '../../deploy/format-checks.ts';
import { asGithubApiError } from '../../deploy/github-api-error.ts';
import { octokitEvidence, type OctokitLike } from '../../deploy/octokit-evidence.ts';
import { detectRepository } from '../../github/repository-from-remote.ts';
import { createRestClient } from '../../github/rest-client.ts';
import { unknownSubCommand } from '../unknown-sub-command.ts';
import type { Command } from '../command.ts';

export const deployCommand: Command = {
  name: 'deploy',
  summary: "deploy check: is a run eligible for deployment (made by this repository's CI, untouched)?",
  usage: `usage: labbook deploy check --run <id> [--repository owner/repo] [--workflow <path>]
                            [--allowed-events push,workflow_dispatch] [--allowed-branches main,release/*]
                            [--require-attestation] [--offline] [--json] [--data <dir>]

Runs every eligibility check and prints them as a table; exits 0 only when all pass.
Checks that need GitHub's API (the workflow run, its branch, commit and conclusion, the digest
the CI job recorded as an artifact of that run) use GITHUB_TOKEN (or GH_TOKEN) and
GITHUB_API_URL; --offline runs only the checks that need no API (what the site shows). Offline,
a run's "source: ci" is a claim that cannot be verified: the GitHub checks are reported as
skipped, and the command exits 1, because anyone can write that claim and reseal the files. The repository defaults to GITHUB_REPOSITORY or
the origin remote; the workflow to .github/workflows/evaluate.yml; the branches to the
repository's default branch and its merge queue ("*" allows any), as the action's deploy mode.
Deploying itself is the GitHub Action's deploy mode (see docs/deploy.md).`,
  options: {
    run: { type: 'string' },
    repository: { type: 'string' },
    workflow: { type: 'string' },
    'allowed-events': { type: 'string' },
    'allowed-branches': { type: 'string' },
    'require-attestation': { type: 'boolean' },
    offline: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, ctx) {
    const [sub] = args.positionals;
    if (sub !== 'check') throw unknownSubCommand('deploy', sub, ['check'], 'labbook deploy check --run <id>');
    const runId = args.values.run as string | undefined;
    if (!runId) throw new UsageError('--run is required');
    const offline = Boolean(args.values.offline);
    let evidence;
    let policy;
    if (!offline) {
      const repository = (args.values.repository as string | undefined) ?? (await detectRepository(ctx.rootDir, ctx.env));
      if (!repository) throw new UsageError('cannot tell the repository: pass --repository owner/repo (or use --offline)');
      const client = createRestClient(ctx.env);
      if (!client) throw new UsageError('the API checks need GITHUB_TOKEN (or GH_TOKEN); use --offline for the checks that need no API');
      const events = args.values['allowed-events'] as string | undefined;
      const branches = parseBranchList((args.values['allowed-branches'] as string | undefined) ?? '');
      policy = deployPolicy(repository, {
        workflowPath: args.values.workflow as string | undefined,
        allowedEvents: events
          ? events
              .split(',')
              .map((e) => e.trim())
              .filter(Boolean)
          : undefined,
        allowedBranches: branches !== undefined ? branches : defaultBranchPatterns(await defaultBranch(client, repository)),
        requireAttestation: Boolean(args.values['require-attestation']),
        allowSimulated: ctx.env.LABBOOK_SIMULATED_CI === 'true',
      });
      evidence = octokitEvidence(client, repository);
    }
    const result = await checkEligibility({ dataDir: ctx.dataDir, runId, policy, evidence });
    if (args.values.json) {
      ctx.stdout(JSON.stringify({ run: runId, eligible: result.eligible, offline, checks: result.checks }, null, 2));
    } else {
      ctx.stdout(formatChecksTable(result.checks));
      ctx.stdout(`\n${verdict(result.eligible, offline, failedChecks(result.checks).length > 0)}`);
    }
    return result.eligible ? 0 : 1;
  },
};

function verdict(eligible: boolean, offline: boolean, failed: boolean): string {
  if (eligible) return 'eligible for deployment';
  if (failed || !offline) return 'NOT eligible for deployment';
  return 'NOT verified: no check failed, but source: ci is claimed and not verifiable offline (run without --offline to ask GitHub)';
}

/** The repository's default branch, as GitHub says (`GET /repos/{owner}/{repo}`). */
async function defaultBranch(client: OctokitLike, repository: string): Promise<string> {
  const [owner, repo] = repository.split('/');
  const { data } = await client.request('GET /repos/{owner}/{repo}', { owner, repo }).catch((error: unknown) => {
    throw asGithubApiError(`GET /repos/${repository}`, error);
  });
  return (data as { default_branch: string }).default_branch;
}
