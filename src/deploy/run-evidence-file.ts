import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from '../store/layout.ts';

/**
 * The evaluation job's record of a run's contents, for deploy: a copy of the run's `SHA256SUMS`
 * under a name unique to the run, which the evaluation workflow uploads as an artifact of its own
 * workflow run with `actions/upload-artifact` and `archive: false`. Unzipped, the artifact is
 * named after the file and its `digest` is the sha256 of the file itself: the run's content
 * digest (`runContentDigest`). Only a job of that workflow run can upload an artifact to it, so
 * deploy reads the artifact back from `GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts`
 * and compares (see docs/deploy.md).
 */
export function runEvidenceName(experiment: string, runId: string): string {
  return `labbook-${experiment}-${runId}.${RUN_FILES.sums}`;
}

/** Writes the evidence file into `folder` (the runner's temp folder) and returns its path. */
export async function writeRunEvidence(runDir: string, folder: string, experiment: string, runId: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, runEvidenceName(experiment, runId));
  await copyFile(join(runDir, RUN_FILES.sums), path);
  return path;
}
