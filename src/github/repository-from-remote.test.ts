import { describe, expect, it } from 'vitest';
import { parseGithubRemote } from './repository-from-remote.ts';

describe('parseGithubRemote', () => {
  it('reads owner/repo from GitHub remotes only', () => {
    expect(parseGithubRemote('https://github.com/octo/agent.git')).toBe('octo/agent');
    expect(parseGithubRemote('git@github.com:octo/agent.git\n')).toBe('octo/agent');
    expect(parseGithubRemote('/tmp/remote.git')).toBeNull();
  });
});
