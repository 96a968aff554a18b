import { NAME_PATTERN } from '../../../schemas/names.ts';
import type { DataBranch } from '../../../src/git/data-branch.ts';
import { dataRoot, runPath, runsPath } from '../run-on-branch.ts';

interface RunOnBranch {
  experiment: string;
  runId: string;
}

type RunLookup = { kind: 'found'; run: RunOnBranch } | { kind: 'missing'; reason: string };

/**
 * Which run the `run` input means, among the runs on the data branch: its exact id, else the one
 * id that starts or ends with it (at least 6 characters, as `labbook` accepts on the command line).
 */
function matchRunId(candidates: RunOnBranch[], wanted: string): RunLookup {
  const exact = candidates.find((c) => c.runId === wanted);
  if (exact) return { kind: 'found', run: exact };
  const partial = wanted.length >= 6 ? candidates.filter((c) => c.runId.startsWith(wanted) || c.runId.endsWith(wanted)) : [];
  if (partial.length === 1) return { kind: 'found', run: partial[0]! };
  if (partial.length > 1)
    return {
      kind: 'missing',
      reason: `"${wanted}" is ambiguous: ${partial
        .slice(0, 5)
        .map((c) => `${c.experiment}/${c.runId}`)
        .join(', ')}`,
    };
  return { kind: 'missing', reason: `no run "${wanted}"` };
}

/**
 * Finds the run on the data branch by reading trees only (no file contents), then checks out
 * that one run folder: a data branch of any size costs one run's files.
 * Returns the run and its folder in the checkout.
 */
export async function findRunOnBranch(
  data: DataBranch,
  options: { dataPath: string; wanted: string; experiment?: string },
): Promise<RunLookup> {
  const root = dataRoot(options.dataPath);
  const experiments = options.experiment ? [options.experiment] : (await data.list(root)).filter((name) => NAME_PATTERN.test(name));
  const candidates: RunOnBranch[] = [];
  for (const experiment of experiments) {
    for (const runId of await data.list(runsPath(options.dataPath, experiment))) {
      if (NAME_PATTERN.test(runId)) candidates.push({ experiment, runId });
    }
  }
  const lookup = matchRunId(candidates, options.wanted);
  if (lookup.kind === 'missing') {
    const where = `${options.experiment ? `${root}/${options.experiment}/runs` : `${root}/`} on branch ${data.branch}`;
    return { kind: 'missing', reason: `${lookup.reason} in ${where}${data.exists ? '' : ` (the branch does not exist)`}` };
  }
  await data.include([runPath(options.dataPath, lookup.run.experiment, lookup.run.runId)]);
  return lookup;
}
