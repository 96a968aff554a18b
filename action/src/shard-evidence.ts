import type { ShardCandidate } from '../../src/shard-merge/select-shard-runs.ts';
import { octokitEvidence, type OctokitLike } from '../../src/deploy/octokit-evidence.ts';
import { runEvidenceName } from '../../src/deploy/run-evidence-file.ts';
import { runContentDigest } from '../../src/deploy/sums-digest.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

type ShardEvidenceOutcome =
  { kind: 'checked'; kept: ShardCandidate[]; refused: { runId: string; reason: string }[] } | { kind: 'not-checked'; reason: string };

/**
 * Merge reads the shard runs from the data branch, where anyone with write access can push.
 * This keeps only the shard runs whose contents a job of this workflow run recorded: an artifact
 * of this workflow run named for the shard run (the shard job's evidence-path, uploaded by the
 * workflow) whose digest is the shard run's content digest now. Only this workflow run's jobs
 * can upload artifacts to it, so a shard run pushed by anyone else, or changed after its job, is
 * refused with the reason.
 *
 * Without a token, or when the token cannot list this run's artifacts (the merge job needs
 * `actions: read`), nothing is checked and the caller says so: which permissions a job has is
 * decided by the reviewed workflow file, not by whoever pushes to the data branch.
 */
export async function keepShardsRecordedByThisRun(
  candidates: ShardCandidate[],
  options: { octokit: OctokitLike | null; repository: string; workflowRunId: string },
): Promise<ShardEvidenceOutcome> {
  if (!options.octokit) return { kind: 'not-checked', reason: 'no github-token' };
  const evidence = octokitEvidence(options.octokit, options.repository);
  const runId = Number(options.workflowRunId);
  const kept: ShardCandidate[] = [];
  const refused: { runId: string; reason: string }[] = [];
  for (const candidate of candidates) {
    const { manifest, dir } = candidate;
    const name = runEvidenceName(manifest.experiment, manifest.id);
    let artifacts;
    try {
      artifacts = (await evidence.runArtifacts(runId, name)).filter(
        (a) => a.name === name && (a.workflowRunId === null || a.workflowRunId === runId),
      );
    } catch (error) {
      return { kind: 'not-checked', reason: `this workflow run's artifacts could not be listed (${errorMessage(error)})` };
    }
    let digest: string;
    try {
      digest = await runContentDigest(dir);
    } catch {
      refused.push({ runId: manifest.id, reason: 'it has no SHA256SUMS' });
      continue;
    }
    if (artifacts.length === 0)
      refused.push({
        runId: manifest.id,
        reason: `workflow run ${runId} has no artifact ${name}: no job of this workflow run recorded it`,
      });
    else if (!artifacts.some((a) => a.digest === digest))
      refused.push({ runId: manifest.id, reason: `its files digest to ${digest}, not what its job recorded in ${name}` });
    else kept.push(candidate);
  }
  return { kind: 'checked', kept, refused };
}
