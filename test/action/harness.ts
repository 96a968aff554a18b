import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import webhooks from '@octokit/webhooks-examples';

/** The repository root (the action bundle, the fixtures). */
export const ROOT = resolve(import.meta.dirname, '../..');
export const ACTION = join(ROOT, 'action', 'dist', 'index.js');
export const FAKE_EVAL = join(ROOT, 'test', 'action', 'fixtures', 'fake-eval.mjs');
/** The repository every recorded payload is about. */
export const REPOSITORY = 'Codertocat/Hello-World';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  });
}

export interface TestRepo {
  root: string;
  /** A bare repository on disk, standing in for GitHub. */
  remote: string;
  /** A clone of it, as actions/checkout leaves it. */
  workspace: string;
  sha: string;
}

/**
 * The test repositories this test file made, removed after its tests. The demo and the benches
 * (which import this outside Vitest, sometimes with its VITEST variable inherited) keep theirs.
 */
const made: string[] = [];
if (process.env.VITEST) {
  const { afterAll } = await import('vitest');
  try {
    afterAll(async () => {
      await Promise.all(made.splice(0).map((root) => rm(root, { recursive: true, force: true })));
    });
  } catch {
    // not in a test file's collection: nothing to register with
  }
}

/**
 * A bare remote whose `master` holds three agent configs (accuracy 0.8, 0.6, 0.9) and any
 * `extraFiles`, and a workspace cloned from it. The remote allows partial clones, as GitHub does.
 */
export async function createTestRepo(prefix = 'labbook-action-', extraFiles: Record<string, string> = {}): Promise<TestRepo> {
  const root = await mkdtemp(join(process.env.LABBOOK_TEST_TMP ?? (await import('node:os')).tmpdir(), prefix));
  made.push(root);
  const remote = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', '-b', 'master', remote);
  git(remote, 'config', 'uploadpack.allowFilter', 'true');
  git(remote, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  // GitHub keeps a record of every push to a branch (its activity API); the fake reads the reflog.
  git(remote, 'config', 'core.logAllRefUpdates', 'always');
  const seed = join(root, 'seed');
  git(root, 'init', '-q', '-b', 'master', seed);
  await mkdir(join(seed, 'configs'), { recursive: true });
  await writeFile(join(seed, 'configs', 'baseline.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.8\n');
  await writeFile(join(seed, 'configs', 'worse.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.6\n');
  await writeFile(join(seed, 'configs', 'better.yaml'), 'model: sim-2\nparams:\n  accuracy: 0.9\n');
  await writeFile(join(seed, 'README.md'), '# an agent\n');
  for (const [path, text] of Object.entries(extraFiles)) {
    await mkdir(dirname(join(seed, path)), { recursive: true });
    await writeFile(join(seed, path), text);
  }
  git(seed, 'add', '.');
  git(seed, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', 'the agent');
  git(seed, 'push', '-q', remote, 'master');
  const workspace = join(root, 'workspace');
  git(root, 'clone', '-q', remote, workspace);
  return { root, remote, workspace, sha: git(workspace, 'rev-parse', 'HEAD').trim() };
}

export type EventKind = 'push' | 'pull_request' | 'pull_request_from_fork' | 'workflow_dispatch';

/**
 * A recorded payload from @octokit/webhooks-examples; the fork one has its head repository
 * renamed, the dispatch one is moved to the push payload's repository.
 */
export function eventPayload(kind: EventKind): Record<string, unknown> {
  const definitions = webhooks as unknown as Array<{ name: string; examples: Array<Record<string, any>> }>;
  const push = () => structuredClone(definitions.find((d) => d.name === 'push')!.examples.find((e) => e.ref === 'refs/heads/master')!);
  if (kind === 'push') return push();
  if (kind === 'workflow_dispatch') {
    const dispatch = structuredClone(definitions.find((d) => d.name === 'workflow_dispatch')!.examples[0]!);
    const { repository, sender } = push();
    return { ...dispatch, ref: 'refs/heads/master', workflow: '.github/workflows/deploy.yml', repository, sender };
  }
  const opened = structuredClone(definitions.find((d) => d.name === 'pull_request')!.examples.find((e) => e.action === 'opened')!);
  if (kind === 'pull_request_from_fork') {
    // GitHub's payload for a fork differs in the head repository: another owner's copy.
    opened.pull_request.head.repo.full_name = 'a-forker/Hello-World';
    opened.pull_request.head.repo.owner.login = 'a-forker';
    opened.pull_request.head.label = 'a-forker:changes';
  }
  return opened;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunActionOptions {
  repo: TestRepo;
  inputs: Record<string, string>;
  event?: EventKind;
  apiUrl?: string;
  /** The Node.js binary that runs the action (LABBOOK_NODE24 for Node 24). */
  node?: string;
  /** The bundle to run: action/dist/index.js, or a copy of it placed elsewhere. */
  bundle?: string;
  env?: Record<string, string>;
  runId?: string;
  runAttempt?: string;
  job?: string;
}

let sequence = 0;

/**
 * Runs `node action/dist/index.js` the way the runner does: inputs as INPUT_* variables, the
 * GITHUB_* variables of a job, and files for outputs, the step summary and the event payload.
 * The environment starts empty but for PATH and HOME, so nothing of the machine's leaks in.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const { repo } = options;
  const id = `${process.pid}-${++sequence}`;
  const files = join(repo.root, `step-${id}`);
  await mkdir(join(files, 'tmp'), { recursive: true });
  const event = options.event ?? 'push';
  const payload = eventPayload(event);
  const eventPath = join(files, 'event.json');
  await writeFile(eventPath, JSON.stringify(payload));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const isPr = event.startsWith('pull_request');
  const pr = payload.pull_request as { number: number; head: { ref: string } } | undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? repo.root,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: 'Codertocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_WORKFLOW: 'evaluate',
    GITHUB_WORKFLOW_REF: `${REPOSITORY}/.github/workflows/evaluate.yml@refs/heads/master`,
    GITHUB_RUN_ID: options.runId ?? '4242',
    GITHUB_RUN_ATTEMPT: options.runAttempt ?? '1',
    GITHUB_JOB: options.job ?? 'evaluate',
    GITHUB_SHA: repo.sha,
    GITHUB_REF: isPr ? `refs/pull/${pr!.number}/merge` : 'refs/heads/master',
    GITHUB_REF_NAME: isPr ? `${pr!.number}/merge` : 'master',
    GITHUB_HEAD_REF: isPr ? pr!.head.ref : '',
    GITHUB_BASE_REF: isPr ? 'master' : '',
    GITHUB_ACTOR: 'Codertocat',
    GITHUB_EVENT_NAME: isPr ? 'pull_request' : event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: repo.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: join(files, 'tmp'),
    // Given to JavaScript actions, not to run: steps; the action must not pass them on.
    ACTIONS_RUNTIME_TOKEN: 'runtime-token-for-tests',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-for-tests',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
    execFile(
      options.node ?? process.execPath,
      [options.bundle ?? ACTION],
      { cwd: repo.workspace, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolvePromise({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
  return {
    ...result,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
  };
}

/** Reads GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, the value, the delimiter. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    outputs[match[1]!] = value.join('\n');
  }
  return outputs;
}

/** The evaluation command every test runs (unless it ingests a file). */
export function evalCommand(env = ''): string {
  return `${env ? `${env} ` : ''}"${process.execPath}" "${FAKE_EVAL}"`;
}
