import { stat } from 'node:fs/promises';
import { openDataFolder, type RunHandle } from '../../store/handles.ts';
import { UsageError } from '../../errors/index.ts';
import type { Command } from '../command.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';
import { wrapText } from '../../text/wrap-text.ts';
import { formatTable } from '../../text/format-table.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { formatMetricsTable } from '../metrics-table.ts';
import { findTrace } from '../../store/find-trace.ts';
import { loadAnnotations } from '../../annotations/load-annotations.ts';
import type { Problem } from '../../errors/problem.ts';
import { reportAnnotationProblems } from '../annotation-problems.ts';
import { formatTraceView } from '../trace-view.ts';
import { countNoun } from '../../text/count-noun.ts';

/** Spans `show <run> <trace>` prints; `--json` gives them all. */
const MAX_SPANS = 1000;

/** How the traces are stored: chunks with their sizes, an old plain file, or a live one. */
async function storageLine(run: RunHandle): Promise<string> {
  const { storage } = await run.traceStorage();
  if (storage.kind === 'none') return run.manifest.status === 'running' ? 'none yet' : 'none';
  if (storage.kind === 'plain') {
    const bytes = await run.plainTraceBytes();
    return `traces.jsonl, ${formatBytes(bytes)}${run.manifest.status === 'running' ? ' (live: compressed when sealed)' : ' (sealed before compression: "labbook compact" compresses it)'}`;
  }
  let stored = 0;
  for (const chunk of storage.chunks)
    stored += await stat(chunk.file).then(
      (s) => s.size,
      () => 0,
    );
  const plain = run.manifest.traceChunks?.plainBytes;
  return `${countNoun(storage.chunks.length, 'gzip chunk')} in traces/, ${formatBytes(stored)}${plain ? ` (${formatBytes(plain)} as JSON, ${(stored / plain).toFixed(3)}×)` : ''}`;
}

export const showCommand: Command = {
  name: 'show',
  summary: "print a run's provenance, config and metrics, or one of its traces",
  usage: `usage: labbook show <run-id> [<trace>] [--json] [--data <dir>]

Prints where a run came from (CI job or local machine, commit, config, dataset), its status
and counts, and its metrics table.
${RUN_REFERENCE_HELP}
With a trace (its id, or the id of the dataset example it ran), prints that trace instead: its
input, output, expected value, scores and annotations, then its span tree with each span's type, duration,
model, tokens, cost and error (the first ${MAX_SPANS} spans).
--json prints run.json and metrics.json as one JSON object instead, or { trace, annotations }:
the whole trace and what people said of it (each annotation with its file and line).`,
  options: { json: { type: 'boolean' } },
  maxPositionals: 2,
  async run(args, ctx) {
    const [id, traceRef] = args.positionals;
    if (!id) throw new UsageError('name the run to show: labbook show <run> [<trace>] ("labbook ls <experiment>" lists the runs)');
    const run = await openDataFolder(ctx.dataDir).findRun(id);
    const { manifest, dir } = run;
    if (traceRef !== undefined) {
      const { trace } = await findTrace(dir, manifest.id, traceRef);
      // What people said of the trace, beside its automated scores, as the site shows them.
      const problems: Problem[] = [];
      const annotations = (await loadAnnotations(ctx.dataDir, manifest.experiment, { onProblem: (p) => problems.push(p) })).filter(
        (entry) => entry.run === manifest.id && entry.trace === trace.id,
      );
      reportAnnotationProblems(problems, ctx.stderr);
      ctx.stdout(
        args.values.json
          ? JSON.stringify({ trace, annotations: annotations.map(({ experiment: _e, kind: _k, ...entry }) => entry) }, null, 2)
          : formatTraceView(trace, { maxSpans: MAX_SPANS, annotations }),
      );
      return 0;
    }
    const metrics = manifest.status === 'running' ? null : await run.metrics().catch(() => null);
    if (args.values.json) {
      ctx.stdout(JSON.stringify({ run: manifest, metrics }, null, 2));
      return 0;
    }
    const source =
      manifest.source.kind === 'ci'
        ? `CI · ${manifest.source.repository} · ${manifest.source.workflow} #${manifest.source.workflowRunId} (attempt ${manifest.source.workflowRunAttempt}) · job ${manifest.source.job} · ${manifest.source.event} by ${manifest.source.actor}`
        : `local · ${manifest.source.user}@${manifest.source.host}`;
    const facts: Array<[string, string]> = [
      ['run', manifest.id],
      ['experiment', manifest.experiment],
      ['name', manifest.name],
      ['status', `${manifest.status}${manifest.statusReason ? ' (why: below)' : ''}`],
      ['source', source],
      [
        'commit',
        `${manifest.code.commit ?? 'unknown'}${manifest.code.dirty ? ' (uncommitted changes)' : ''}${manifest.code.branch ? ` on ${manifest.code.branch}` : ''}`,
      ],
      ['config', `${manifest.config.path} (${manifest.config.digest.slice(0, 19)}…)`],
      ['dataset', manifest.dataset ? `${manifest.dataset.path} (${manifest.dataset.size} bytes)` : '—'],
      [
        'eval plan',
        manifest.plan
          ? `${manifest.plan.path} (${manifest.plan.digest.slice(0, 19)}…${manifest.plan.committed ? '' : ', not committed'})`
          : '—',
      ],
      ['created', manifest.createdAt],
      ['finished', manifest.finishedAt ?? '—'],
      [
        'counts',
        `${manifest.counts.traces} traces · ${manifest.counts.spans} spans · ${manifest.counts.scores} scores · ${manifest.counts.errors} errors`,
      ],
      ['traces', await storageLine(run)],
      ['folder', dir],
    ];
    if (manifest.source.kind === 'ci') facts.splice(5, 0, ['job url', manifest.source.runUrl]);
    ctx.stdout(
      formatTable(facts, [
        { header: 'field', value: (r) => r[0] },
        { header: 'value', value: (r) => r[1] },
      ]),
    );
    if (manifest.statusReason) ctx.stdout(`\n${wrapText(manifest.statusReason, 100, `${manifest.status}: `, '  ').join('\n')}`);
    // A run of no traces has only dashes to show.
    if (metrics && manifest.counts.traces > 0) ctx.stdout(`\n${formatMetricsTable(metrics)}`);
    return 0;
  },
};
