import type { RunManifest } from '../../schemas/run-manifest.ts';
import { describeWriter, type WriterState } from '../store/writer-lock.ts';
import type { RunReferences } from './run-references.ts';

export interface RemovalCandidate {
  manifest: RunManifest;
  /** Bytes the run's folder holds (reported). */
  bytes: number;
  /** Whether its writer still runs: asked only of a run still `running`. */
  writer?: WriterState;
}

export type RemovalDecision =
  | { run: RemovalCandidate; action: 'remove'; forced?: string }
  /** `forceable`: `--force` would remove it anyway. */
  | { run: RemovalCandidate; action: 'keep'; reason: string; forceable: boolean };

/**
 * Decides, run by run, what `labbook rm` may remove. Never a run a deployment record names (the
 * record is lineage, and deploy checks read the run), nor one whose writer is still running.
 * With `force`, a run annotations or review queues refer to (their entries then fail `labbook
 * validate`), and a running run whose writer cannot be checked from here (another machine, or no
 * lock) go too; without it they stay, saying why.
 */
export function planRemoval(runs: readonly RemovalCandidate[], references: RunReferences, force: boolean): RemovalDecision[] {
  return runs.map((run): RemovalDecision => {
    const { id, status } = run.manifest;
    const records = references.deployments.get(id);
    if (records)
      return {
        run,
        action: 'keep',
        reason: `${listFiles(records)} ${names(records)} it: a deployed run keeps its lineage`,
        forceable: false,
      };
    const writer = status === 'running' ? run.writer : undefined;
    if (writer?.state === 'alive')
      return { run, action: 'keep', reason: `its writer is still running (${describeWriter(writer.lock)})`, forceable: false };
    const why: string[] = [];
    if (status === 'running' && writer?.state !== 'dead') why.push(`it may still be running (${writer?.why ?? 'its writer is unknown'})`);
    const files = references.annotations.get(id);
    if (files) why.push(`${listFiles(files)} ${files.length === 1 ? 'refers' : 'refer'} to it`);
    if (why.length === 0) return { run, action: 'remove' };
    const reason = why.join('; ');
    return force ? { run, action: 'remove', forced: reason } : { run, action: 'keep', reason, forceable: true };
  });
}

function names(records: readonly string[]): string {
  return records.length === 1 ? 'names' : 'name';
}

/** The first three files, and how many more. */
function listFiles(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown;
}
