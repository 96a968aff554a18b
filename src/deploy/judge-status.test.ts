import { describe, expect, it } from 'vitest';
import type { CommitStatusFacts, WorkflowRunFacts } from './github-evidence.ts';
import { normaliseWorkflowPath } from './github-evidence.ts';
import { judgeStatus } from './eligibility.ts';
import { parseGithubRemote } from '../github/repository-from-remote.ts';
import { branchAllowed, defaultBranchPatterns, parseBranchList } from './deploy-policy.ts';

const run: WorkflowRunFacts = {
  id: 7,
  headSha: 'a'.repeat(40),
  headBranch: 'main',
  path: '.github/workflows/evaluate.yml',
  event: 'push',
  status: 'completed',
  conclusion: 'success',
  repository: 'octo/agent',
  headRepository: 'octo/agent',
  createdAt: '2026-11-27T10:00:00Z',
  runStartedAt: '2026-11-27T10:00:00Z',
  updatedAt: '2026-11-27T10:10:00Z',
};
const digest = `sha256:${'b'.repeat(64)}`;
const status = (overrides: Partial<CommitStatusFacts>): CommitStatusFacts => ({
  context: 'labbook/demo/r1',
  state: 'success',
  description: digest,
  targetUrl: null,
  creatorLogin: 'github-actions[bot]',
  creatorType: 'Bot',
  createdAt: '2026-11-27T10:05:00Z',
  ...overrides,
});

describe('judgeStatus', () => {
  it('accepts the digest recorded by the CI job during its run', () => {
    expect(judgeStatus([status({})], 'labbook/demo/r1', digest, run)).toMatchObject({ ok: true });
  });

  it('refuses a status a person created with their own token', () => {
    expect(judgeStatus([status({ creatorLogin: 'mallory', creatorType: 'User' })], 'labbook/demo/r1', digest, run)).toEqual({
      ok: false,
      detail: expect.stringContaining('created by mallory, not by a CI job'),
    });
  });

  it('refuses a digest that no longer matches the files', () => {
    expect(judgeStatus([status({ description: `sha256:${'c'.repeat(64)}` })], 'labbook/demo/r1', digest, run).detail).toMatch(/the run's files now digest to/);
  });

  it('refuses a status made outside the workflow run', () => {
    expect(judgeStatus([status({ createdAt: '2026-11-28T00:00:00Z' })], 'labbook/demo/r1', digest, run).detail).toMatch(/not created while workflow run 7 ran/);
  });

  it('takes the newest of several statuses and ignores other contexts', () => {
    const older = status({ createdAt: '2026-11-27T10:01:00Z', description: 'sha256:old' });
    const other = status({ context: 'labbook/demo/r2', description: 'sha256:other' });
    expect(judgeStatus([older, other, status({})], 'labbook/demo/r1', digest, run).ok).toBe(true);
    expect(judgeStatus([other], 'labbook/demo/r1', digest, run).detail).toMatch(/no commit status "labbook\/demo\/r1"/);
  });
});

describe('normaliseWorkflowPath and parseGithubRemote', () => {
  it('strips owner, repo and ref from a workflow path', () => {
    expect(normaliseWorkflowPath('octo/agent/.github/workflows/evaluate.yml@refs/heads/main')).toBe('.github/workflows/evaluate.yml');
    expect(normaliseWorkflowPath('.github/workflows/evaluate.yml')).toBe('.github/workflows/evaluate.yml');
  });

  it('reads owner/repo from GitHub remotes only', () => {
    expect(parseGithubRemote('https://github.com/octo/agent.git')).toBe('octo/agent');
    expect(parseGithubRemote('git@github.com:octo/agent.git\n')).toBe('octo/agent');
    expect(parseGithubRemote('/tmp/remote.git')).toBeNull();
  });
});

describe('branch policy', () => {
  it('matches names and * patterns, and reads lists where * alone allows any branch', () => {
    const patterns = defaultBranchPatterns('main');
    expect(patterns).toEqual(['main', 'gh-readonly-queue/main/*']);
    expect(branchAllowed('main', patterns)).toBe(true);
    expect(branchAllowed('gh-readonly-queue/main/pr-12-0123abcd', patterns)).toBe(true);
    expect(branchAllowed('main-fix', patterns)).toBe(false);
    expect(branchAllowed('feature/main', patterns)).toBe(false);
    expect(branchAllowed('release.1', ['release.*'])).toBe(true);
    expect(branchAllowed('releasex1', ['release.1'])).toBe(false); // a dot is a dot
    expect(parseBranchList('main, release/*\nmain')).toEqual(['main', 'release/*']);
    expect(parseBranchList('main, *')).toBeNull();
    expect(parseBranchList(' ')).toBeUndefined();
  });
});

