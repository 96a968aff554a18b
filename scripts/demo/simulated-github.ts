/**
 * GitHub, simulated the way the action's tests simulate it: a bare git repository as the
 * remote, a clone as the job's workspace, and the local stand-in for GitHub's REST API
 * (test/github-api/fake-github.ts); the action runs from its bundle with INPUT_* and GITHUB_*
 * variables (test/action/harness.ts). The demo reuses both, as a repository script that is
 * never shipped: one simulation, kept honest by the tests, rather than a second one that
 * could drift from what the tests check. Every run is labelled simulated (LABBOOK_SIMULATED_CI).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGithub, type FakeGithub } from '../../test/github-api/fake-github.ts';
import { uploadArtifactStep } from '../../test/github-api/upload-artifact-step.ts';
import { git, REPOSITORY, runAction, type ActionRun, type EventKind, type TestRepo } from '../../test/action/harness.ts';

export { REPOSITORY };
export const DATA_BRANCH = 'labbook-data';
const TOKEN = 'ghs_simulated_demo_token';

export interface SimulatedGithub {
  repo: TestRepo;
  api: FakeGithub;
  close(): Promise<void>;
}

/** The agent's repository on "GitHub": its configs, dataset and experiment definition on master. */
export async function startSimulatedGithub(dir: string, root: string): Promise<SimulatedGithub> {
  const remote = join(dir, 'github', 'agent.git');
  mkdirSync(remote, { recursive: true });
  git(remote, 'init', '-q', '--bare', '-b', 'master');
  const seed = join(dir, 'github', 'seed');
  git(dir, 'init', '-q', '-b', 'master', seed);
  cpSync(join(root, 'examples', 'configs'), join(seed, 'configs'), { recursive: true });
  mkdirSync(join(seed, 'data'));
  cpSync(join(root, 'examples', 'data', 'dataset.jsonl'), join(seed, 'data', 'dataset.jsonl'));
  mkdirSync(join(seed, 'experiments', 'demo'), { recursive: true });
  cpSync(join(root, 'experiments', 'demo', 'experiment.yaml'), join(seed, 'experiments', 'demo', 'experiment.yaml'));
  git(seed, 'add', '.');
  git(
    seed,
    '-c',
    'user.name=dev',
    '-c',
    'user.email=dev@example.invalid',
    'commit',
    '-q',
    '-m',
    'The agent: three configs, a dataset, the experiment',
  );
  git(seed, 'push', '-q', remote, 'master');
  const workspace = join(dir, 'github', 'workspace');
  git(dir, 'clone', '-q', remote, workspace);
  const repo: TestRepo = { root: join(dir, 'github'), remote, workspace, sha: git(workspace, 'rev-parse', 'HEAD').trim() };
  const api = await startFakeGithub({ repository: REPOSITORY, gitRemote: remote });
  return { repo, api, close: () => api.close() };
}

export interface JobOptions {
  inputs: Record<string, string>;
  event?: EventKind;
  workflowRunId: number;
  job?: string;
}

/** Runs the action's bundle as one simulated job step; fails the demo with its log if it fails. */
export async function runSimulatedJob(github: SimulatedGithub, options: JobOptions): Promise<ActionRun> {
  const result = await runAction({
    repo: github.repo,
    apiUrl: github.api.url,
    event: options.event,
    runId: String(options.workflowRunId),
    job: options.job,
    env: { LABBOOK_SIMULATED_CI: 'true' },
    inputs: { 'data-branch': DATA_BRANCH, 'github-token': TOKEN, ...options.inputs },
  });
  if (result.code !== 0) {
    console.error(`${result.stdout}${result.stderr}`);
    throw new Error(`the simulated ${options.job ?? 'evaluate'} job (workflow run ${options.workflowRunId}) failed`);
  }
  // The workflow's next step, actions/upload-artifact with archive: false, files the run's
  // evidence (its SHA256SUMS) as an artifact of this workflow run: what deploy checks.
  // GitHub knows the workflow run a job ran in (the deploy checks ask it about the run).
  const evidence = result.outputs['evidence-path'];
  if (evidence) {
    github.api.addWorkflowRun({ id: options.workflowRunId, headSha: github.repo.sha });
    uploadArtifactStep(github.api, options.workflowRunId, evidence);
  }
  return result;
}
