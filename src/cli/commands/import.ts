import { relative, resolve } from 'node:path';
import { listExperiments } from '../../store/experiments.ts';
import { closestName } from '../../text/closest-name.ts';
import { UsageError } from '../../errors/index.ts';
import { detectImportFormat } from '../../interop/detect-import-format.ts';
import { formatImportReport } from '../../interop/format-import-report.ts';
import { IMPORT_FORMATS, importRun, type ImportFormat } from '../../interop/import-run.ts';
import { describeFinishProblems } from '../../store/finish-problems.ts';
import type { Command } from '../command.ts';
import { formatMetricsTable } from '../metrics-table.ts';
import { countNoun } from '../../text/count-noun.ts';
import { runNameOption } from '../run-name-option.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'make a run from traces written elsewhere (OTLP JSON, MLflow trace JSON)',
  usage: `usage: labbook import [--format otlp|mlflow] <file|dir>... --experiment <name> --config <file>
                      [--name <run name>] [--data <dir>]

Reads traces recorded by another tool and makes a run of them under
<data>/<experiment>/runs/<id>/, creating the experiment if it does not exist yet. Without
--format, the first file's content tells it (protobuf or "resourceSpans": otlp; an MLflow
trace's "info" and "spans": mlflow).

  otlp    OTLP JSON: one ExportTraceServiceRequest per file, or JSON Lines of them (the
          OpenTelemetry Collector's file exporter); or OTLP protobuf, one message or
          length-prefixed messages (told apart by content). Reads the OpenTelemetry GenAI
          conventions, OpenInference, MLflow's and the Vercel AI SDK's attributes.
  mlflow  MLflow trace JSON ({ info, data: { spans } }, schema v2 or v3): one trace, an array,
          { traces: [...] } or JSON Lines; assessments become scores.

A folder is read file by file (.json, .jsonl, .ndjson, .pb, .binpb). The input is streamed:
each trace is written once its root has been read and the next 5,000 spans hold none of its
spans, so memory holds the traces in flight, not the file (JSON Lines and length-prefixed
protobuf; a single JSON document is parsed whole, a single protobuf message read whole and
decoded a thousand spans at a time). Spans whose parent is
missing become roots, unknown span kinds become UNKNOWN; everything mapped and everything
repaired or left out is printed. A file that is not in the given format is an error naming
it, and no run is made; input that breaks part way keeps the traces written before it, in a
run sealed as failed.
--config names the agent config the traces came from; it is stored with the run.

example:
  labbook import --format otlp traces.jsonl --experiment support-bot --config configs/prod.yaml`,
  options: {
    format: { type: 'string', short: 'f' },
    experiment: { type: 'string', short: 'e' },
    config: { type: 'string', short: 'c' },
    name: { type: 'string' },
  },
  async run(args, ctx) {
    const given = args.values.format as string | undefined;
    const experiment = args.values.experiment as string | undefined;
    const config = args.values.config as string | undefined;
    if (given !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(given))
      throw new UsageError(`--format must be ${IMPORT_FORMATS.join(' or ')}, not "${given}"`);
    if (args.positionals.length === 0) throw new UsageError('give the file or folder to import');
    if (!experiment) throw new UsageError('--experiment is required');
    if (!config) throw new UsageError('--config is required (the agent config the traces came from)');
    const name = runNameOption(args);
    let format = given as ImportFormat | undefined;
    if (format === undefined) {
      const detected = await detectImportFormat(args.positionals.map((path) => resolve(ctx.cwd, path)));
      format = detected.format;
      ctx.stderr(`format: ${format} (from the content of ${relative(ctx.cwd, detected.file) || detected.file})`);
    }

    const known = await listExperiments(ctx.dataDir);
    const result = await importRun({
      format,
      paths: args.positionals,
      dataDir: ctx.dataDir,
      rootDir: ctx.rootDir,
      cwd: ctx.cwd,
      env: ctx.env,
      experiment,
      configPath: config,
      name,
      log: ctx.stderr,
    });
    // Unlike run (which asks for --create), import makes the experiment it is given: say so, with
    // the existing one a typo probably meant.
    if (!known.includes(experiment)) {
      const meant = closestName(experiment, known);
      ctx.stderr(`note: created experiment "${experiment}"${meant ? ` (did you mean "${meant}"?)` : ''}`);
    }
    const { summary, warnings } = formatImportReport(result.report);
    for (const line of warnings) ctx.stderr(line);
    for (const rejected of result.rejected) ctx.stderr(`error: trace ${rejected.id} not imported: ${rejected.reason}`);
    for (const line of describeFinishProblems(result.finished).slice(0, 20)) ctx.stderr(line);
    ctx.stdout(summary.join('\n'));
    const { manifest, metrics } = result.finished;
    ctx.stdout(`\nrun ${manifest.id} ${manifest.status}${manifest.statusReason ? ` (${manifest.statusReason})` : ''}`);
    ctx.stdout(`${countNoun(manifest.counts.traces, 'trace')}, ${countNoun(manifest.counts.errors, 'error')} · ${result.dir}\n`);
    ctx.stdout(formatMetricsTable(metrics));
    return manifest.status === 'completed' ? 0 : 1;
  },
};
