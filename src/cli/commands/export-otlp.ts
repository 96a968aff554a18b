import { UsageError } from '../../errors/index.ts';
import { writeOtlpFile } from '../../interop/otlp/write-otlp-file.ts';
import { openDataFolder } from '../../store/handles.ts';
import type { Command } from '../command.ts';
import { skippedReport } from '../skipped-report.ts';
import { outputTarget } from '../output-target.ts';
import { warnOfUnsealedRuns } from '../unsealed-run-warnings.ts';

/** `labbook export otlp`: reached through `labbook export`, which dispatches on its first positional. */
export const exportOtlpCommand: Command = {
  name: 'export otlp',
  summary: "write a run's traces as OTLP JSON for any OpenTelemetry backend",
  usage: `usage: labbook export otlp --run <id> [-o <file>] [--jsonl] [--data <dir>]

Writes every trace of the run as OTLP JSON with the OpenTelemetry GenAI and OpenInference
attributes, so MLflow, Phoenix, Langfuse or any OTLP backend can take it (POST the .json file
to /v1/traces). Scores become gen_ai.evaluation.result events on the root span; labbook.*
attributes keep what no convention holds, so "labbook import --format otlp" gives the same
traces back. A file ending in .jsonl, or --jsonl, gets one request per trace per line, the
form for runs too large for one JSON document. The file is written whole or not at all;
without -o (or with -o -) the JSON goes to stdout as it is made. A
trace line that cannot be read (invalid, past Labbook's size and depth limits, or a repeated
trace id) is left out with a warning naming its file and line.`,
  options: {
    run: { type: 'string' },
    output: { type: 'string', short: 'o' },
    jsonl: { type: 'boolean' },
  },
  async run(args, ctx) {
    const runId = args.values.run as string | undefined;
    const output = args.values.output as string | undefined;
    const extra = args.positionals.filter((p, i) => !(i === 0 && p === 'otlp'));
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!runId) throw new UsageError('--run is required');
    const run = await openDataFolder(ctx.dataDir).findRun(runId);
    const { manifest } = run;
    const file = outputTarget(output, ctx);
    const format = args.values.jsonl || (typeof file === 'string' && /\.(jsonl|ndjson)$/i.test(file)) ? 'jsonl' : 'json';
    const skipped = skippedReport(ctx.stderr);
    const written = await writeOtlpFile(run.traces({ uniqueIds: true, onError: skipped.onSkipped }), file, {
      format,
      resourceAttributes: {
        'labbook.experiment': manifest.experiment,
        'labbook.run.id': manifest.id,
        'labbook.run.name': manifest.name,
        'labbook.config.name': manifest.config.name,
      },
    });
    skipped.finish();
    await warnOfUnsealedRuns(ctx.dataDir, [`${manifest.experiment}/${manifest.id}`], 'exported', ctx.stderr);
    if (typeof file === 'string') ctx.stderr(`wrote ${written.traces} traces (${written.spans} spans) of run ${manifest.id} to ${file}`);
    return 0;
  },
};
