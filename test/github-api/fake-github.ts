import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
 * - the repository: https://docs.github.com/en/rest/repos/repos#get-a-repository (the fields of a
 *   minimal repository and `default_branch`)
 * - workflow runs: https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run, and
 *   one attempt of one: https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run-attempt
 *   (the same `workflow-run` body, with that attempt's `run_attempt`, `status` and `conclusion`)
 * - a branch: https://docs.github.com/en/rest/branches/branches#get-a-branch (`branch-with-protection`:
 *   `name`, `commit.sha`, `protected`; a branch only, never a tag of that name; 404 for none), and
 *   comparing two commits: https://docs.github.com/en/rest/commits/commits#compare-two-commits
 *   (`commit-comparison`: `status` `identical`, `ahead`, `behind` or `diverged` of head against
 *   base, `ahead_by`, `behind_by`, and `commits`, what head has and base lacks, oldest first, each with its
 *   `parents`, paginated by `per_page` and `page`; 404 for a commit GitHub lacks). Both answer from `gitRemote`.
 * - a repository's activity: https://docs.github.com/en/rest/repos/repos#list-repository-activities
 *   (`activity`: `before`, `after`, the full `ref`, `timestamp`, `activity_type`, `actor`; newest
 *   first, filtered by `ref` (`refs/heads/<name>` or `<name>`), paginated by the cursors `after`
 *   and `before` in the `Link` header). It answers from `gitRemote`'s reflog, GitHub's record of
 *   every push standing in for it: the remote needs `core.logAllRefUpdates always` (a bare
 *   repository keeps no reflog otherwise), and without one the record is empty.
 * - commit statuses of a ref (newest first, paginated): https://docs.github.com/en/rest/commits/statuses#list-commit-statuses-for-a-reference
 * - workflow run artifacts: https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts
 *   (`{ total_count, artifacts }`, filtered by `name`, paginated; each artifact with `digest` and
 *   `workflow_run`). GitHub's REST API has no endpoint that creates an artifact: only a job of the
 *   workflow run uploads one, with its runtime token. `uploadArtifact` stands for that upload.
 * - attestations: https://docs.github.com/en/rest/repos/attestations#list-attestations (the bundle
 *   inlined, as the 2022-11-28 API version answers)
 * - deployments and their statuses: https://docs.github.com/en/rest/deployments/deployments#create-a-deployment,
 *   https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status (a ref GitHub
 *   does not have is refused with 422 "No ref found for: <ref>")
 * - a pull request: https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request (the fields
 *   `labbook gc` reads: `number`, `state`, and a few that identify it; 404 for one GitHub lacks)
 * - errors: https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 *   (`{ message, documentation_url, status }`); a read-only token gets 403
 *   "Resource not accessible by integration".
 */
type IssueComment = components['schemas']['issue-comment'];
type Status = components['schemas']['status'];
type Page = components['schemas']['page'];
type SimpleUser = components['schemas']['simple-user'];
type WorkflowRun = components['schemas']['workflow-run'];
type MinimalRepository = components['schemas']['minimal-repository'];
type Deployment = components['schemas']['deployment'];
type DeploymentStatus = components['schemas']['deployment-status'];
type Artifact = components['schemas']['artifact'];
type BranchFields = Pick<components['schemas']['branch-with-protection'], 'name' | 'protected' | 'protection_url' | '_links'> & {
  commit: Pick<components['schemas']['commit'], 'sha' | 'url'>;
};
type ComparisonFields = Pick<
  components['schemas']['commit-comparison'],
  'url' | 'html_url' | 'status' | 'ahead_by' | 'behind_by' | 'total_commits'
>;
type ComparisonCommit = Pick<components['schemas']['commit'], 'sha' | 'url' | 'html_url' | 'parents'>;
type Activity = components['schemas']['activity'];
type PullRequestFields = Pick<
  components['schemas']['pull-request'],
  'number' | 'state' | 'title' | 'html_url' | 'url' | 'closed_at' | 'merged'
>;

