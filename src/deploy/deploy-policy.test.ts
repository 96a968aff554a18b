import { describe, expect, it } from 'vitest';
import { normaliseWorkflowPath } from './github-evidence.ts';
import { branchAllowed, defaultBranchPatterns, parseBranchList } from './deploy-policy.ts';

describe('normaliseWorkflowPath', () => {
  it('strips owner, repo and ref from a workflow path', () => {
    expect(normaliseWorkflowPath('octo/agent/.github/workflows/evaluate.yml@refs/heads/main')).toBe('.github/workflows/evaluate.yml');
    expect(normaliseWorkflowPath('.github/workflows/evaluate.yml')).toBe('.github/workflows/evaluate.yml');
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
