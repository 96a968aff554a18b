import { rm } from 'node:fs/promises';
import { LabbookError } from '../errors/index.ts';
import { collectRunReferences } from './run-references.ts';
import { openDataFolder } from '../store/handles.ts';
import { planGc, type GcCandidate, type GcDecision, type GcFacts } from './plan-gc.ts';
import type { RetentionPolicy } from './retention-policy.ts';
import { measureFolder } from './storage-health.ts';

interface GcPlan {
  decisions: GcDecision[];
  /** Runs, records or files that could not be read: nothing is removed while any exists. */
  problems: string[];
}

/**
 * Reads what `planGc` decides on from a data folder: every run with its size, the runs that
 * deployment records, annotations and review queues name. A run, record or annotation file that
 * cannot be read is a problem, and gc then removes nothing: it could be what keeps a run.
 */
export async function collectGcPlan(
  dataDir: string,
  policy: RetentionPolicy,
  facts: Omit<GcFacts, 'deployed' | 'referenced'>,
): Promise<GcPlan> {
  const problems: string[] = [];
  const note = (error: unknown) => problems.push(error instanceof Error ? error.message : String(error));
  const data = openDataFolder(dataDir);
  const experiments = await data.experiments();
  const references = await collectRunReferences(
    dataDir,
    experiments.map((experiment) => experiment.name),
    note,
  );
  const deployed = new Set(references.deployments.keys());
  const referenced = new Set(references.annotations.keys());
  const candidates: GcCandidate[] = [];
  for (const experiment of experiments) {
    for (const run of await experiment.runs({ onError: (e: LabbookError) => note(e) }))
      candidates.push({ manifest: run.manifest, bytes: (await measureFolder(run.dir)).bytes });
  }
  return { decisions: planGc(candidates, policy, { ...facts, deployed, referenced }), problems };
}

/** Removes the runs a plan drops; each folder goes whole, or stays. */
export async function applyGcPlan(dataDir: string, plan: GcPlan): Promise<number> {
  if (plan.problems.length > 0) throw new LabbookError(`gc removes nothing while something cannot be read: ${plan.problems[0]}`);
  const data = openDataFolder(dataDir);
  let removed = 0;
  for (const decision of plan.decisions) {
    if (decision.action !== 'drop') continue;
    const { experiment, id } = decision.run.manifest;
    const run = await (await data.experiment(experiment)).run(id);
    await rm(run.dir, { recursive: true });
    removed++;
  }
  return removed;
}
