import type { Deployment, DeploymentCheck } from '../../schemas/deployment.ts';
import type { RunHandle } from '../store/handles.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { CHECK, checkEligibility, failedChecks, type Eligibility } from './eligibility.ts';

/**
 * What the site shows about deployments, as finished values: badges on runs, a history per
 * environment, the lineage of a deployment, and the run page's eligibility with the command
 * that deploys it. Everything here is pure but `offlineEligibilityOf`, which reads the run.
 */

/** Where the repository lives, for links; null when the site does not know it. */
export interface RepositoryLinks {
  /** `https://github.com`. */
  serverUrl: string;
  /** `owner/repo`. */
  repository: string;
}

/** The deploy workflow's file name, as `gh workflow run` takes it. */
const DEPLOY_WORKFLOW_FILE = 'deploy.yml';

/**
 * A run's standing in one environment: `live` when its deployment is the environment's latest
 * successful one, `superseded` when it was deployed and another has been since, `failed` when
 * every attempt to deploy it there failed (or was refused).
 */
type DeploymentState = 'live' | 'superseded' | 'failed';

export interface DeploymentBadge {
  environment: string;
  state: DeploymentState;
  /** `live in production`, `was in production`, `failed for production`. */
  text: string;
  /** When this run's latest attempt in the environment was made. */
  at: string;
  /** Attempts to deploy this run there. */
  attempts: number;
}

export interface DeploymentHistoryEntry {
  id: string;
  run: string;
  commit: string;
  shortCommit: string;
  commitUrl: string | null;
  outcome: 'success' | 'failure';
  /** `deployed`, or `refused: …` / `failed: …`. */
  outcomeText: string;
  actor: string;
  at: string;
  workflowRunUrl: string | null;
  /** The environment's deployments page on GitHub. */
  environmentUrl: string | null;
  /** This entry is the environment's live deployment. */
  live: boolean;
}

interface EnvironmentHistory {
  environment: string;
  /** The latest successful deployment, when there is one. */
  live: DeploymentHistoryEntry | null;
  /** Newest first. */
  entries: DeploymentHistoryEntry[];
}

export interface LineageStep {
  kind: 'commit' | 'ci-job' | 'run' | 'deployment';
  label: string;
  detail: string;
  url: string | null;
}

export interface RunDeployView {
  /**
   * Whether no check that needs no GitHub API refuses the run. It is not eligibility: a run's
   * claim to come from CI is verified only by the deploy workflow (`badge` says so).
   */
  eligibleOffline: boolean;
  /** `CI claimed, verified at deploy` or `not eligible`. */
  badge: string;
  /** The checks the site can make, with the CI claim marked as not verifiable offline (the GitHub checks are left out: `note` names them). */
  checks: DeploymentCheck[];
  /** What the offline checks cannot tell, in words. */
  note: string;
  /** The exact command, one per environment. */
  commands: { environment: string; command: string }[];
  /** The deploy workflow's page, where "Run workflow" starts it; null when the repository is unknown. */
  workflowUrl: string | null;
}

/** Newest first: by time, then by id (ids start with the time, and break ties within a second). */
function newestFirst(a: Deployment, b: Deployment): number {
  return b.at.localeCompare(a.at) || b.id.localeCompare(a.id);
}

/** The latest successful deployment of each environment, by environment. */
function liveByEnvironment(deployments: readonly Deployment[]): Map<string, Deployment> {
  const live = new Map<string, Deployment>();
  for (const d of [...deployments].sort(newestFirst)) {
    if (d.outcome === 'success' && !live.has(d.environment)) live.set(d.environment, d);
  }
  return live;
}

/**
 * Every run's badges, one per environment it was ever tried in, environments in name order:
 * for the runs table and the run page. `deployments` are all of one experiment's records.
 */
