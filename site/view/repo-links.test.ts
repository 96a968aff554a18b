import { describe, expect, it } from 'vitest';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { blobUrl, commitUrl, parseRepoRef, runRepo, workflowRunUrl } from './repo-links.ts';

const manifest = (source: RunManifest['source']) =>
  ({ source, code: { commit: 'abc1234', branch: null, dirty: false } }) as unknown as RunManifest;
const ci = (over: Record<string, string> = {}) =>
  ({
    kind: 'ci',
    provider: 'github',
    serverUrl: 'https://github.com',
    repository: 'acme/agent',
    workflow: 'eval',
    workflowRunId: '42',
    workflowRunAttempt: '2',
    job: 'j',
    ref: 'r',
    sha: 'abc',
    actor: 'a',
    event: 'push',
    runUrl: 'javascript:alert(1)',
    ...over,
  }) as RunManifest['source'];

describe('repository links', () => {
  it('parses owner/name and URLs, and nothing else', () => {
    expect(parseRepoRef('acme/agent')).toEqual({ serverUrl: 'https://github.com', repository: 'acme/agent' });
    expect(parseRepoRef('https://ghe.example.com/acme/agent.git')).toEqual({
      serverUrl: 'https://ghe.example.com',
      repository: 'acme/agent',
    });
    for (const bad of ['', 'acme', 'javascript:alert(1)//a/b', 'acme/agent/extra', '<img>/x']) expect(parseRepoRef(bad)).toBeNull();
  });

  it('links CI runs to their own repository and workflow run, rebuilt from ids (never runUrl)', () => {
    const m = manifest(ci());
    expect(runRepo(m, null)).toEqual({ serverUrl: 'https://github.com', repository: 'acme/agent' });
    expect(workflowRunUrl(m)).toBe('https://github.com/acme/agent/actions/runs/42/attempts/2');
    expect(commitUrl(runRepo(m, null), 'abc1234')).toBe('https://github.com/acme/agent/commit/abc1234');
  });

  it('refuses hostile server URLs, run ids and commits', () => {
    expect(runRepo(manifest(ci({ serverUrl: 'javascript:alert(1)' })), null)).toBeNull();
    expect(workflowRunUrl(manifest(ci({ workflowRunId: '1/../../evil' })))).toBeNull();
    const repo = parseRepoRef('acme/agent');
    expect(commitUrl(repo, 'not-a-sha')).toBeNull();
    expect(blobUrl(repo, 'abc1234', '../etc/passwd')).toBeNull();
    expect(blobUrl(repo, 'abc1234', 'configs/a b.yaml')).toBe('https://github.com/acme/agent/blob/abc1234/configs/a%20b.yaml');
  });

  it('links local runs to the site repository when one is configured', () => {
    expect(runRepo(manifest({ kind: 'local', host: 'h', user: 'u' }), parseRepoRef('me/repo'))?.repository).toBe('me/repo');
    expect(runRepo(manifest({ kind: 'local', host: 'h', user: 'u' }), null)).toBeNull();
  });
});
