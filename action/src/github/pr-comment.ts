import type { Octokit } from '../octokit.ts';

interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

type CommentResult = { kind: 'created'; id: number; url: string } | { kind: 'updated'; id: number; url: string };

/**
 * Posts `body` on a pull request, or updates the comment that carries `marker` if there is
 * one: one comment per marker, never a duplicate. Every page of comments is searched (a busy
 * pull request has more than one page).
 */
export async function upsertComment(octokit: Octokit, target: CommentTarget, marker: string, body: string): Promise<CommentResult> {
  const params = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 };
  let existing: { id: number } | undefined;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, params)) {
    existing = page.data.find((comment) => comment.body?.includes(marker));
    if (existing) break;
  }
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: existing.id, body });
    return { kind: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body,
  });
  return { kind: 'created', id: data.id, url: data.html_url };
}