export function deploymentBadgesByRun(deployments: readonly Deployment[]): Map<string, DeploymentBadge[]> {
  const live = liveByEnvironment(deployments);
  const groups = new Map<string, Deployment[]>();
  for (const d of deployments) {
    const key = `${d.run}\u0000${d.environment}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const byRun = new Map<string, DeploymentBadge[]>();
  for (const attempts of groups.values()) {
    const sorted = [...attempts].sort(newestFirst);
    const { run, environment } = sorted[0]!;
    const state: DeploymentState =
      live.get(environment)?.run === run ? 'live' : sorted.some((d) => d.outcome === 'success') ? 'superseded' : 'failed';
    const text =
      state === 'live' ? `live in ${environment}` : state === 'superseded' ? `was in ${environment}` : `failed for ${environment}`;
    byRun.set(run, [...(byRun.get(run) ?? []), { environment, state, text, at: sorted[0]!.at, attempts: sorted.length }]);
  }
  for (const badges of byRun.values()) badges.sort((a, b) => a.environment.localeCompare(b.environment));
  return byRun;
}

/** The history of each environment, newest first, environments in name order: the experiment's deployments page. */
export function deploymentHistory(deployments: readonly Deployment[], links: RepositoryLinks | null): EnvironmentHistory[] {
  const live = liveByEnvironment(deployments);
  const environments = [...new Set(deployments.map((d) => d.environment))].sort();
  return environments.map((environment) => {
    const entries = deployments
      .filter((d) => d.environment === environment)
      .sort(newestFirst)
      .map((d) => historyEntry(d, links, live.get(environment)?.id === d.id));
    return { environment, live: entries.find((e) => e.live) ?? null, entries };
  });
}

function historyEntry(d: Deployment, links: RepositoryLinks | null, live: boolean): DeploymentHistoryEntry {
  const refused = d.checks.some((c) => !c.ok);
  return {
    id: d.id,
    run: d.run,
    commit: d.commit,
    shortCommit: d.commit ? d.commit.slice(0, 7) : 'none',
    commitUrl: commitUrl(links, d.commit),
    outcome: d.outcome,
    outcomeText: d.outcome === 'success' ? 'deployed' : `${refused ? 'refused' : 'failed'}${d.reason ? `: ${d.reason}` : ''}`,
    actor: d.actor,
    at: d.at,
    workflowRunUrl: safeUrl(d.workflowRunUrl),
    environmentUrl: links ? `${repositoryUrl(links)}/deployments/${encodeURIComponent(d.environment)}` : null,
    live,
  };
}

/**
 * Commit → CI job → run → deployment, each with its URL when known. `run` is the deployed run's
 * manifest (null when the site no longer has it); `runUrl` is the site's own page for it.
 */
export function deploymentLineage(
  deployment: Deployment,
  run: RunManifest | null,
  links: RepositoryLinks | null,
  runUrl: string | null = null,
): LineageStep[] {
  const source = run?.source;
  return [
    {
      kind: 'commit',
      label: 'Commit',
      detail: deployment.commit ? deployment.commit.slice(0, 12) : 'none recorded',
      url: commitUrl(links, deployment.commit),
    },
    source?.kind === 'ci'
      ? {
          kind: 'ci-job',
          label: 'CI job',
          detail: `${source.workflow || 'workflow'} run ${source.workflowRunId} (attempt ${source.workflowRunAttempt}), job ${source.job}`,
          url: safeUrl(source.runUrl),
        }
      : {
          kind: 'ci-job',
          label: 'CI job',
          detail: source ? `none: made on ${source.host} by ${source.user}` : 'unknown: the run is not in the data',
          url: null,
        },
    { kind: 'run', label: 'Run', detail: `${deployment.experiment}/${deployment.run}`, url: runUrl },
    {
      kind: 'deployment',
      label: 'Deployment',
      detail: `${deployment.outcome === 'success' ? 'deployed to' : 'failed for'} ${deployment.environment} by ${deployment.actor} at ${deployment.at}`,
      url: safeUrl(deployment.workflowRunUrl),
    },
  ];
}

/** The checks a run's page shows: those made without GitHub's API, and the CI claim. */
const OFFLINE_CHECKS = [CHECK.exists, CHECK.completed, CHECK.ci, CHECK.sums] as const;

/** The checks that need no GitHub API, for a run's page (no network, no token), of a run whose handle the caller holds. */
export function offlineEligibilityOf(run: RunHandle): Promise<Eligibility> {
  return checkEligibility({ run });
}

/**
 * The run page's deploy panel: the offline checks, and the exact `gh workflow run` command for
 * each environment (those the experiment has deployed to; `production` when there are none).
 */
export function runDeployView(
  eligibility: Pick<Eligibility, 'eligible' | 'checks'>,
  options: { runId: string; environments?: readonly string[]; links: RepositoryLinks | null },
): RunDeployView {
  const environments = options.environments && options.environments.length > 0 ? [...new Set(options.environments)].sort() : ['production'];
  return {
    // Offline no run is eligible (its CI origin needs GitHub's records); what the page can say
    // is whether a check it can make already refuses it.
    eligibleOffline: failedChecks(eligibility.checks).length === 0,
    badge: failedChecks(eligibility.checks).length === 0 ? 'CI claimed, verified at deploy' : 'not eligible',
    checks: eligibility.checks.filter((c) => (OFFLINE_CHECKS as readonly string[]).includes(c.name)),
    note:
      failedChecks(eligibility.checks).length === 0
        ? "These checks need no GitHub API. The run claims to come from CI (source: ci), which is not verifiable offline: the deploy workflow checks that the workflow run exists in this repository, is not from a fork, ran the evaluation workflow on an allowed event and branch and succeeded, built the run's commit, and uploaded an artifact holding the run's digest."
        : 'This run cannot be deployed: the deploy workflow would refuse it.',
    commands: environments.map((environment) => ({ environment, command: deployCommand(options.runId, environment) })),
    workflowUrl: options.links ? `${repositoryUrl(options.links)}/actions/workflows/${DEPLOY_WORKFLOW_FILE}` : null,
  };
}

/** `gh workflow run deploy.yml -f run=<id> -f environment=<env>`: ids and environment names need no quoting (NAME_PATTERN). */
function deployCommand(runId: string, environment: string): string {
  return `gh workflow run ${DEPLOY_WORKFLOW_FILE} -f run=${runId} -f environment=${environment}`;
}

function repositoryUrl(links: RepositoryLinks): string {
  return `${links.serverUrl.replace(/\/+$/, '')}/${links.repository}`;
}

function commitUrl(links: RepositoryLinks | null, commit: string): string | null {
  return links && /^[0-9a-f]{7,64}$/.test(commit) ? `${repositoryUrl(links)}/commit/${commit}` : null;
}

/** Records and run.json are data: only a plain http(s) URL becomes a link. */
function safeUrl(url: string | undefined): string | null {
  return url && /^https?:\/\/[^\s"'<>`]+$/.test(url) ? url : null;
}
