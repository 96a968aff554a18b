import { resolve } from 'node:path';
import { UsageError } from '../../errors/index.ts';
import { applyGcPlan, collectGcPlan } from '../../gc/collect-gc.ts';
import { readRetentionPolicy } from '../../gc/retention-policy.ts';
import { limitWarnings, measureFolder } from '../../gc/storage-health.ts';
import type { Command } from '../command.ts';

export const gcCommand: Command = {
  name: 'gc',
  summary: 'remove runs the retention policy lets go (dry run unless --apply); report sizes against GitHub limits',
  usage: `usage: labbook gc [--dry-run | --apply] [--closed-pulls <n,…>] [--site <dir>] [--json] [--data <dir>]

Lists what the retention policy (retention: in labbook.config.yaml) keeps and removes, and
removes it only with --apply. Always kept: runs a deployment record names, runs annotations or
review queues refer to, runs pinned in retention.keep, CI runs of the default branch (where
baselines come from), running runs, and the newest retention.keepPerBranch runs of each branch.
Removed once older than retention.days: local runs, and runs of pull requests given in
--closed-pulls (runs of other pull requests stay: gc does not guess a pull request is closed).

Then reports the data folder's size and largest file, and --site <dir> a built site's size,
warning near GitHub's limits (100 MiB per file, 1 GB for a Pages site).

retention:
  days: 30
  keepPerBranch: 5
  defaultBranch: main
  keep: []`,
  options: { 'dry-run': { type: 'boolean' }, apply: { type: 'boolean' }, 'closed-pulls': { type: 'string' }, site: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.values.apply && args.values['dry-run']) throw new UsageError('--apply and --dry-run contradict each other');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const closed = parsePulls(args.values['closed-pulls'] as string | undefined);
    const policy = await readRetentionPolicy(ctx.dataDir);
    const plan = await collectGcPlan(ctx.dataDir, policy, { now: new Date(), pullState: (n) => (closed.has(n) ? 'closed' : 'unknown') });
    const drops = plan.decisions.filter((d) => d.action === 'drop');
    const freed = drops.reduce((sum, d) => sum + d.run.bytes, 0);
    const removed = args.values.apply && drops.length > 0 ? await applyGcPlan(ctx.dataDir, plan) : 0;
    const data = await measureFolder(ctx.dataDir);
    const site = args.values.site ? await measureFolder(resolve(ctx.cwd, args.values.site as string)) : undefined;
    const warnings = limitWarnings(data, site);
    if (args.values.json) {
      ctx.stdout(JSON.stringify({ applied: Boolean(args.values.apply), policy, decisions: plan.decisions.map((d) => ({ run: d.run.manifest.id, experiment: d.run.manifest.experiment, action: d.action, reason: d.reason, bytes: d.run.bytes })), problems: plan.problems, removed, data, site: site ?? null, warnings }, null, 2));
    } else {
      for (const problem of plan.problems) ctx.stderr(`error: ${problem}`);
      for (const d of drops) ctx.stdout(`${args.values.apply ? 'removed' : 'would remove'} ${d.run.manifest.experiment}/${d.run.manifest.id} (${mib(d.run.bytes)}): ${d.reason}`);
      ctx.stdout(
        `${drops.length} run(s) ${args.values.apply ? 'removed' : 'to remove'} (${mib(freed)}), ${plan.decisions.length - drops.length} kept${args.values.apply ? '' : '; nothing removed: this was a dry run (--apply removes)'}`,
      );
      ctx.stdout(`data: ${mib(data.bytes)} in ${data.files} files; largest ${data.largest ? `${data.largest.path} (${mib(data.largest.bytes)})` : 'none'}${site ? `; site: ${mib(site.bytes)}` : ''}`);
      for (const warning of warnings) ctx.stderr(`warning: ${warning}`);
    }
    return plan.problems.length > 0 ? 1 : 0;
  },
};

function parsePulls(value: string | undefined): Set<number> {
  if (!value) return new Set();
  return new Set(
    value.split(',').map((part) => {
      const n = Number(part.trim().replace(/^#/, ''));
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--closed-pulls takes pull request numbers separated by commas, got "${part}"`);
      return n;
    }),
  );
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