/** A workflow run as a test describes it; everything else takes a plausible default. */
export interface WorkflowRunSpec {
  id: number;
  headSha: string;
  /** Default `.github/workflows/evaluate.yml`; served as `<path>@<head_branch>`, as GitHub does. */
  path?: string;
  event?: string;
  status?: string;
  conclusion?: string | null;
  /** `owner/name`; default the served repository. */
  repository?: string;
  /** Default the repository; another name for a fork, null for a deleted one. */
  headRepository?: string | null;
  headBranch?: string;
  runAttempt?: number;
  /** How earlier attempts ended, by attempt number (default: success); the latest is `status`/`conclusion`. */
  earlierAttempts?: Record<number, { status?: string; conclusion: string | null }>;
  /** Default ten minutes ago. */
  createdAt?: string;
  runStartedAt?: string;
  /** Default now. */
  updatedAt?: string;
  /** Answer without created_at, run_started_at and updated_at, as some older answers do. */
  withoutTimestamps?: boolean;
}

/** An artifact as a job of a workflow run uploaded it (actions/upload-artifact). */
export interface ArtifactSpec {
  name: string;
  /** `sha256:<hex>`; null as for uploads older than upload-artifact v4. */
  digest: string | null;
  expired?: boolean;
  sizeInBytes?: number;
}

/** What an artifact attestation's provenance says, as actions/attest-build-provenance signs it. */
export interface AttestationSpec {
  repository: string;
  workflowPath: string;
  workflowRunId: number;
  commit: string;
  attempt?: number;
}

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
  /**
   * A git repository standing for the served one: a deployment's ref must exist in it, as on
   * GitHub. Without it any ref is accepted.
   */
  gitRemote?: string;
  /** What GET /repos/{owner}/{repo} says the default branch is (default `master`). */
  defaultBranch?: string;
  /** Pull requests GitHub has, by number; any other number answers 404. */
  pulls?: Record<number, 'open' | 'closed'>;
  /** Requests to paths it matches are taken and never answered, as by a server that hangs. */
  hang?: RegExp;
}

export interface FakeGithub {
  /** The API base URL: set it as GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Comments by issue number, as the server holds them now. */
  comments: Map<number, IssueComment[]>;
  statuses: Map<string, Status[]>;
  deployments: Deployment[];
  deploymentStatuses: Map<number, DeploymentStatus[]>;
  /** Adds a comment as if someone had written it (to fill pages before the action runs). */
  addComment(issue: number, body: string, login?: string): IssueComment;
  /** Registers a workflow run of the served repository (or, with `repository`, one GitHub serves under it regardless). */
  addWorkflowRun(spec: WorkflowRunSpec): WorkflowRun;
  /**
   * Adds a commit status as if made with someone's token: `github-actions[bot]` for a job's
   * GITHUB_TOKEN (the default), or a person's login for a status they made themselves.
   */
  addStatus(
    sha: string,
    status: { context: string; description: string; state?: Status['state']; login?: string; createdAt?: string },
  ): Status;
  addAttestation(digest: string, provenance: AttestationSpec): void;
  /**
   * An artifact uploaded by a job of workflow run `runId` (which must be registered first): what
   * actions/upload-artifact does with that job's runtime token. Nothing else can add one.
   */
  uploadArtifact(runId: number, artifact: ArtifactSpec): Artifact;
  /** Artifacts by workflow run, as the server holds them now. */
  artifacts: Map<number, Artifact[]>;
  close(): Promise<void>;
}

const BOT: SimpleUser = user('github-actions[bot]', 41898282, 'Bot');

