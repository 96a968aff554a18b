import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { collectRunReferences } from '../../gc/run-references.ts';
import { planRemoval, type RemovalCandidate, type RemovalDecision } from '../../gc/plan-removal.ts';
import { measureFolder } from '../../gc/storage-health.ts';
import { openDataFolder, type DataFolder, type RunHandle } from '../../store/handles.ts';
import { writerState } from '../../store/writer-lock.ts';
import { countNoun } from '../../text/count-noun.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import type { Command } from '../command.ts';
import { FileFormatError, LabbookError, UsageError } from '../../errors/index.ts';
import { RUN_FILES } from '../../store/layout.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';

/** What --status may choose: runs that are no result to keep (completed runs go by age, through gc). */
const REMOVABLE_STATUSES = ['failed', 'partial', 'running'] as const;

export const rmCommand: Command = {
  name: 'rm',
  summary: 'remove runs, refusing those a deployment, annotations or a live writer needs',
  usage: `usage: labbook rm <run>... [--dry-run] [--force] [--json] [--data <dir>]
       labbook rm --status failed|partial|running [--experiment <e>] [--dry-run] [--force] [--json]

Removes each run's folder whole, or none of them: every run named must be free to go.
${RUN_REFERENCE_HELP}
Kept, and nothing removed, when a run is:
  named by a deployment record  (the record is lineage, which deploy checks read; never removed)
  still being written           (its writer runs: stop it first)
  referred to by annotations or a review queue, or running with a writer that cannot be
  checked from here (another machine)  (--force removes it; such annotations then fail
  "labbook validate")
--status chooses the runs instead: every run of that status (of --experiment, else of every
experiment); those that must stay are kept, saying why, and the rest removed.
--dry-run lists what would go. In a git checkout the removal is a change to commit;
"labbook gc" removes runs by the retention policy instead.`,
  options: {
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    status: { type: 'string' },
    experiment: { type: 'string' },
  },
  async run(args, ctx) {
    const status = args.values.status as string | undefined;
    const experiment = args.values.experiment as string | undefined;
    if (experiment !== undefined && status === undefined)
      throw new UsageError('--experiment goes with --status (a run named by its id needs no experiment)');
    if (args.positionals.length === 0 && status === undefined)
      throw new UsageError('name the runs to remove (labbook rm <run>...), or choose them with --status failed|partial|running');
    if (args.positionals.length > 0 && status !== undefined) throw new UsageError('name the runs, or choose them with --status: not both');
    const named = await chooseRuns(openDataFolder(ctx.dataDir), args.positionals, status, experiment);
    if (named.size === 0 && !args.values.json) {
      ctx.stdout(`no ${status} runs${experiment !== undefined ? ` in ${experiment}` : ''}: nothing to remove`);
      return 0;
    }
    // Runs named one by one go all together or not at all; runs chosen by status go where free to.
    const allOrNone = status === undefined;
    const problems: string[] = [];
    const experiments = [...new Set([...named.values()].map((run) => run.manifest.experiment))];
    const references = await collectRunReferences(ctx.dataDir, experiments, (problem) => problems.push(problem));
    if (problems.length > 0) {
      // What cannot be read might be what names a run: remove nothing, as gc does.
      for (const problem of problems) ctx.stderr(`error: ${problem}`);
      ctx.stderr('labbook rm: nothing removed while a deployment record, annotation or queue file cannot be read');
      return 1;
    }
    const candidates: RemovalCandidate[] = [];
    for (const run of named.values()) {
      const writer = run.manifest.status === 'running' ? await writerState(run.dir) : undefined;
      candidates.push({ manifest: run.manifest, bytes: (await measureFolder(run.dir)).bytes, ...(writer ? { writer } : {}) });
    }
    const decisions = planRemoval(candidates, references, Boolean(args.values.force));
    const kept = decisions.filter((d) => d.action === 'keep');
    const going = decisions.filter((d) => d.action === 'remove');
    const dryRun = Boolean(args.values['dry-run']);
    const act = (kept.length === 0 || !allOrNone) && !dryRun;
    if (act) for (const decision of going) await rm(runDir(named, decision), { recursive: true });

    if (args.values.json) {
      ctx.stdout(
        JSON.stringify(
          {
            dryRun,
            removed: act ? going.map(describeRemoval) : [],
            wouldRemove: act ? [] : going.map(describeRemoval),
            kept: kept.map((d) => ({ ...identify(d.run), reason: d.reason, forceable: d.forceable })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const d of kept) ctx.stderr(`kept ${label(d.run)}: ${d.reason}`);
      const verb = act ? 'removed' : 'would remove';
      for (const d of going) ctx.stdout(`${verb} ${label(d.run)} (${summary(d.run)})${d.forced ? `, although ${d.forced}` : ''}`);
      const freed = going.reduce((sum, d) => sum + d.run.bytes, 0);
      if (act) ctx.stdout(`${countNoun(going.length, 'run')} removed, ${formatBytes(freed)} freed`);
      else if (kept.length > 0 && allOrNone) {
        const forceable = kept.every((d) => d.action === 'keep' && d.forceable);
        ctx.stderr(
          `nothing removed: ${countNoun(kept.length, 'run')} must stay${forceable ? ` (--force removes ${kept.length === 1 ? 'it' : 'them'})` : ''}`,
        );
      } else ctx.stdout(`${countNoun(going.length, 'run')} to remove (${formatBytes(freed)}); nothing removed: this was a dry run`);
      if (act && kept.length > 0) ctx.stderr(`${countNoun(kept.length, 'run')} kept, as said above`);
    }
    return kept.length > 0 && allOrNone ? 1 : 0;
  },
};

/** The runs named (each once, however many ways it was named), or every run of a status. */
async function chooseRuns(
  data: DataFolder,
  refs: readonly string[],
  status: string | undefined,
  experiment: string | undefined,
): Promise<Map<string, RunHandle>> {
  const chosen = new Map<string, RunHandle>();
  if (status === undefined) {
    for (const ref of refs) {
      const run = await data.findRun(ref).catch((error: unknown) => {
        if (error instanceof FileFormatError && basename(error.location.file) === RUN_FILES.manifest) throw unreadableManifest(error);
        throw error;
      });
      chosen.set(run.manifest.id, run);
    }
    return chosen;
  }
  if (!(REMOVABLE_STATUSES as readonly string[]).includes(status))
    throw new UsageError(`--status takes ${REMOVABLE_STATUSES.join(', ')}, not "${status}" ("labbook gc" lets completed runs go by age)`);
  const pool = experiment !== undefined ? await (await data.experiment(experiment)).runs() : await data.runs();
  for (const run of pool) if (run.manifest.status === status) chosen.set(run.manifest.id, run);
  return chosen;
}

/**
 * A run whose run.json cannot be read cannot be checked against what names it (a deployment
 * record, annotations): rm leaves its removal to the user, saying how.
 */
function unreadableManifest(error: FileFormatError): LabbookError {
  const dir = dirname(error.location.file);
  return new LabbookError(
    `${error.message}\nnothing removed: without its run.json, rm cannot check what refers to this run. Restore the file from git (git checkout -- ${error.location.file}), or, once sure nothing names the run, remove its folder yourself: rm -r ${dir}`,
  );
}

function runDir(named: ReadonlyMap<string, RunHandle>, decision: RemovalDecision): string {
  return named.get(decision.run.manifest.id)!.dir;
}

function identify(run: RemovalCandidate) {
  return { experiment: run.manifest.experiment, run: run.manifest.id };
}

function describeRemoval(decision: RemovalDecision) {
  const { run } = decision;
  return {
    ...identify(run),
    status: run.manifest.status,
    traces: run.manifest.counts.traces,
    bytes: run.bytes,
    ...(decision.action === 'remove' && decision.forced ? { forced: decision.forced } : {}),
  };
}

function label(run: RemovalCandidate): string {
  return `${run.manifest.experiment}/${run.manifest.id}`;
}

function summary(run: RemovalCandidate): string {
  return `${run.manifest.status}, ${countNoun(run.manifest.counts.traces, 'trace')}, ${formatBytes(run.bytes)}`;
}
