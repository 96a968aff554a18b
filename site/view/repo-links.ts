import type { RunManifest } from '#schemas/run-manifest.ts';

/** A GitHub (or GitHub Enterprise) repository the site can link to. */
export interface RepoRef {
  serverUrl: string;
  /** `owner/name`. */
  repository: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Parses `owner/name` or `https://host/owner/name` into a repository reference; null when the
 * text is not one (so a odd value in a config never becomes a link).
 */
export function parseRepoRef(text: string | null | undefined, defaultServer = 'https://github.com'): RepoRef | null {
  if (!text) return null;
  const trimmed = text
    .trim()
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (REPOSITORY.test(trimmed)) return { serverUrl: safeServer(defaultServer) ?? 'https://github.com', repository: trimmed };
  try {
    const url = new URL(trimmed);
    const server = safeServer(url.origin);
    const repository = url.pathname.replace(/^\/+/, '');
    return server && REPOSITORY.test(repository) ? { serverUrl: server, repository } : null;
  } catch {
    return null;
  }
}

/** Only http(s) origins: a `javascript:` server URL must never reach an href. */
function safeServer(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The repository a run belongs to: its CI source when it has one, else the site's. */
export function runRepo(manifest: RunManifest, siteRepo: RepoRef | null): RepoRef | null {
  if (manifest.source.kind === 'ci') {
    const server = safeServer(manifest.source.serverUrl);
    if (server && REPOSITORY.test(manifest.source.repository)) return { serverUrl: server, repository: manifest.source.repository };
  }
  return siteRepo;
}

export function repoUrl(repo: RepoRef): string {
  return `${repo.serverUrl}/${repo.repository}`;
}

export function commitUrl(repo: RepoRef | null, sha: string | null | undefined): string | null {
  if (!repo || !sha || !SHA.test(sha)) return null;
  return `${repoUrl(repo)}/commit/${sha}`;
}

/** The workflow run that made a CI run, rebuilt from its parts rather than trusting `runUrl`. */
export function workflowRunUrl(manifest: RunManifest): string | null {
  if (manifest.source.kind !== 'ci') return null;
  const repo = runRepo(manifest, null);
  const id = manifest.source.workflowRunId;
  if (!repo || !/^\d+$/.test(id)) return null;
  const attempt =
    /^\d+$/.test(manifest.source.workflowRunAttempt) && manifest.source.workflowRunAttempt !== '1'
      ? `/attempts/${manifest.source.workflowRunAttempt}`
      : '';
  return `${repoUrl(repo)}/actions/runs/${id}${attempt}`;
}

/** A link to a file at a commit, e.g. the run's config as it was evaluated. */
export function blobUrl(repo: RepoRef | null, sha: string | null | undefined, path: string): string | null {
  if (!repo || !sha || !SHA.test(sha) || path.startsWith('/') || path.split('/').includes('..')) return null;
  return `${repoUrl(repo)}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}
