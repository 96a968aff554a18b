import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { DataBranch, PushResult } from '../../src/git/data-branch.ts';
import { experimentFile } from '../../src/store/layout.ts';

/** Where things are on the data branch, with `/` whatever the runner's OS. */
export function runPath(dataPath: string, experiment: string, runId: string): string {
  return `${trimSlashes(dataPath)}/${experiment}/runs/${runId}`;
}

export function runsPath(dataPath: string, experiment: string): string {
  return `${trimSlashes(dataPath)}/${experiment}/runs`;
}

/** The people's annotation files of an experiment on the branch. */
export function annotationsPath(dataPath: string, experiment: string): string {
  return `${trimSlashes(dataPath)}/${experiment}/annotations`;
}

/** The data folder on the branch (`experiments`). */
export function dataRoot(dataPath: string): string {
  return trimSlashes(dataPath);
}

/** A deployment record's file on the branch: one new file per deployment attempt. */
export function deploymentPath(dataPath: string, experiment: string, deploymentId: string): string {
  return `${trimSlashes(dataPath)}/${experiment}/deployments/${deploymentId}.json`;
}

function trimSlashes(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
}

/** How many pushes are tried in all, and the waits between them (about 40 s at most in all). */
export const PUSH_POLICY = { attempts: 8, backoff: { baseMs: 500, maxMs: 10_000 } } as const;

/**
 * Commits a sealed run folder (and its experiment's `experiment.yaml` when the branch has
 * none yet) and pushes it with the bounded retry.
 */
export async function pushRun(
  data: DataBranch,
  options: {
    runDir: string;
    manifest: RunManifest;
    dataDir: string;
    dataPath: string;
    onRetry: (attempt: number, delayMs: number, reason: string) => void;
  },
): Promise<PushResult> {
  const { manifest } = options;
  await data.commit({
    folders: [{ from: options.runDir, to: runPath(options.dataPath, manifest.experiment, manifest.id) }],
    filesIfMissing: [
      {
        from: experimentFile(options.dataDir, manifest.experiment),
        to: `${trimSlashes(options.dataPath)}/${manifest.experiment}/experiment.yaml`,
      },
    ],
    message: commitMessage(manifest),
  });
  return data.push({ ...PUSH_POLICY, onRetry: options.onRetry });
}

function commitMessage(manifest: RunManifest): string {
  const source = manifest.source;
  const lines = [`labbook: ${manifest.experiment}/${manifest.id} (${manifest.status})`, ''];
  lines.push(
    `${manifest.counts.traces} traces of config ${manifest.config.name}${manifest.shard ? `, shard ${manifest.shard.index}/${manifest.shard.count}` : ''}.`,
  );
  if (source.kind === 'ci') lines.push('', `Workflow run: ${source.runUrl}`);
  return lines.join('\n');
}
