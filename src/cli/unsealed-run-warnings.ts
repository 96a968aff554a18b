import type { RunManifest } from '../../schemas/run-manifest.ts';
import { runDir } from '../store/layout.ts';
import { inspectUnsealedRun } from '../store/unsealed-run.ts';

/**
 * One warning per run that is still `running` (not sealed): its traces may be incomplete, so
 * figures computed from them can change. When its writer is gone it never will be sealed by
 * itself, and the warning names `labbook repair`, which seals it.
 */
export async function unsealedRunWarnings(dataDir: string, manifests: readonly RunManifest[]): Promise<string[]> {
  const warnings: string[] = [];
  for (const manifest of manifests) {
    if (manifest.status !== 'running') continue;
    const state = await inspectUnsealedRun(runDir(dataDir, manifest.experiment, manifest.id));
    const written = `${state.tracesOnDisk} trace${state.tracesOnDisk === 1 ? '' : 's'} written so far`;
    warnings.push(
      state.writer === 'gone'
        ? `run ${manifest.id} is still "running" (not sealed) but its writer is gone (${state.why}): it will not finish; ${written} are compared; "labbook repair ${manifest.id}" seals it as partial`
        : state.writer === 'alive'
          ? `run ${manifest.id} is still running (not sealed): ${written} are compared, and the figures may change once it finishes`
          : `run ${manifest.id} is still "running" (not sealed) and no live writer is known (${state.why}): ${written} are compared; if nothing is writing it, "labbook repair ${manifest.id} --force" seals it`,
    );
  }
  return warnings;
}
