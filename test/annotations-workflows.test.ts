import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { getOctokit } from '@actions/github';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_MARKER } from '../src/annotations/preview-view.ts';
import { startFakeGithub, type FakeGithub } from './github-api/fake-github.ts';
import { entryYaml, makeAnnotationFixture, type AnnotationFixture } from './helpers/annotation-fixture.ts';
import { tempDir } from './helpers/temp-dir.ts';

/**
 * Runs the shell steps of .github/workflows/annotations.yml as the runner would (bash -eo
 * pipefail, the step's env and working-directory, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * files), in a workspace laid out like the job's: this checkout at the root, the pull request's
 * data under pr/ (`npm ci` is skipped: node_modules is this checkout's). Then runs annotations-comment.yml's script with a real Octokit against a
 * local GitHub API. The `uses:` steps (checkout, setup-node, upload/download) are GitHub's own.
 */
const repoRoot = resolve(import.meta.dirname, '..');
const workspace = tempDir('labbook-annotations-workflow-');
const pr = join(workspace, 'pr');
let fx: AnnotationFixture;
let headSha = '';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  uses?: string;
  with?: Record<string, string>;
  id?: string;
}
const workflow = yaml.load(readFileSync(join(repoRoot, '.github/workflows/annotations.yml'), 'utf8')) as {
  env: Record<string, string>;
  permissions: unknown;
  jobs: { check: { steps: Step[] } };
};
const commenter = yaml.load(readFileSync(join(repoRoot, '.github/workflows/annotations-comment.yml'), 'utf8')) as {
  permissions: unknown;
  jobs: { comment: { steps: Step[]; permissions: unknown } };
};

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: pr,
    env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' },
  })
    .toString()
    .trim();

beforeAll(async () => {
  for (const name of ['bin', 'src', 'schemas', 'templates', 'node_modules', 'package.json'])
    symlinkSync(join(repoRoot, name), join(workspace, name));
  mkdirSync(pr);
  git('init', '-q', '-b', 'labbook-data');
  fx = await makeAnnotationFixture(pr, 'experiments');
  git('add', '-A');
  git('commit', '-qm', 'base: two runs');
});

/** Runs the check job's shell steps; returns each step's exit code and the outputs. */
function runCheckJob(expressions: Record<string, string>) {
  const outputFile = join(workspace, `output-${Date.now()}`);
  const summaryFile = join(workspace, `summary-${Date.now()}`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const outputs: Record<string, Record<string, string>> = {};
  const codes: Record<string, number> = {};
  for (const step of workflow.jobs.check.steps) {
    if (!step.run || step.run.trim() === 'npm ci') continue; // node_modules is this checkout's
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.env ?? {})) {
      env[key] = value.replace(
        /\$\{\{\s*([^}]+?)\s*\}\}/g,
        (_m, expr: string) =>
          expressions[expr] ?? (expr.startsWith('steps.') ? (outputs[expr.split('.')[1]!]?.[expr.split('.')[3]!] ?? '') : ''),
      );
    }
    writeFileSync(outputFile, '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: join(workspace, step['working-directory'] ?? '.'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...workflow.env,
        ...env,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_ACTIONS: 'true',
      },
      encoding: 'utf8',
    });
    codes[step.name ?? step.id ?? '?'] = result.status ?? -1;
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('=') as [string, string]),
      );
    if (result.status !== 0) return { codes, outputs, stderr: result.stderr, summary: readFileSync(summaryFile, 'utf8') };
  }
  return { codes, outputs, stderr: '', summary: readFileSync(summaryFile, 'utf8') };
}

function commitAnnotation(file: string, text: string): void {
  writeFileSync(join(fx.annotations, file), text);
  git('add', '-A');
  git('commit', '-qm', `annotate ${file}`);
  headSha = git('rev-parse', 'HEAD');
}

