import type { RunManifest } from '../../schemas/run-manifest.ts';
import { runDir } from '../store/layout.ts';
import { inspectUnsealedRun } from '../store/unsealed-run.ts';
import { openDataFolder } from '../store/handles.ts';

/**
 * One warning per run that is still `running` (not sealed): its traces may be incomplete, so
 * figures computed from them can change. When its writer is gone it never will be sealed by
 * itself, and the warning names `labbook repair`, which seals it.
 */
export async function unsealedRunWarnings(dataDir: string, manifests: readonly RunManifest[], used = 'compared'): Promise<string[]> {
  const warnings: string[] = [];
  for (const manifest of manifests) {
    if (manifest.status !== 'running') continue;
    const state = await inspectUnsealedRun(runDir(dataDir, manifest.experiment, manifest.id));
    const written = `${state.tracesOnDisk} trace${state.tracesOnDisk === 1 ? '' : 's'} written so far`;
    warnings.push(
      state.writer === 'gone'
        ? `run ${manifest.id} is still "running" (not sealed) but its writer is gone (${state.why}): it will not finish; ${written} are ${used}; "labbook repair ${manifest.id}" seals it as partial`
        : state.writer === 'alive'
          ? `run ${manifest.id} is still running (not sealed): ${written} are ${used}, and the figures may change once it finishes`
          : `run ${manifest.id} is still "running" (not sealed) and no live writer is known (${state.why}): ${written} are ${used}; if nothing is writing it, "labbook repair ${manifest.id} --force" seals it`,
    );
  }
  return warnings;
}

/**
 * The same warnings for runs named as the user named them (ids, prefixes, names), printed to
 * `stderr`: a report, an export or a query of a run still being written is a snapshot. An
 * experiment given beside them (`export csv --experiment`) scopes each bare reference.
 */
export async function warnOfUnsealedRuns(
  dataDir: string,
  refs: readonly string[],
  used: string,
  stderr: (text: string) => void,
  experiment?: string,
): Promise<void> {
  const folder = openDataFolder(dataDir);
  const manifests: RunManifest[] = [];
  for (const ref of refs) {
    try {
      manifests.push((await folder.findRun(experiment !== undefined && !ref.includes('/') ? `${experiment}/${ref}` : ref)).manifest);
    } catch {
      // The command itself found the run, or said why not: a warning never fails it.
    }
  }
  for (const warning of await unsealedRunWarnings(dataDir, manifests, used)) stderr(`warning: ${warning}`);
}
