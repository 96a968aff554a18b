import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { RetentionPolicy } from './retention-policy.ts';

export interface GcCandidate {
  manifest: RunManifest;
  /** Bytes the run's folder holds (reported, not decided on). */
  bytes: number;
}

export interface GcFacts {
  /** Run ids named by a deployment record (deployed, or refused: the record points at them). */
  deployed: Set<string>;
  /** Run ids that annotations or review queues refer to. */
  referenced: Set<string>;
  /** What is known of pull requests by number: runs of an open (or unknown) one stay. */
  pullState: (pull: number) => 'open' | 'closed' | 'unknown';
  now: Date;
}

export type GcDecision = { run: GcCandidate; action: 'keep' | 'drop'; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The branch a run belongs to: the CI ref's branch, `pull/<n>` for a PR, else the commit's branch. */
export function runBranch(manifest: RunManifest): { branch: string | null; pull: number | null } {
  if (manifest.source.kind === 'ci') {
    const pull = /^refs\/pull\/(\d+)\//.exec(manifest.source.ref);
    if (pull) return { branch: `pull/${pull[1]}`, pull: Number(pull[1]) };
    const head = /^refs\/heads\/(.+)$/.exec(manifest.source.ref);
    return { branch: head ? head[1]! : manifest.code.branch, pull: null };
  }
  return { branch: manifest.code.branch, pull: null };
}

/**
 * Decides, run by run, what `labbook gc` keeps. Always kept: runs a deployment record names,
 * runs annotations or review queues refer to, pinned runs (`keep`), CI runs of the default branch
 * (where baselines come from), runs still running, and the newest `keepPerBranch` runs of each
 * branch. Of the rest, runs of closed pull requests and local runs go once older than `days`;
 * CI runs of other branches and of pull requests not known to be closed stay.
 */
export function planGc(runs: GcCandidate[], policy: RetentionPolicy, facts: GcFacts): GcDecision[] {
  const newestFirst = [...runs].sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  const rankInBranch = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const run of newestFirst) {
    const key = `${run.manifest.experiment}\u0000${run.manifest.source.kind}\u0000${runBranch(run.manifest).branch ?? ''}`;
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    rankInBranch.set(run.manifest.id, rank);
  }
  const pinned = new Set(policy.keep);
  const cutoff = facts.now.getTime() - policy.days * DAY_MS;
  return runs.map((run) => {
    const { manifest } = run;
    const { branch, pull } = runBranch(manifest);
    const keep = (reason: string): GcDecision => ({ run, action: 'keep', reason });
    if (facts.deployed.has(manifest.id)) return keep('named by a deployment record');
    if (pinned.has(manifest.id)) return keep('pinned in retention.keep');
    if (facts.referenced.has(manifest.id)) return keep('annotations or a review queue refer to it');
    if (manifest.status === 'running') return keep('still running');
    if (manifest.source.kind === 'ci' && branch === policy.defaultBranch)
      return keep(`a run of the default branch ${policy.defaultBranch} (baselines come from it)`);
    if (rankInBranch.get(manifest.id)! < policy.keepPerBranch)
      return keep(`among the newest ${policy.keepPerBranch} of ${branch ?? 'its branch'}`);
    const old = Date.parse(manifest.createdAt) < cutoff;
    if (manifest.source.kind === 'local') {
      return old
        ? { run, action: 'drop', reason: `a local run older than ${policy.days} days` }
        : keep(`a local run younger than ${policy.days} days`);
    }
    if (pull !== null) {
      const state = facts.pullState(pull);
      if (state !== 'closed') return keep(`pull request #${pull} is ${state === 'open' ? 'open' : 'not known to be closed'}`);
      return old
        ? { run, action: 'drop', reason: `a run of closed pull request #${pull}, older than ${policy.days} days` }
        : keep(`closed pull request #${pull}, but younger than ${policy.days} days`);
    }
    return keep(`a CI run of branch ${branch ?? '(none)'}`);
  });
}