function user(login: string, id: number, type: string): SimpleUser {
  return {
    login,
    id,
    node_id: `U_${id}`,
    type,
    site_admin: false,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `https://api.github.com/users/${login}/followers`,
    following_url: `https://api.github.com/users/${login}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
    starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
    organizations_url: `https://api.github.com/users/${login}/orgs`,
    repos_url: `https://api.github.com/users/${login}/repos`,
    events_url: `https://api.github.com/users/${login}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${login}/received_events`,
  };
}

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, IssueComment[]>();
  const statuses = new Map<string, Status[]>();
  const workflowRuns = new Map<number, WorkflowRun>();
  const workflowRunSpecs = new Map<number, WorkflowRunSpec>();
  const attestations = new Map<string, AttestationSpec[]>();
  const artifacts = new Map<number, Artifact[]>();
  const deployments: Deployment[] = [];
  const deploymentStatuses = new Map<number, DeploymentStatus[]>();
  let nextId = 1000;
  const repo = options.repository;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  const makeComment = (issue: number, body: string, author: SimpleUser): IssueComment => {
    const id = nextId++;
    const comment: IssueComment = {
      id,
      node_id: `IC_${id}`,
      url: `https://api.github.com/repos/${repo}/issues/comments/${id}`,
      body,
      html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${id}`,
      user: author,
      created_at: now(),
      updated_at: now(),
      issue_url: `https://api.github.com/repos/${repo}/issues/${issue}`,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
    comments.set(issue, [...(comments.get(issue) ?? []), comment]);
    return comment;
  };

  const makeStatus = (
    sha: string,
    input: { state: string; context?: string; description?: string | null; target_url?: string | null },
    creator: SimpleUser,
    at = now(),
  ): Status => {
    const id = nextId++;
    const status: Status = {
      url: `https://api.github.com/repos/${repo}/statuses/${sha}`,
      avatar_url: creator.avatar_url,
      id,
      node_id: `SC_${id}`,
      state: input.state,
      description: input.description ?? null,
      target_url: input.target_url ?? null,
      context: input.context ?? 'default',
      created_at: at,
      updated_at: at,
      creator,
    };
    statuses.set(sha, [...(statuses.get(sha) ?? []), status]);
    return status;
  };

  /** A ref GitHub would know: with a git remote, one that resolves to a commit there. */
  const resolveRef = (ref: string): string | null => {
    if (!options.gitRemote) return /^[0-9a-f]{40}$/.test(ref) ? ref : '0'.repeat(40);
    try {
      return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
        cwd: options.gitRemote,
        encoding: 'utf8',
      }).trim();
    } catch {
      return null;
    }
  };

  const paginate = <T>(req: IncomingMessage, res: ServerResponse, url: URL, all: T[]): void => {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => `<http://${req.headers.host}${url.pathname}?per_page=${perPage}&page=${p}>`;
    const links: string[] = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    send(res, 200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) =>
      send(res, 500, { message: String(error), documentation_url: 'https://docs.github.com/rest', status: '500' }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
    });
    const method = req.method ?? 'GET';
    const base = `/repos/${repo}`;
    const path = url.pathname;
    if (options.hang?.test(path)) return; // the connection stays open until close()
    if (path === base && method === 'GET')
      return send(res, 200, {
        ...repositoryBody(repo, 1296269),
        default_branch: options.defaultBranch ?? 'master',
      } satisfies MinimalRepository);
    if (!path.startsWith(`${base}/`)) return notFound(res);
    const rest = path.slice(base.length);
    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (isWrite && options.readOnly) {
      return send(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      });
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === 'GET') return paginate(req, res, url, comments.get(issue) ?? []);
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
      if (resolveRef(m[1]!) === null) return unprocessable(res, `No commit found for SHA: ${m[1]}`);
      return send(res, 201, makeStatus(m[1]!, body as { state: string; context?: string; description?: string; target_url?: string }, BOT));
    }
    if ((m = /^\/commits\/([^/]+)\/statuses$/.exec(rest)) && method === 'GET') {
      // Newest first, as GitHub lists them.
      return paginate(req, res, url, [...(statuses.get(decodeURIComponent(m[1]!)) ?? [])].reverse());
    }
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const number = Number(m[1]);
      const state = options.pulls?.[number];
      if (!state) return notFound(res);
      const pull: PullRequestFields = {
        number,
        state,
        title: `Pull request ${number}`,
        url: `http://${req.headers.host}${path}`,
        html_url: `https://github.com/${repo}/pull/${number}`,
        closed_at: state === 'closed' ? now() : null,
        merged: false,
      };
      return send(res, 200, pull);
    }
    if ((m = /^\/actions\/runs\/(\d+)$/.exec(rest)) && method === 'GET') {
      const run = workflowRuns.get(Number(m[1]));
      return run ? send(res, 200, run) : notFound(res);
    }
    if ((m = /^\/actions\/runs\/(\d+)\/attempts\/(\d+)$/.exec(rest)) && method === 'GET') {
      const spec = workflowRunSpecs.get(Number(m[1]));
      const attempt = Number(m[2]);
      const latest = spec?.runAttempt ?? 1;
      if (!spec || attempt < 1 || attempt > latest) return notFound(res);
      if (attempt === latest) return send(res, 200, workflowRuns.get(spec.id));
      const earlier = spec.earlierAttempts?.[attempt] ?? { conclusion: 'success' };
      return send(
        res,
        200,
        workflowRunBody(
          { ...spec, runAttempt: attempt, status: earlier.status ?? 'completed', conclusion: earlier.conclusion },
          repo,
          Date.now(),
        ),
      );
    }
    if ((m = /^\/branches\/(.+)$/.exec(rest)) && method === 'GET') {
      const name = decodeURIComponent(m[1]!);
      const sha = options.gitRemote ? resolveRef(`refs/heads/${name}`) : null;
      if (!sha)
        return send(res, 404, {
          message: 'Branch not found',
          documentation_url: 'https://docs.github.com/rest/branches/branches#get-a-branch',
          status: '404',
        });
      const api = `https://api.github.com/repos/${repo}/branches/${encodeURIComponent(name)}`;
      const branch: BranchFields = {
        name,
        commit: { sha, url: `https://api.github.com/repos/${repo}/commits/${sha}` },
        _links: { html: `https://github.com/${repo}/tree/${name}`, self: api },
        protected: false,
        protection_url: `${api}/protection`,
      };
      return send(res, 200, branch);
    }
    if (rest === '/activity' && method === 'GET') {
      const wanted = url.searchParams.get('ref');
      const ref = wanted === null ? null : wanted.startsWith('refs/') ? wanted : `refs/heads/${wanted}`;
      const all = (options.gitRemote ? pushRecord(options.gitRemote) : []).filter((a) => ref === null || a.ref === ref);
      // Cursors are opaque to clients; here, the index of the first entry of the page.
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const from = Number(url.searchParams.get('after') ?? 0);
      const next = from + perPage < all.length ? from + perPage : null;
      const cursorLink = (cursor: number) =>
        `<http://${req.headers.host}${url.pathname}?${new URLSearchParams({ ...(wanted ? { ref: wanted } : {}), per_page: String(perPage), after: String(cursor) })}>; rel="next"`;
      return send(res, 200, all.slice(from, from + perPage), next === null ? {} : { link: cursorLink(next) });
    }
    if ((m = /^\/compare\/([^/]+?)\.\.\.([^/]+)$/.exec(rest)) && method === 'GET') {
      const [base, head] = [resolveRef(decodeURIComponent(m[1]!)), resolveRef(decodeURIComponent(m[2]!))];
      if (!options.gitRemote || !base || !head) return notFound(res);
      const count = (range: string) =>
        Number(execFileSync('git', ['rev-list', '--count', range], { cwd: options.gitRemote, encoding: 'utf8' }).trim());
      const aheadBy = count(`${base}..${head}`);
      const behindBy = count(`${head}..${base}`);
      // The commits head has and base lacks, oldest first, each with its parents; paginated.
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 250), 250);
      const page = Number(url.searchParams.get('page') ?? 1);
      const lines = execFileSync('git', ['rev-list', '--reverse', '--topo-order', '--parents', `${base}..${head}`], {
        cwd: options.gitRemote,
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
      const commits: ComparisonCommit[] = lines.slice((page - 1) * perPage, page * perPage).map((line) => {
        const [sha, ...parents] = line.split(' ') as [string, ...string[]];
        return {
          sha,
          url: `https://api.github.com/repos/${repo}/commits/${sha}`,
          html_url: `https://github.com/${repo}/commit/${sha}`,
          parents: parents.map((p) => ({
            sha: p,
            url: `https://api.github.com/repos/${repo}/commits/${p}`,
            html_url: `https://github.com/${repo}/commit/${p}`,
          })),
        };
      });
      const comparison: ComparisonFields & { commits: ComparisonCommit[] } = {
        url: `https://api.github.com/repos/${repo}/compare/${m[1]}...${m[2]}`,
        html_url: `https://github.com/${repo}/compare/${m[1]}...${m[2]}`,
        status: aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged',
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        commits,
      };
      return send(res, 200, comparison);
    }
    if ((m = /^\/actions\/runs\/(\d+)\/artifacts$/.exec(rest)) && method === 'GET') {
      const runId = Number(m[1]);
      if (!workflowRuns.has(runId)) return notFound(res);
      const name = url.searchParams.get('name');
      const all = (artifacts.get(runId) ?? []).filter((a) => name === null || a.name === name);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number) =>
        `<http://${req.headers.host}${url.pathname}?per_page=${perPage}&page=${p}${name === null ? '' : `&name=${encodeURIComponent(name)}`}>`;
      const links: Record<string, string> = page < last ? { link: `${link(page + 1)}; rel="next", ${link(last)}; rel="last"` } : {};
      return send(res, 200, { total_count: all.length, artifacts: all.slice((page - 1) * perPage, page * perPage) }, links);
    }
    if ((m = /^\/attestations\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const digest = decodeURIComponent(m[1]!);
      return send(res, 200, { attestations: (attestations.get(digest) ?? []).map((a) => attestationBody(digest, a)) });
    }
    if (rest === '/deployments' && method === 'POST') {
      const input = body as {
        ref: string;
        environment?: string;
        payload?: Record<string, unknown>;
        description?: string;
        transient_environment?: boolean;
        production_environment?: boolean;
      };
      const sha = resolveRef(input.ref);
      if (sha === null) return unprocessable(res, `No ref found for: ${input.ref}`);
      const id = nextId++;
      const environment = input.environment ?? 'production';
      const deployment: Deployment = {
        url: `https://api.github.com/repos/${repo}/deployments/${id}`,
        id,
        node_id: `DE_${id}`,
        sha,
        ref: input.ref,
        task: 'deploy',
        payload: input.payload ?? {},
        original_environment: environment,
        environment,
        description: input.description ?? null,
        creator: BOT,
        created_at: now(),
        updated_at: now(),
        statuses_url: `https://api.github.com/repos/${repo}/deployments/${id}/statuses`,
        repository_url: `https://api.github.com/repos/${repo}`,
        transient_environment: input.transient_environment ?? false,
        production_environment: input.production_environment ?? environment === 'production',
      };
      deployments.push(deployment);
      return send(res, 201, deployment);
    }
    if ((m = /^\/deployments\/(\d+)\/statuses$/.exec(rest)) && method === 'POST') {
      const deployment = deployments.find((d) => d.id === Number(m![1]));
      if (!deployment) return notFound(res);
      const input = body as { state: DeploymentStatus['state']; description?: string; log_url?: string; environment_url?: string };
      const id = nextId++;
      const status: DeploymentStatus = {
        url: `${deployment.url}/statuses/${id}`,
        id,
        node_id: `DES_${id}`,
        state: input.state,
        creator: BOT,
        description: input.description ?? '',
        environment: deployment.environment,
        target_url: input.log_url ?? '',
        log_url: input.log_url ?? '',
        environment_url: input.environment_url ?? '',
        created_at: now(),
        updated_at: now(),
        deployment_url: deployment.url,
        repository_url: deployment.repository_url,
      };
      deploymentStatuses.set(deployment.id as number, [...(deploymentStatuses.get(deployment.id as number) ?? []), status]);
      return send(res, 201, status);
    }
    if (rest === '/pages' && method === 'GET') {
      if (!options.pagesUrl) return notFound(res);
      const page: Page = {
        url: `https://api.github.com/repos/${repo}/pages`,
        status: 'built',
        cname: null,
        custom_404: false,
        html_url: options.pagesUrl,
        build_type: 'workflow',
        source: { branch: 'main', path: '/' },
        public: true,
        https_enforced: true,
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
    deployments,
    deploymentStatuses,
    addComment: (issue, body, login = 'octocat') => makeComment(issue, body, user(login, 583231, 'User')),
    addWorkflowRun: (spec) => {
      const run = workflowRunBody(spec, repo, Date.now());
      workflowRuns.set(spec.id, run);
      workflowRunSpecs.set(spec.id, spec);
      return run;
    },
    addStatus: (sha, status) =>
      makeStatus(
        sha,
        { state: status.state ?? 'success', context: status.context, description: status.description },
        status.login && status.login !== BOT.login ? user(status.login, 7700, 'User') : BOT,
        status.createdAt,
      ),
    addAttestation: (digest, provenance) => {
      attestations.set(digest, [...(attestations.get(digest) ?? []), provenance]);
    },
    artifacts,
    uploadArtifact: (runId, spec) => {
      const run = workflowRuns.get(runId);
      if (!run) throw new Error(`the fake GitHub has no workflow run ${runId} to upload an artifact to`);
      const id = nextId++;
      const api = `https://api.github.com/repos/${repo}/actions/artifacts/${id}`;
      const artifact: Artifact = {
        id,
        node_id: `MDg6QXJ0aWZhY3Q${id}`,
        name: spec.name,
        size_in_bytes: spec.sizeInBytes ?? 1024,
        url: api,
        archive_download_url: `${api}/zip`,
        expired: spec.expired ?? false,
        created_at: now(),
        expires_at: new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        updated_at: now(),
        digest: spec.digest,
        workflow_run: {
          id: runId,
          repository_id: 1296269,
          head_repository_id: 1296269,
          head_branch: run.head_branch ?? undefined,
          head_sha: run.head_sha,
        },
      };
      artifacts.set(runId, [...(artifacts.get(runId) ?? []), artifact]);
      return artifact;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // hanging requests, and clients' idle keep-alive sockets
      }),
  };
}

