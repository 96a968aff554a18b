import { join } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { RUN_FILES } from '../store/layout.ts';
import { describeWriter, writerState } from '../store/writer-lock.ts';
import type { Problem } from '../errors/problem.ts';

/**
 * A `running` run whose writer cannot be alive after this long is reported even when its lock
 * proves nothing (written on another machine, or by a tool that keeps no lock): no evaluation
 * of Labbook's runs a day.
 */
export const STALE_RUNNING_MS = 24 * 60 * 60 * 1000;

/**
 * A run left `running` with no live writer: its writer's process is gone (writer.lock), or
 * nothing can be proved and it started more than a day ago. Either way it will never be sealed
 * by itself; `labbook repair` seals it as `partial`.
 */
export async function staleRunProblems(dir: string, manifest: RunManifest, now: Date): Promise<Problem[]> {
  const file = join(dir, RUN_FILES.manifest);
  const writer = await writerState(dir);
  const repair = `labbook repair ${manifest.id}`;
  if (writer.state === 'alive') return [];
  if (writer.state === 'dead') {
    return [
      {
        severity: 'error',
        file,
        field: 'status',
        message: `is "running" but its writer (${describeWriter(writer.lock)}) is gone: ${writer.why}; "${repair}" seals it as partial with every complete trace`,
      },
    ];
  }
  const age = now.getTime() - Date.parse(manifest.createdAt);
  if (!(age > STALE_RUNNING_MS)) return [];
  const hours = Math.floor(age / 3_600_000);
  return [
    {
      severity: 'error',
      file,
      field: 'status',
      message: `is "running" since ${manifest.createdAt} (${hours} h ago) and no live writer is known (${writer.why}); if none is, "${repair} --force" seals it as partial`,
    },
  ];
}