describe('annotations.yml', () => {
  it('asks for nothing but read access and never interpolates untrusted text into a shell line', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const step of workflow.jobs.check.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
    const checkouts = workflow.jobs.check.steps.filter((s) => s.uses?.startsWith('actions/checkout'));
    expect(checkouts.map((s) => s.with?.['persist-credentials'])).toEqual([false, false]);
    expect(checkouts[0]!.with?.ref).toBe('${{ github.event.repository.default_branch }}');
  });

  it('checks a pull request that adds an annotation, renders the preview and passes', () => {
    commitAnnotation(
      'grace-20260131-120000-abcd.yaml',
      entryYaml({
        run: fx.runs[0],
        trace: 't2',
        name: 'verdict',
        value: 'needs review',
        author: 'Grace',
        at: '2026-01-31T12:00:00Z',
        note: 'ping @octocat | see step 2',
      }),
    );
    const job = runCheckJob({
      'github.repository': 'octo/lab',
      'github.event.pull_request.head.sha': headSha,
      'github.event.pull_request.number': '7',
      'vars.LABBOOK_SITE_URL': '',
    });
    expect(job.stderr).toBe('');
    expect(job.outputs.check).toEqual({ exit: '0' });
    expect(Object.values(job.codes).every((c) => c === 0)).toBe(true);
    const preview = readFileSync(join(workspace, 'preview', 'preview.md'), 'utf8');
    expect(preview.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(preview).toContain('✅ 1 annotation added, all pass the check');
    expect(preview).toContain(
      `[experiments/demo/annotations/grace-20260131-120000-abcd.yaml:1](https://github.com/octo/lab/blob/${headSha}/experiments/demo/annotations/grace-20260131-120000-abcd.yaml#L1)`,
    );
    expect(preview).toContain('ping @\u200boctocat \\| see step 2');
    expect(JSON.parse(readFileSync(join(workspace, 'preview', 'pr.json'), 'utf8'))).toEqual({ number: 7, headSha, comment: true });
    expect(job.summary).toContain(PREVIEW_MARKER);
  });

  it('fails the job after uploading the preview when an annotation is wrong', () => {
    commitAnnotation(
      'eve.yaml',
      entryYaml({ run: fx.runs[0], trace: 't404', name: 'verdict', value: 'great', author: 'Eve', at: '2026-01-31T12:00:00Z' }),
    );
    const job = runCheckJob({
      'github.repository': 'octo/lab',
      'github.event.pull_request.head.sha': headSha,
      'github.event.pull_request.number': '7',
    });
    expect(job.outputs.check).toEqual({ exit: '1' });
    expect(job.codes['Render the preview comment']).toBe(0);
    expect(job.codes['Fail on errors']).toBe(1);
    const preview = readFileSync(join(workspace, 'preview', 'preview.md'), 'utf8');
    // both problems of the one entry: its label and its trace
    expect(preview).toContain('❌ 2 errors: fix them before merging');
    expect(preview).toContain('value: &quot;great&quot; is not an allowed &quot;verdict&quot; label');
    expect(preview).toContain('trace: no trace &quot;t404&quot;');
    git('reset', '-q', '--hard', 'HEAD^');
    headSha = git('rev-parse', 'HEAD');
  });
});