function repositoryBody(fullName: string, id: number): MinimalRepository {
  const [login, name] = fullName.split('/') as [string, string];
  const api = `https://api.github.com/repos/${fullName}`;
  return {
    id,
    node_id: `R_${id}`,
    name,
    full_name: fullName,
    owner: user(login, id + 1, 'User'),
    private: false,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

function workflowRunBody(spec: WorkflowRunSpec, served: string, nowMs: number): WorkflowRun {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const fullName = spec.repository ?? served;
  const head = spec.headRepository === undefined ? fullName : spec.headRepository;
  const branch = spec.headBranch ?? 'master';
  const api = `https://api.github.com/repos/${fullName}`;
  const attempt = spec.runAttempt ?? 1;
  const body: WorkflowRun = {
    id: spec.id,
    name: 'evaluate',
    node_id: `WFR_${spec.id}`,
    check_suite_id: spec.id * 10,
    check_suite_node_id: `CS_${spec.id}`,
    head_branch: branch,
    head_sha: spec.headSha,
    path: `${spec.path ?? '.github/workflows/evaluate.yml'}@${branch}`,
    run_number: spec.id % 1000,
    run_attempt: attempt,
    referenced_workflows: [],
    event: spec.event ?? 'push',
    status: spec.status ?? 'completed',
    conclusion: spec.conclusion === undefined ? 'success' : spec.conclusion,
    workflow_id: 161335,
    url: `${api}/actions/runs/${spec.id}`,
    html_url: `https://github.com/${fullName}/actions/runs/${spec.id}`,
    pull_requests: [],
    created_at: spec.createdAt ?? iso(nowMs - 600_000),
    updated_at: spec.updatedAt ?? iso(nowMs),
    actor: user('Codertocat', 21031067, 'User'),
    triggering_actor: user('Codertocat', 21031067, 'User'),
    run_started_at: spec.runStartedAt ?? spec.createdAt ?? iso(nowMs - 600_000),
    jobs_url: `${api}/actions/runs/${spec.id}/jobs`,
    logs_url: `${api}/actions/runs/${spec.id}/logs`,
    check_suite_url: `${api}/check-suites/${spec.id * 10}`,
    artifacts_url: `${api}/actions/runs/${spec.id}/artifacts`,
    cancel_url: `${api}/actions/runs/${spec.id}/cancel`,
    rerun_url: `${api}/actions/runs/${spec.id}/rerun`,
    previous_attempt_url: attempt > 1 ? `${api}/actions/runs/${spec.id}/attempts/${attempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/161335`,
    head_commit: {
      id: spec.headSha,
      tree_id: 'd23f6eedb1e1b9610bbc754ddb5197bfe7271223',
      message: 'the agent',
      timestamp: '2026-01-01T00:00:00Z',
      author: { name: 'dev', email: 'dev@example.invalid' },
      committer: { name: 'dev', email: 'dev@example.invalid' },
    },
    repository: repositoryBody(fullName, 1296269),
    // A deleted fork's head repository is null in GitHub's answers, whatever the schema says.
    head_repository: (head === null ? null : repositoryBody(head, head === fullName ? 1296269 : 4242424)) as MinimalRepository,
    display_title: 'the agent',
  };
  if (spec.withoutTimestamps) {
    const partial = body as Partial<WorkflowRun>;
    delete partial.created_at;
    delete partial.updated_at;
    delete partial.run_started_at;
  }
  return body;
}

/** An attestation as the API lists it: a Sigstore bundle whose DSSE payload is SLSA v1 provenance. */
function attestationBody(digest: string, a: AttestationSpec): unknown {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'SHA256SUMS', digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: { ref: 'refs/heads/master', repository: `https://github.com/${a.repository}`, path: a.workflowPath },
        },
        internalParameters: { github: { event_name: 'push', repository_id: '1296269', repository_owner_id: '1' } },
        resolvedDependencies: [{ uri: `git+https://github.com/${a.repository}@refs/heads/master`, digest: { gitCommit: a.commit } }],
      },
      runDetails: {
        builder: { id: `https://github.com/${a.repository}/${a.workflowPath}@refs/heads/master` },
        metadata: { invocationId: `https://github.com/${a.repository}/actions/runs/${a.workflowRunId}/attempts/${a.attempt ?? 1}` },
      },
    },
  };
  return {
    bundle: {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { tlogEntries: [], timestampVerificationData: {}, certificate: { rawBytes: 'MIIB' } },
      dsseEnvelope: {
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [{ sig: 'MEUC', keyid: '' }],
      },
    },
    repository_id: 1296269,
    bundle_url: `https://api.github.com/repos/${a.repository}/attestations/bundles/${digest}`,
  };
}

