import type { Octokit } from '../octokit.ts';

/**
 * The GitHub Pages address of the repository's site, or null when Pages is not set up or the
 * token may not read it (the summary then has no site links).
 */
export async function findSiteUrl(octokit: Octokit, owner: string, repo: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getPages({ owner, repo });
    return data.html_url ?? null;
  } catch {
    return null;
  }
}
