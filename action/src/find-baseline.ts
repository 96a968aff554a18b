import { runManifestSchema, type RunManifest } from '../../schemas/run-manifest.ts';
import { parseJson } from '../../src/json/parse-json.ts';
import type { DataBranch } from '../../src/git/data-branch.ts';
import { slugify } from '../../src/store/names.ts';
import { annotationsPath, runPath, runsPath } from './run-on-branch.ts';

interface BaselineQuery {
  dataPath: string;
  experiment: string;
  configName: string;
  /** The `baseline` input: a run id (or a unique part of one of 6+ characters), else a branch name. */
  spec?: string;
  /** The repository's default branch, for when `spec` is not given. */
  defaultBranch: string | null;
  /** The run being evaluated, never its own baseline. */
  exclude: string;
}

export type BaselineResult = { kind: 'found'; manifest: RunManifest; dir: string; reason: string } | { kind: 'none'; reason: string };

/** Run manifests read (one small download each) before giving up on finding a baseline. */
const MAX_CANDIDATES = 30;

/**
 * Finds the run to compare with on the data branch: the run named by `baseline`, else the
 * latest completed CI run of the same config (not a shard) on the branch `baseline` names, or
 * on the default branch. Reads folder names first and only the newest candidates' `run.json`,
 * then checks out the chosen run's folder and the experiment's annotations (what a comparison
 * with it shows beside the scores: the people, and how far the judges agree with them).
 */
export async function findBaseline(data: DataBranch, query: BaselineQuery): Promise<BaselineResult> {
  const ids = (await data.list(runsPath(query.dataPath, query.experiment))).filter((id) => id !== query.exclude);
  const spec = query.spec;
  if (spec) {
    const exact = ids.find((id) => id === spec);
    const partial = spec.length >= 6 ? ids.filter((id) => id.startsWith(spec) || id.endsWith(spec)) : [];
    const id = exact ?? (partial.length === 1 ? partial[0] : undefined);
    if (id) {
      const manifest = await readManifest(data, runPath(query.dataPath, query.experiment, id));
      if (manifest)
        return found(
          data,
          query,
          manifest,
          spec === id ? `the run the baseline input names` : `the run the baseline input \`${spec}\` names`,
        );
    }
  }
  const branch = spec ?? query.defaultBranch;
  if (!branch)
    return { kind: 'none', reason: 'the default branch is not known (no repository in the event payload) and no baseline input was given' };

  const slug = `-${slugify(query.configName, 40)}-`;
  const candidates = ids.filter((id) => id.includes(slug)).reverse();
  let best: RunManifest | null = null;
  for (const id of candidates.slice(0, MAX_CANDIDATES)) {
    // Ids sort by their second; within the second of the first match, createdAt decides.
    if (best && id.slice(0, STAMP_LENGTH) !== best.id.slice(0, STAMP_LENGTH)) break;
    const manifest = await readManifest(data, runPath(query.dataPath, query.experiment, id));
    if (!manifest || manifest.status !== 'completed' || manifest.shard || manifest.config.name !== query.configName) continue;
    // A completed run whose command recorded nothing has no example to compare on.
    if (manifest.counts.traces === 0) continue;
    if (manifest.source.kind !== 'ci' || manifest.source.ref !== `refs/heads/${branch}`) continue;
    if (!best || Date.parse(manifest.createdAt) > Date.parse(best.createdAt)) best = manifest;
  }
  if (best) return found(data, query, best, `the latest completed CI run of ${query.configName} on ${branch}`);
  return { kind: 'none', reason: `no completed CI run of ${query.configName} on ${branch} yet` };
}

/** `20261127-042452`: the creation time that starts every run id (see newRunId). */
const STAMP_LENGTH = 15;

async function found(data: DataBranch, query: BaselineQuery, manifest: RunManifest, reason: string): Promise<BaselineResult> {
  const [dir] = await data.include([
    runPath(query.dataPath, query.experiment, manifest.id),
    annotationsPath(query.dataPath, query.experiment),
  ]);
  return { kind: 'found', manifest, dir: dir!, reason };
}

/** A run's manifest on the branch, or null when it is missing or unreadable (it is then skipped). */
async function readManifest(data: DataBranch, dir: string): Promise<RunManifest | null> {
  const text = await data.readText(`${dir}/run.json`);
  if (text === null) return null;
  try {
    return parseJson(text, runManifestSchema, { file: `${dir}/run.json` });
  } catch {
    return null;
  }
}
