import type { RunManifest } from '../../../schemas/run-manifest.ts';
import { readRunMetrics } from '../../store/run-reader.ts';
import { runDir } from '../../store/layout.ts';
import { inspectUnsealedRun } from '../../store/unsealed-run.ts';
import { listRuns } from '../../store/store.ts';
import { listExperiments, readExperiment } from '../../store/experiments.ts';
import type { Command, CommandContext } from '../command.ts';
import { LabbookError } from '../../errors/index.ts';
import { formatNumber, formatTable } from '../../text/format-table.ts';
import { primaryValue } from '../primary-value.ts';

export const lsCommand: Command = {
  name: 'ls',
  summary: 'list experiments, or the runs of one experiment',
  usage: `usage: labbook ls [experiment] [--json] [--data <dir>]

Without an experiment: every experiment with its number of runs and latest run.
With one: its runs, oldest first, with status, source, commit and the primary metric.
A running run shows the traces written so far, and "writer gone" when the process writing it
has exited (\`labbook repair <id>\` seals it).
--json prints the same as JSON, for scripts: { "experiments": [...] } or { "experiment", "runs": [...] };
a running run has "writer" (alive, gone or unknown) and "tracesOnDisk".`,
  options: { json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(args, ctx) {
    const experiment = args.positionals[0];
    if (!experiment) {
      const names = await listExperiments(ctx.dataDir);
      if (names.length === 0 && !args.values.json) {
        ctx.stdout(`no experiments under ${ctx.dataDir} ("labbook init" makes one; --data reads another folder)`);
        return 0;
      }
      // One unreadable file costs only its own row or run: the rest is listed, and it is named.
      const problems: string[] = [];
      const rows = await Promise.all(
        names.map(async (name) => {
          const runs = await listRuns(ctx.dataDir, name, { onError: (error) => problems.push(error.message) });
          const exp = await readExperiment(ctx.dataDir, name).catch((error: unknown) => {
            if (!(error instanceof LabbookError)) throw error;
            problems.push(error.message);
            return null;
          });
          return {
            name,
            runs: runs.length,
            latest: runs.at(-1),
            readable: exp !== null,
            primary: exp ? (exp.primaryMetric ?? '') : '(experiment.yaml unreadable)',
          };
        }),
      );
      warnAbout(problems, ctx);
      if (args.values.json) {
        const experiments = rows.map((r) => ({
          name: r.name,
          runs: r.runs,
          latestRun: r.latest ? { id: r.latest.id, status: r.latest.status, createdAt: r.latest.createdAt } : null,
          primaryMetric: r.readable ? r.primary || null : null,
        }));
        ctx.stdout(JSON.stringify({ experiments }, null, 2));
        return 0;
      }
      ctx.stdout(
        formatTable(rows, [
          { header: 'experiment', value: (r) => r.name },
          { header: 'runs', value: (r) => String(r.runs), align: 'right' },
          { header: 'latest run', value: (r) => r.latest?.id ?? '—' },
          { header: 'status', value: (r) => r.latest?.status ?? '' },
          { header: 'primary metric', value: (r) => r.primary },
        ]),
      );
      return 0;
    }
    const exp = await readExperiment(ctx.dataDir, experiment);
    const problems: string[] = [];
    const runs = await listRuns(ctx.dataDir, experiment, { onError: (error) => problems.push(error.message) });
    warnAbout(problems, ctx);
    const rows = await Promise.all(
      runs.map(async (manifest: RunManifest) => {
        const dir = runDir(ctx.dataDir, experiment, manifest.id);
        // A running run's counts are filled in when it is sealed: show what is on disk, and
        // whether anyone is left to seal it.
        const unsealed = manifest.status === 'running' ? await inspectUnsealedRun(dir) : null;
        const metrics = unsealed ? null : await readRunMetrics(dir).catch(() => null);
        return { manifest, unsealed, primary: metrics && exp.primaryMetric ? primaryValue(metrics, exp.primaryMetric) : null };
      }),
    );
    if (args.values.json) {
      const listed = rows.map(({ manifest, unsealed, primary }) => ({
        id: manifest.id,
        name: manifest.name,
        status: manifest.status,
        // Why a run is not `completed` ("the command recorded no traces", "interrupted by SIGINT"…).
        ...(manifest.statusReason !== undefined && { statusReason: manifest.statusReason }),
        source: manifest.source.kind,
        commit: manifest.code.commit,
        dirty: manifest.code.dirty,
        traces: manifest.counts.traces,
        primary: exp.primaryMetric ? { metric: exp.primaryMetric, value: primary } : null,
        createdAt: manifest.createdAt,
        // Only for running runs: whether their writer lives, and the traces written so far.
        ...(unsealed && { writer: unsealed.writer, tracesOnDisk: unsealed.tracesOnDisk }),
      }));
      ctx.stdout(JSON.stringify({ experiment, runs: listed }, null, 2));
      return 0;
    }
    ctx.stdout(
      formatTable(rows, [
        { header: 'run', value: (r) => r.manifest.id },
        { header: 'name', value: (r) => r.manifest.name, maxWidth: 24 },
        {
          header: 'status',
          value: (r) => (r.unsealed?.writer === 'gone' ? `running (writer gone: labbook repair ${r.manifest.id})` : r.manifest.status),
        },
        { header: 'source', value: (r) => r.manifest.source.kind },
        { header: 'commit', value: (r) => (r.manifest.code.commit ?? '').slice(0, 7) + (r.manifest.code.dirty ? '+' : '') },
        { header: 'traces', value: (r) => String(r.unsealed?.tracesOnDisk ?? r.manifest.counts.traces), align: 'right' },
        { header: exp.primaryMetric ?? 'primary', value: (r) => formatNumber(r.primary), align: 'right' },
        { header: 'created', value: (r) => r.manifest.createdAt.replace('T', ' ').slice(0, 19) },
      ]),
    );
    return 0;
  },
};

function warnAbout(problems: readonly string[], ctx: CommandContext): void {
  for (const problem of problems) ctx.stderr(`warning: ${problem} (left out; "labbook validate" checks every file)`);
}
