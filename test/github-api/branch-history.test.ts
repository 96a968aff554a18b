import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitEvidence } from '../../src/deploy/octokit-evidence.ts';
import { createRestClient } from '../../src/github/rest-client.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { startFakeGithub, type FakeGithub } from './fake-github.ts';

// Deploy's `commit on that branch` reads GitHub's compare of the run's commit against the tip, a
// hundred commits a page, to follow the branch's first-parent line: here against a real bare
// repository with 1,050 commits on master, a pull request merged with a merge commit among them.

const remote = tempDir('labbook-branch-history-');
const line: string[] = []; // master's first-parent line, oldest first
let prOwn = '';
let api: FakeGithub;
const git = (...args: string[]) => execFileSync('git', args, { cwd: remote, encoding: 'utf8', maxBuffer: 1 << 26 });

beforeAll(async () => {
  git('init', '-q', '--bare', '-b', 'master');
  // One fast-import stream: 1,050 commits in a fraction of a second, where 1,050 `git commit` would take a minute.
  const at = 1_767_000_000;
  let stream = '';
  for (let i = 1; i <= 1_050; i++) {
    if (i === 1_040) {
      stream += `commit refs/heads/pr\nmark :9001\ncommitter m <m@example.invalid> ${at + i} +0000\ndata 9\npr commit\nfrom :${i - 1}\nM 644 inline pr.txt\ndata 3\npr\n\n`;
    }
    stream += `commit refs/heads/master\nmark :${i}\ncommitter a <a@example.invalid> ${at + i} +0000\ndata ${String(i).length}\n${i}\n`;
    if (i > 1) stream += `from :${i - 1}\n`;
    if (i === 1_041) stream += 'merge :9001\n';
    stream += `M 644 inline n.txt\ndata ${String(i).length}\n${i}\n\n`;
  }
  execFileSync('git', ['fast-import', '--quiet', '--export-marks=marks'], { cwd: remote, input: stream });
  const marks = new Map(
    readFileSync(join(remote, 'marks'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  for (let i = 1; i <= 1_050; i++) line.push(marks.get(`:${i}`)!);
  prOwn = marks.get(':9001')!;
  api = await startFakeGithub({ repository: 'acme/bot', gitRemote: remote });
});

afterAll(async () => api?.close());

const history = (commit: string) =>
  octokitEvidence(createRestClient({ GITHUB_TOKEN: 'test', GITHUB_API_URL: api.url })!, 'acme/bot').branchHistory('master', commit);

describe('branchHistory', () => {
  it('follows the first-parent line across pages, up to a thousand commits behind the tip', async () => {
    expect(await history(line.at(-1)!)).toEqual({ branch: 'master', tip: line.at(-1), contains: true, wasTip: true });
    expect(await history(line.at(-150)!)).toMatchObject({ contains: true, wasTip: true });
    expect(await history(line.at(-1_000)!)).toMatchObject({ contains: true, wasTip: true });
    const compares = api.requests.filter((r) => r.path.includes('/compare/'));
    expect(compares.length).toBeGreaterThan(10); // 1 + 2 + 10 pages
  });

  it("says no for a merged pull request's own commit, and cannot tell past a thousand commits", async () => {
    expect(await history(prOwn)).toMatchObject({ contains: true, wasTip: false });
    expect(await history(line[0]!)).toMatchObject({ contains: true, wasTip: null });
    expect(await history('0'.repeat(40))).toMatchObject({ contains: false, wasTip: false });
  });
});

describe("branchHistory with GitHub's activity record", () => {
  // Real pushes to a bare remote whose reflog stands for GitHub's record of pushes.
  const root = tempDir('labbook-branch-pushes-');
  const origin = join(root, 'origin.git');
  const run = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  // The remote's reflog names whoever ran receive-pack, as GitHub's record names the pusher.
  const push = (dir: string, who: string, ...refs: string[]) =>
    execFileSync('git', ['push', '-q', 'origin', ...refs], { cwd: dir, env: { ...process.env, GIT_COMMITTER_NAME: who } });
  const clone = (name: string, who: string) => {
    const dir = join(root, name);
    run(root, 'clone', '-q', origin, dir);
    run(dir, 'config', 'user.name', who);
    run(dir, 'config', 'user.email', `${who}@example.invalid`);
    run(dir, 'config', 'pull.rebase', 'false');
    return dir;
  };
  const commit = (dir: string, file: string, message: string) => {
    execFileSync('sh', ['-c', `echo "${message}" > ${file}`], { cwd: dir });
    run(dir, 'add', file);
    run(dir, 'commit', '-q', '-m', message);
    return run(dir, 'rev-parse', 'HEAD');
  };
  let pushed: string; // Ada's tip, put off master's first-parent line by Grace's `git pull` merge
  let prOwn: string; // a pull request's own commit, merged with a merge commit
  let server: FakeGithub;

  beforeAll(async () => {
    run(root, 'init', '-q', '--bare', '-b', 'master', origin);
    run(origin, 'config', 'core.logAllRefUpdates', 'always');
    const ada = clone('ada', 'ada');
    const grace = clone('grace', 'grace');
    commit(ada, 'a.txt', 'first');
    push(ada, 'ada', 'master');
    run(grace, 'pull', '-q', 'origin', 'master');
    pushed = commit(ada, 'a.txt', 'ada: a better prompt');
    push(ada, 'ada', 'master'); // CI evaluates this commit: master's tip
    commit(grace, 'g.txt', 'grace: a new tool');
    run(grace, 'pull', '-q', '--no-edit', 'origin', 'master'); // a merge whose first parent is Grace's commit
    push(grace, 'grace', 'master');
    // A pull request: its own commit on a branch (pushed there), merged into master with a merge commit.
    run(grace, 'checkout', '-q', '-b', 'feature');
    prOwn = commit(grace, 'f.txt', 'feature');
    push(grace, 'grace', 'feature');
    run(grace, 'checkout', '-q', 'master');
    run(grace, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #3 from grace/feature', 'feature');
    push(grace, 'grace', 'master');
    // 150 later pushes to master, so Ada's push is on the record's second page of 100.
    let tip = run(grace, 'rev-parse', 'HEAD');
    const tree = run(grace, 'rev-parse', 'HEAD^{tree}');
    for (let i = 0; i < 150; i++) {
      const next = run(origin, 'commit-tree', tree, '-p', tip, '-m', `later ${i}`);
      run(origin, 'update-ref', '-m', 'push', 'refs/heads/master', next, tip);
      tip = next;
    }
    server = await startFakeGithub({ repository: 'acme/bot', gitRemote: origin });
  });

  afterAll(async () => server?.close());

  const historyOf = (sha: string) =>
    octokitEvidence(createRestClient({ GITHUB_TOKEN: 'test', GITHUB_API_URL: server.url })!, 'acme/bot').branchHistory('master', sha);

  it('finds the push that left the branch at a tip a later merge put on the side, on a later page of the record', async () => {
    const facts = await historyOf(pushed);
    expect(facts).toMatchObject({ contains: true, wasTip: true, pushedTip: { kind: 'push', by: 'ada' } });
    expect(facts?.pushedTip?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const pages = server.requests.filter((r) => r.path.endsWith('/activity'));
    expect(pages.map((r) => r.query.ref)).toEqual(['refs/heads/master', 'refs/heads/master']);
    expect(pages[1]!.query.after).toBeDefined();
  });

  it("refuses a pull request's own commit: pushed to its own branch, never to master", async () => {
    expect(await historyOf(prOwn)).toEqual({ branch: 'master', tip: expect.any(String), contains: true, wasTip: false });
  });
});