describe('annotations-comment.yml', () => {
  let fake: FakeGithub;
  let proxy: Server;
  let apiUrl = '';
  const pulls = new Map<number, string>();
  const logs: string[] = [];
  const core = {
    info: (m: string) => logs.push(`info: ${m}`),
    notice: (m: string) => logs.push(`notice: ${m}`),
    setFailed: (m: string) => logs.push(`failed: ${m}`),
  };

  beforeAll(async () => {
    fake = await startFakeGithub({ repository: 'octo/lab' });
    // the shared fake answers comments; pulls.get (GET /repos/o/r/pulls/N) is answered here
    proxy = createServer((req, res) => {
      const match = /^\/repos\/octo\/lab\/pulls\/(\d+)$/.exec(req.url ?? '');
      if (match && req.method === 'GET') {
        const sha = pulls.get(Number(match[1]));
        res.writeHead(sha ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            sha
              ? {
                  number: Number(match[1]),
                  state: 'open',
                  head: { sha, ref: 'annotate', repo: { full_name: 'fork/lab' } },
                  base: { sha: 'b'.repeat(40), ref: 'labbook-data' },
                }
              : { message: 'Not Found', status: '404' },
          ),
        );
        return;
      }
      const target = new URL(fake.url);
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((ok) => proxy.close(ok));
    await fake.close();
  });

  async function runCommenter(previewDir: string, runHeadSha: string): Promise<void> {
    const step = commenter.jobs.comment.steps.find((s) => s.uses?.startsWith('actions/github-script'))!;
    process.env.PREVIEW_DIR = previewDir;
    process.env.HEAD_SHA = runHeadSha;
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const script = new AsyncFunction('require', 'github', 'context', 'core', step.with!.script!);
    await script(createRequire(import.meta.url), getOctokit('token', { baseUrl: apiUrl }), { repo: { owner: 'octo', repo: 'lab' } }, core);
  }

  it('asks only to read artifacts and write pull request comments, and checks nothing out', () => {
    expect(commenter.permissions).toEqual({});
    expect(commenter.jobs.comment.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(commenter.jobs.comment.steps.map((s) => s.uses)).toEqual(['actions/download-artifact@v4', 'actions/github-script@v7']);
  });

  it('creates one comment, finds it again over several pages and updates it', async () => {
    for (let i = 0; i < 130; i++) fake.addComment(7, `comment ${i}`);
    fake.addComment(7, `${PREVIEW_MARKER}\nplanted by a user`, 'mallory');
    pulls.set(7, headSha);
    const dir = join(workspace, 'preview');
    await runCommenter(dir, headSha);
    await runCommenter(dir, headSha);
    const mine = fake.comments.get(7)!.filter((c) => c.user?.login === 'github-actions[bot]');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toBe(readFileSync(join(dir, 'preview.md'), 'utf8'));
    expect(fake.comments.get(7)!.find((c) => c.user?.login === 'mallory')!.body).toContain('planted by a user');
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/7/comments')).length).toBeGreaterThanOrEqual(4); // 2 runs × 2 pages
  });

  it('refuses an artifact whose pull request is not at the commit that was checked', async () => {
    pulls.set(8, 'c'.repeat(40));
    const dir = join(workspace, 'forged');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pr.json'), JSON.stringify({ number: 8, headSha, comment: true }));
    writeFileSync(join(dir, 'preview.md'), `${PREVIEW_MARKER}\nhello`);
    await runCommenter(dir, headSha);
    expect(fake.comments.get(8)).toBeUndefined();
    expect(logs.at(-1)).toMatch(/^notice: pull request #8 is at c{40}/);
    writeFileSync(join(dir, 'preview.md'), 'no marker here');
    pulls.set(8, headSha);
    await runCommenter(dir, headSha);
    expect(logs.at(-1)).toBe('failed: preview.md is not an annotations preview (no marker)');
    writeFileSync(join(dir, 'pr.json'), JSON.stringify({ number: 8, headSha, comment: false }));
    await runCommenter(dir, headSha);
    expect(fake.comments.get(8)).toBeUndefined();
  });
});

describe('what keeps a pull request from rewriting the annotations check', () => {
  const text = readFileSync(join(repoRoot, '.github/workflows/annotations.yml'), 'utf8');
  const on = (yaml.load(text) as { on: { pull_request: unknown } }).on;
  /** CODEOWNERS as GitHub reads it, for the anchored patterns this file uses: the last matching line wins. */
  const owners = readFileSync(join(repoRoot, '.github/CODEOWNERS'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/) as [string, ...string[]]);
  const ownersOf = (path: string) =>
    owners
      .filter(([pattern]) => (pattern.endsWith('/') ? `/${path}`.startsWith(pattern) : `/${path}` === pattern))
      .at(-1)
      ?.slice(1) ?? [];

  it('says truthfully which copy of the workflow runs, and runs on every pull request (a required check that does not run blocks the merge)', () => {
    expect(text).not.toMatch(/runs a pull_request workflow from the pull request's target branch/);
    expect(text).toMatch(/GitHub runs a pull_request workflow from the pull request's\n# merge commit/);
    expect(on.pull_request).toBeNull();
  });

  it('has code owners for the workflows, CODEOWNERS itself and the code the check runs', () => {
    const checkedCode = [
      'bin/labbook.js',
      'src/annotations/check.ts',
      'src/cli/main.ts',
      'schemas/annotation.ts',
      'templates/annotations-preview.njk',
      'package.json',
      'package-lock.json',
    ];
    for (const path of [
      '.github/workflows/annotations.yml',
      '.github/workflows/annotations-comment.yml',
      '.github/workflows/evaluate.yml',
      '.github/CODEOWNERS',
      'action/dist/index.js',
      ...checkedCode,
    ]) {
      expect(ownersOf(path), path).not.toEqual([]);
    }
    expect(ownersOf('experiments/demo/annotations/a.yaml')).toEqual([]); // the data itself: CODEOWNERS.example
  });
});
