import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `owner/repo` from a GitHub remote URL (https or ssh), or null for anything else. */
export function parseGithubRemote(url: string): string | null {
  const match = /github\.com[:/]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : null;
}

/** The repository this checkout belongs to: `GITHUB_REPOSITORY`, else the `origin` remote. */
export async function detectRepository(cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env.GITHUB_REPOSITORY) return env.GITHUB_REPOSITORY;
  try {
    const { stdout } = await run('git', ['remote', 'get-url', 'origin'], { cwd });
    return parseGithubRemote(stdout);
  } catch {
    return null;
  }
}