function unprocessable(res: ServerResponse, message: string): void {
  send(res, 422, { message, documentation_url: 'https://docs.github.com/rest', status: '422' });
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

const NULL_SHA = '0'.repeat(40);

/**
 * The pushes a bare repository's reflog holds, as GitHub's activity record lists them (newest
 * first): a branch's creation and deletion, a push that moved it forward, and a force push.
 */
function pushRecord(gitRemote: string): Activity[] {
  const logs = join(gitRemote, 'logs', 'refs', 'heads');
  if (!existsSync(logs)) return [];
  const entries: Activity[] = [];
  const isAncestor = (older: string, newer: string) => {
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', older, newer], { cwd: gitRemote, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  for (const file of readdirSync(logs, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name);
    const ref = `refs/heads/${relative(logs, path).split(sep).join('/')}`;
    for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
      // <old> <new> <name> <<email>> <seconds> <zone>\t<message>
      const parts = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.*?) <[^>]*> (\d+) [+-]\d{4}/.exec(line);
      if (!parts) continue;
      const [, before, after, name, seconds] = parts as unknown as [string, string, string, string, string];
      const kind =
        before === NULL_SHA
          ? 'branch_creation'
          : after === NULL_SHA
            ? 'branch_deletion'
            : isAncestor(before, after)
              ? 'push'
              : 'force_push';
      const login = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      entries.push({
        id: entries.length + 1,
        node_id: `PSH_${entries.length + 1}`,
        before,
        after,
        ref,
        timestamp: new Date(Number(seconds) * 1000).toISOString().replace('.000', ''),
        activity_type: kind,
        actor: user(login, 1000 + entries.length, 'User'),
      });
    }
  }
  return entries.sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.id - a.id);
}
