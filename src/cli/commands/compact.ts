import { resolve } from 'node:path';
import { LabbookError } from '../../errors/index.ts';
import { compactionSkipped, compactRun } from '../../store/compact-run.ts';
import { readRunManifest } from '../../store/run-reader.ts';
import { runDirsUnder } from '../../store/runs-under.ts';
import { readStorageSettings } from '../../store/storage-settings.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import type { Command } from '../command.ts';
import { countNoun } from '../../text/count-noun.ts';

export const compactCommand: Command = {
  name: 'compact',
  summary: "compress sealed runs' plain traces.jsonl into gzip chunks (runs made before chunks)",
  usage: `usage: labbook compact [path] [--include-ci] [--dry-run] [--data <dir>]

Converts sealed runs that still keep a plain traces.jsonl (runs made before Labbook compressed
traces) into gzip chunks under traces/, as sealing now does: each chunk is written, read back
and checked before traces.jsonl is removed, then run.json and SHA256SUMS are re-sealed.
path may be the data folder (default), an experiment folder or a run folder. Also finishes a
compaction that was interrupted. Chunk size: storage.chunkMegabytes in labbook.config.yaml.

Refused, and named: a running run, and a run whose files no longer match its SHA256SUMS.
Runs made by CI are skipped unless --include-ci: compaction rewrites SHA256SUMS, so the
evidence their job recorded for "labbook deploy check" would no longer match.
--dry-run lists what would be compacted.`,
  options: { 'include-ci': { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  maxPositionals: 1,
  async run(args, ctx) {
    const path = args.positionals[0] === undefined ? ctx.dataDir : resolve(ctx.cwd, args.positionals[0]);
    const settings = await readStorageSettings(path);
    let compacted = 0;
    let failed = 0;
    let wouldCompact = 0;
    let plainTotal = 0;
    let storedTotal = 0;
    for (const dir of await runDirsUnder(path)) {
      try {
        const manifest = await readRunManifest(dir);
        if (manifest.traceChunks) continue;
        if (manifest.source.kind === 'ci' && !args.values['include-ci']) {
          ctx.stdout(`skipped ${manifest.id}: a CI run (its recorded deploy evidence covers SHA256SUMS); --include-ci compacts it`);
          continue;
        }
        if (args.values['dry-run']) {
          const skipped = await compactionSkipped(dir, manifest);
          if (skipped === null) {
            wouldCompact++;
            ctx.stdout(`would compact ${manifest.id} (${dir})`);
          } else if (manifest.status === 'running') ctx.stdout(`would leave ${manifest.id}: ${skipped}`);
          continue;
        }
        const outcome = await compactRun(dir, settings);
        if (outcome.kind === 'already') continue;
        compacted++;
        plainTotal += outcome.plainBytes;
        storedTotal += outcome.storedBytes;
        ctx.stdout(
          `compacted ${manifest.id}: ${formatBytes(outcome.plainBytes)} → ${formatBytes(outcome.storedBytes)} in ${countNoun(outcome.chunks, 'chunk')}${outcome.recovered ? ' (finished an interrupted compaction)' : ''}`,
        );
      } catch (error) {
        if (!(error instanceof LabbookError)) throw error;
        failed++;
        ctx.stderr(`error: ${error.message}`);
      }
    }
    // Silence would read as "did not look": say when nothing qualifies.
    if (args.values['dry-run'] && wouldCompact === 0 && failed === 0) ctx.stdout(`nothing to compact under ${path}`);
    if (!args.values['dry-run']) {
      const ratio = plainTotal > 0 ? ` (${(storedTotal / plainTotal).toFixed(3)}×)` : '';
      ctx.stdout(
        `${countNoun(compacted, 'run')} compacted: ${formatBytes(plainTotal)} → ${formatBytes(storedTotal)}${ratio}; ${failed} refused`,
      );
    }
    return failed === 0 ? 0 : 1;
  },
};
