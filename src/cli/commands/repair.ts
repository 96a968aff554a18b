import { UsageError } from '../../errors/index.ts';
import { repairRun } from '../../repair/repair-run.ts';
import { findRun } from '../../store/store.ts';
import type { Command } from '../command.ts';
import { countNoun } from '../../text/count-noun.ts';

export const repairCommand: Command = {
  name: 'repair',
  summary: 'seal a run whose writer died (left running, or a torn last trace line) as partial',
  usage: `usage: labbook repair <run-id> [--force] [--data <dir>]

Seals a run that its writer left behind, so that it validates again:
- a run left "running" by a process that is gone (killed, machine restarted);
- a run sealed "failed" because its writer was killed halfway through a trace line.
Every complete trace is kept. A torn last line is moved, byte for byte, to traces.torn.jsonl
(and covered by SHA256SUMS); a sealed run's chunks are turned back into traces.jsonl for
that, checked against run.json, and compressed again when the run is sealed. metrics.json, counts and SHA256SUMS are
recomputed; the status becomes "partial" (or stays what the command's exit made it).

Refused while the run's writer is alive, and for a sealed run whose files were edited.
--force repairs a "running" run whose writer cannot be proved gone (it ran on another
machine, or left no writer.lock) and that is less than a day old.`,
  options: { force: { type: 'boolean' } },
  async run(args, ctx) {
    const id = args.positionals[0];
    if (!id) throw new UsageError('give the id of the run to repair');
    if (args.positionals.length > 1) throw new UsageError(`repair takes one run id, got ${args.positionals.length}`);
    const { dir } = await findRun(ctx.dataDir, id);
    const result = await repairRun(dir, { force: Boolean(args.values.force) });
    const { manifest } = result.finished;
    ctx.stdout(
      `repaired run ${manifest.id}: ${result.previousStatus} → ${manifest.status}, ${countNoun(manifest.counts.traces, 'trace')} kept` +
        (result.torn ? `; torn last line (${countNoun(result.torn.bytes, 'byte')}) set aside in ${result.torn.file}` : ''),
    );
    for (const error of result.finished.errors.slice(0, 10)) ctx.stderr(`error: ${error.message}`);
    return manifest.status === 'failed' ? 1 : 0;
  },
};
