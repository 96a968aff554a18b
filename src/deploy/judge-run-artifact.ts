import type { RunArtifactFacts, WorkflowRunFacts } from './github-evidence.ts';

interface Verdict {
  ok: boolean;
  detail: string;
}

/**
 * The evaluation job's record of a run's contents: an artifact of the workflow run the run
 * names, called `name` (`runEvidenceName`), whose digest is the run's content digest now.
 *
 * Only a job of that workflow run can upload an artifact to it: uploads go through the job's
 * runtime token, scoped to its own workflow run, and the REST API has no endpoint that creates
 * an artifact. A status, a comment or an artifact made by any other workflow run (a writer's
 * scratch workflow, say) is not in this list, whenever it was made. No time window is involved.
 * Artifacts the answer attributes to another workflow run or commit are ignored.
 */
export function judgeRunArtifact(
  artifacts: readonly RunArtifactFacts[],
  expected: { name: string; digest: string; run: WorkflowRunFacts },
): Verdict {
  const { name, digest, run } = expected;
  const mine = artifacts.filter(
    (a) => a.name === name && (a.workflowRunId === null || a.workflowRunId === run.id) && (a.headSha === null || a.headSha === run.headSha),
  );
  if (mine.length === 0) {
    return {
      ok: false,
      detail: `workflow run ${run.id} has no artifact ${name}: the evaluation job did not upload the run's SHA256SUMS (or the artifact was deleted)`,
    };
  }
  const match = mine.find((a) => a.digest === digest);
  if (match)
    return {
      ok: true,
      detail: `artifact ${name} of workflow run ${run.id}${match.expired ? ' (expired; GitHub keeps its digest)' : ''}: ${digest.slice(0, 19)}…`,
    };
  const recorded = [...new Set(mine.map((a) => a.digest ?? 'no digest (uploaded before upload-artifact v4)'))].join(', ');
  return { ok: false, detail: `workflow run ${run.id} recorded ${recorded} in artifact ${name}; the run's files now digest to ${digest}` };
}
