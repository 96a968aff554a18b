import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus } from '../../schemas/run-manifest.ts';
import { LabbookError } from '../errors/index.ts';
import { statusFromProcess } from '../runner/status-from-process.ts';
import { finishRun, type FinishRunResult } from '../store/finish-run.ts';
import { RUN_FILES } from '../store/layout.ts';
import { expandTraces } from '../store/compact-traces.ts';
import { gunzipFile } from '../store/trace-storage.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { readRunManifest } from '../store/run-reader.ts';
import { verifyRunFiles } from '../store/sha256sums.ts';
import { describeWriter, writerState } from '../store/writer-lock.ts';
import { STALE_RUNNING_MS } from '../validate/stale-run.ts';
import { setAsideTornTail } from '../store/torn-tail.ts';

interface RepairOptions {
  /** Repair a `running` run whose writer cannot be proved gone (another machine, no lock). */
  force?: boolean;
  now?: Date;
}

interface RepairResult {
  previousStatus: RunStatus;
  finished: FinishRunResult;
  /** The torn tail set aside, if there was one. */
  torn: { file: string; bytes: number } | null;
}

/** A run that `labbook repair` must not touch (a live writer, edited files, nothing broken). */
export class RepairRefusedError extends LabbookError {
  override name = 'RepairRefusedError';
}

/**
 * Seals a run that its writer left behind: a `running` run whose writer died, or a run sealed
 * `failed` because its writer was killed halfway through a trace line. Every complete trace is
 * kept; the torn tail is moved, byte for byte, to `traces.torn.jsonl`, which SHA256SUMS then
 * covers like every other file of the run (nothing recorded is lost or left unsealed). A run
 * with a live writer, or a sealed run whose files no longer match SHA256SUMS, is refused:
 * repair never re-seals what someone edited.
 */
export async function repairRun(dir: string, options: RepairOptions = {}): Promise<RepairResult> {
  const manifest = await readRunManifest(dir);
  const now = options.now ?? new Date();
  const writer = await writerState(dir);
  if (writer.state === 'alive') {
    throw new RepairRefusedError(
      `run ${manifest.id} is still being written by ${describeWriter(writer.lock)}; wait for it to finish, or stop that process first`,
    );
  }
  let writerNote: string | undefined;
  if (manifest.status === 'running') {
    if (writer.state === 'unknown' && !options.force && now.getTime() - Date.parse(manifest.createdAt) <= STALE_RUNNING_MS) {
      throw new RepairRefusedError(
        `cannot tell whether run ${manifest.id} still has a writer (${writer.why}); if no process is writing it, repair it with --force`,
      );
    }
    writerNote =
      writer.state === 'dead'
        ? `its writer (${describeWriter(writer.lock)}) died without sealing it: ${writer.why}`
        : `it was left running (${writer.why})`;
  } else if (existsSync(join(dir, RUN_FILES.sums))) {
    const changed = await verifyRunFiles(dir);
    if (changed.length > 0) {
      throw new RepairRefusedError(
        `run ${manifest.id} was edited after it was sealed (${changed.map((m) => `${m.file}: ${m.problem}`).join(', ')}); repair only seals runs their writer left behind, never edited ones`,
      );
    }
  }

  // A torn line of a sealed run is inside its last chunk: back to the plain file to cut it.
  if (manifest.traceChunks && (await lastChunkIsTorn(dir, manifest))) await expandTraces(dir, manifest);
  const tracesFile = join(dir, RUN_FILES.traces);
  const torn = existsSync(tracesFile) ? await setAsideTornTail(tracesFile, join(dir, RUN_FILES.tornTraces)) : null;
  if (manifest.status !== 'running' && !torn) {
    throw new RepairRefusedError(`run ${manifest.id} is sealed ${manifest.status} and has no torn line to set aside: nothing to repair`);
  }

  const status =
    manifest.status === 'running' ? 'partial' : manifest.process ? statusFromProcess(manifest.process).status : manifest.status;
  const commandReason = manifest.status !== 'running' && manifest.process ? statusFromProcess(manifest.process).statusReason : undefined;
  const reason = [
    commandReason,
    writerNote,
    torn ? `a torn last line (${torn.bytes} bytes) was set aside in ${RUN_FILES.tornTraces}` : undefined,
    `repaired by labbook repair at ${now.toISOString()}`,
  ]
    .filter(Boolean)
    .join('; ');
  const finished = await finishRun(dir, { status, statusReason: reason, now });
  return { previousStatus: manifest.status, finished, torn };
}

/** Whether the last chunk's bytes end without a newline (a writer killed mid-line). */
async function lastChunkIsTorn(dir: string, manifest: RunManifest): Promise<boolean> {
  const last = manifest.traceChunks?.chunks.at(-1);
  if (!last) return false;
  let lastByte = 10;
  for await (const data of gunzipFile(join(dir, last.file))) if (data.length > 0) lastByte = data[data.length - 1]!;
  return lastByte !== 10;
}
