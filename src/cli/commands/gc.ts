import { resolve } from 'node:path';
import { UsageError } from '../../errors/index.ts';
import { applyGcPlan, collectGcPlan } from '../../gc/collect-gc.ts';
import { readRetentionPolicy } from '../../gc/retention-policy.ts';
import { limitWarnings, measureFolder } from '../../gc/storage-health.ts';
import { requireDataFolder } from '../require-data-folder.ts';
import type { Command, CommandContext } from '../command.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { askPullStates, pullNumbersOf, type PullRequestClient } from '../../gc/pull-states.ts';
import { createRestClient } from '../../github/rest-client.ts';
import { detectRepository } from '../../github/repository-from-remote.ts';
import { countNoun } from '../../text/count-noun.ts';

export const gcCommand: Command = {
  name: 'gc',
  summary: 'remove runs the retention policy lets go (dry run unless --apply); report sizes against GitHub limits',
  usage: `usage: labbook gc [--dry-run | --apply] [--closed-pulls <n,…>] [--repository owner/repo] [--site <dir>] [--json] [--data <dir>]

Lists what the retention policy (retention: in labbook.config.yaml) keeps and removes, and
removes it only with --apply. Always kept: runs a deployment record names, runs annotations or
review queues refer to, runs pinned in retention.keep, CI runs of the default branch (where
baselines come from), running runs, and the newest retention.keepPerBranch runs of each branch.
Removed once older than retention.days: local runs, and runs of closed pull requests. With
GITHUB_TOKEN (or GH_TOKEN) set, gc asks GitHub which pull requests are closed (--repository,
default GITHUB_REPOSITORY or the origin remote); --closed-pulls names more. Runs of a pull
request not known to be closed stay: gc never guesses.

Then reports the data folder's size and largest file, and --site <dir> a built site's size,
warning near GitHub's limits (100 MiB per file, 1 GB for a Pages site).

retention:
  days: 30
  keepPerBranch: 5
  defaultBranch: main
  keep: []`,
  options: {
    'dry-run': { type: 'boolean' },
    apply: { type: 'boolean' },
    'closed-pulls': { type: 'string' },
    repository: { type: 'string' },
    site: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, ctx) {
    if (args.values.apply && args.values['dry-run']) throw new UsageError('--apply and --dry-run contradict each other');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const closed = parsePulls(args.values['closed-pulls'] as string | undefined);
    requireDataFolder(ctx.dataDir);
    const policy = await readRetentionPolicy(ctx.dataDir);
    const asked = await pullStatesFromGithub(ctx, args.values.repository as string | undefined);
    const pullState = (n: number) => (closed.has(n) ? 'closed' : (asked.get(n) ?? 'unknown'));
    const plan = await collectGcPlan(ctx.dataDir, policy, { now: new Date(), pullState });
    const drops = plan.decisions.filter((d) => d.action === 'drop');
    const freed = drops.reduce((sum, d) => sum + d.run.bytes, 0);
    const removed = args.values.apply && drops.length > 0 ? await applyGcPlan(ctx.dataDir, plan) : 0;
    const data = await measureFolder(ctx.dataDir);
    const site = args.values.site ? await measureFolder(resolve(ctx.cwd, args.values.site as string)) : undefined;
    const warnings = limitWarnings(data, site);
    if (args.values.json) {
      ctx.stdout(
        JSON.stringify(
          {
            applied: Boolean(args.values.apply),
            policy,
            decisions: plan.decisions.map((d) => ({
              run: d.run.manifest.id,
              experiment: d.run.manifest.experiment,
              action: d.action,
              reason: d.reason,
              bytes: d.run.bytes,
            })),
            problems: plan.problems,
            removed,
            data,
            site: site ?? null,
            warnings,
          },
          null,
          2,
        ),
      );
    } else {
      for (const problem of plan.problems) ctx.stderr(`error: ${problem}`);
      for (const d of drops)
        ctx.stdout(
          `${args.values.apply ? 'removed' : 'would remove'} ${d.run.manifest.experiment}/${d.run.manifest.id} (${formatBytes(d.run.bytes)}): ${d.reason}`,
        );
      ctx.stdout(
        `${countNoun(drops.length, 'run')} ${args.values.apply ? 'removed' : 'to remove'} (${formatBytes(freed)}), ${plan.decisions.length - drops.length} kept${args.values.apply ? '' : '; nothing removed: this was a dry run (--apply removes)'}`,
      );
      ctx.stdout(
        `data: ${formatBytes(data.bytes)} in ${data.files} files; largest ${data.largest ? `${data.largest.path} (${formatBytes(data.largest.bytes)})` : 'none'}${site ? `; site: ${formatBytes(site.bytes)}` : ''}`,
      );
      for (const warning of warnings) ctx.stderr(`warning: ${warning}`);
    }
    return plan.problems.length > 0 ? 1 : 0;
  },
};

/** What GitHub says of the pull requests the data has runs of, when a token allows asking. */
async function pullStatesFromGithub(ctx: CommandContext, repositoryFlag: string | undefined): Promise<Map<number, 'open' | 'closed'>> {
  const client = createRestClient(ctx.env);
  const numbers = await pullNumbersOf(ctx.dataDir);
  if (!client || numbers.length === 0) return new Map();
  const repository = repositoryFlag ?? (await detectRepository(ctx.rootDir, ctx.env));
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new UsageError('cannot tell the repository to ask about pull requests: pass --repository owner/repo');
  return askPullStates(client as unknown as PullRequestClient, repository, numbers, (w) => ctx.stderr(`warning: ${w}`));
}

function parsePulls(value: string | undefined): Set<number> {
  if (!value) return new Set();
  return new Set(
    value.split(',').map((part) => {
      const n = Number(part.trim().replace(/^#/, ''));
      if (!Number.isInteger(n) || n <= 0)
        throw new UsageError(`--closed-pulls takes pull request numbers separated by commas, got "${part}"`);
      return n;
    }),
  );
}
