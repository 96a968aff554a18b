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
