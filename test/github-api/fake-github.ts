import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';

/**
 * A local stand-in for GitHub's REST API: the few endpoints Labbook calls, answering with the
 * response shapes GitHub documents, and recording every request so tests can assert what the
 * action did. Bodies are typed with `@octokit/openapi-types` (generated from GitHub's OpenAPI
 * description), so the compiler checks them against the documented shapes. References:
 * - issue comments: https://docs.github.com/en/rest/issues/comments (list: `per_page`, `page`,
 *   pagination by the `Link` header, https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api)
 * - commit statuses: https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
 * - Pages: https://docs.github.com/en/rest/pages/pages#get-a-apiname-pages-site
 * - errors: https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 *   (`{ message, documentation_url, status }`); a read-only token gets 403
 *   "Resource not accessible by integration".
 */
type IssueComment = components['schemas']['issue-comment'];
type Status = components['schemas']['status'];
type Page = components['schemas']['page'];
type SimpleUser = components['schemas']['simple-user'];

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeGithubOptions {
  /** The repository served, `owner/name`. */
  repository: string;
  /** Answer 403 to every write, as GitHub does for a read-only token. */
  readOnly?: boolean;
  /** Serve a Pages site at this address; without it GET /pages answers 404. */
  pagesUrl?: string;
}

export interface FakeGithub {
  /** The API base URL: set it as GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Comments by issue number, as the server holds them now. */
  comments: Map<number, IssueComment[]>;
  statuses: Map<string, Status[]>;
  /** Adds a comment as if someone had written it (to fill pages before the action runs). */
  addComment(issue: number, body: string, login?: string): IssueComment;
  close(): Promise<void>;
}

const BOT: SimpleUser = user('github-actions[bot]', 41898282, 'Bot');

function user(login: string, id: number, type: string): SimpleUser {
  return {
    login, id, node_id: `U_${id}`, type, site_admin: false, avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, gravatar_id: '',
    url: `https://api.github.com/users/${login}`, html_url: `https://github.com/${login}`,
    followers_url: `https://api.github.com/users/${login}/followers`, following_url: `https://api.github.com/users/${login}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`, starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${login}/subscriptions`, organizations_url: `https://api.github.com/users/${login}/orgs`,
    repos_url: `https://api.github.com/users/${login}/repos`, events_url: `https://api.github.com/users/${login}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${login}/received_events`,
  };
}

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, IssueComment[]>();
  const statuses = new Map<string, Status[]>();
  let nextId = 1000;
  const repo = options.repository;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  const makeComment = (issue: number, body: string, author: SimpleUser): IssueComment => {
    const id = nextId++;
    const comment: IssueComment = {
      id, node_id: `IC_${id}`, url: `https://api.github.com/repos/${repo}/issues/comments/${id}`, body,
      html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${id}`, user: author, created_at: now(), updated_at: now(),
      issue_url: `https://api.github.com/repos/${repo}/issues/${issue}`, author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
    comments.set(issue, [...(comments.get(issue) ?? []), comment]);
    return comment;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => send(res, 500, { message: String(error), documentation_url: 'https://docs.github.com/rest', status: '500' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, authorization: req.headers.authorization });
    const method = req.method ?? 'GET';
    const base = `/repos/${repo}`;
    const path = url.pathname;
    if (!path.startsWith(`${base}/`)) return notFound(res);
    const rest = path.slice(base.length);
    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (isWrite && options.readOnly) {
      return send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' });
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === 'GET') {
        const all = comments.get(issue) ?? [];
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number) => `<http://${req.headers.host}${path}?per_page=${perPage}&page=${p}>`;
        const links: string[] = [];
        if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
        if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
        return send(res, 200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') return send(res, 201, makeComment(issue, (body as { body: string }).body, BOT));
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const id = Number(m[1]);
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (comment) {
          comment.body = (body as { body: string }).body;
          comment.updated_at = now();
          return send(res, 200, comment);
        }
      }
      return notFound(res);
    }
    if ((m = /^\/statuses\/([0-9a-f]{40})$/.exec(rest)) && method === 'POST') {
      const input = body as { state: string; context?: string; description?: string; target_url?: string };
      const id = nextId++;
      const status: Status = {
        url: `https://api.github.com/repos/${repo}/statuses/${m[1]}`, avatar_url: BOT.avatar_url, id, node_id: `SC_${id}`, state: input.state,
        description: input.description ?? null, target_url: input.target_url ?? null, context: input.context ?? 'default',
        created_at: now(), updated_at: now(), creator: BOT,
      };
      statuses.set(m[1]!, [...(statuses.get(m[1]!) ?? []), status]);
      return send(res, 201, status);
    }
    if (rest === '/pages' && method === 'GET') {
      if (!options.pagesUrl) return notFound(res);
      const page: Page = {
        url: `https://api.github.com/repos/${repo}/pages`, status: 'built', cname: null, custom_404: false, html_url: options.pagesUrl,
        build_type: 'workflow', source: { branch: 'main', path: '/' }, public: true, https_enforced: true,
      };
      return send(res, 200, page);
    }
    return notFound(res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    statuses,
    addComment: (issue, body, login = 'octocat') => makeComment(issue, body, user(login, 583231, 'User')),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function notFound(res: ServerResponse): void {
  send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
