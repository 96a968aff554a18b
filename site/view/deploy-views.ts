import type { Deployment } from '#schemas/deployment.ts';
import {
  type DeploymentBadge,
  type DeploymentHistoryEntry,
  deploymentBadgesByRun,
  deploymentHistory,
  deploymentLineage,
  type LineageStep,
  type RunDeployView,
  runDeployView,
} from '#lib/deploy/deployment-view.ts';
import { formatDate } from './format.ts';
import type { SiteExperiment, SiteRun } from './site-source.ts';
import { type RepoRef, runRepo } from './repo-links.ts';
import { paths } from './site-paths.ts';

/** A step of a deployment's lineage; `internal` links are site-relative (the page adds the base path). */
export interface LineageView extends LineageStep {
  internal: boolean;
}

export interface DeploymentRowView extends DeploymentHistoryEntry {
  environment: string;
  runName: string;
  /** Site-relative link to the run's page, when the site has the run. */
  runHref: string | null;
  when: string;
  lineage: LineageView[];
}

export interface EnvironmentView {
  environment: string;
  live: DeploymentRowView | null;
  /** Newest first. */
  entries: DeploymentRowView[];
}

/** A run's badge kind per deployment state (CSS classes of the same name). */
const BADGE_KIND = { live: 'deploy-live', superseded: 'deploy-superseded', failed: 'deploy-failed' } as const;

export interface DeployBadge {
  kind: (typeof BADGE_KIND)[keyof typeof BADGE_KIND];
  text: string;
  title: string;
  href: null;
}

function deployBadges(badges: readonly DeploymentBadge[]): DeployBadge[] {
  return badges.map((b) => ({
    kind: BADGE_KIND[b.state],
    text: b.text,
    title: `${b.attempts} attempt${b.attempts === 1 ? '' : 's'} to deploy to ${b.environment}; latest ${formatDate(b.at)}`,
    href: null,
  }));
}

/** Deployment badges of every run of an experiment, by run id. */
export function experimentDeployBadges(experiment: SiteExperiment): Map<string, DeployBadge[]> {
  return new Map([...deploymentBadgesByRun(experiment.deployments)].map(([run, badges]) => [run, deployBadges(badges)]));
}

/**
 * The repository deployments link to: the site's, else that of the experiment's newest CI run
 * (deployments are made by a workflow of the repository whose CI made the runs).
 */
function experimentRepo(experiment: SiteExperiment, siteRepo: RepoRef | null): RepoRef | null {
  if (siteRepo) return siteRepo;
  for (const run of [...experiment.runs].reverse()) {
    if (run.manifest.source.kind === 'ci') return runRepo(run.manifest, null);
  }
  return null;
}

function lineageOf(deployment: Deployment, experiment: SiteExperiment, links: RepoRef | null): LineageView[] {
  const run = experiment.runs.find((r) => r.manifest.id === deployment.run) ?? null;
  const runHref = run ? paths.run(experiment.name, deployment.run) : null;
  return deploymentLineage(deployment, run?.manifest ?? null, links, runHref).map((step) => ({
    ...step,
    internal: step.kind === 'run' && step.url !== null,
  }));
}

/** Each environment's deployments, newest first, with the lineage commit → CI job → run → deployment. */
export function environmentViews(experiment: SiteExperiment, siteRepo: RepoRef | null): EnvironmentView[] {
  const links = experimentRepo(experiment, siteRepo);
  const byId = new Map(experiment.deployments.map((d) => [d.id, d]));
  return deploymentHistory(experiment.deployments, links).map((history) => {
    const entries = history.entries.map((entry): DeploymentRowView => {
      const run = experiment.runs.find((r) => r.manifest.id === entry.run);
      return {
        ...entry,
        environment: history.environment,
        runName: run?.manifest.name ?? entry.run,
        runHref: run ? paths.run(experiment.name, entry.run) : null,
        when: formatDate(entry.at),
        lineage: lineageOf(byId.get(entry.id)!, experiment, links),
      };
    });
    return { environment: history.environment, live: entries.find((e) => e.live) ?? null, entries };
  });
}

export interface RunDeploySection extends RunDeployView {
  /** This run's own deployment attempts, newest first, across environments. */
  deployments: DeploymentRowView[];
}

/**
 * The run page's deploy section: the checks that need no GitHub API, the exact `gh workflow
 * run` command for each environment the experiment deploys to, the workflow's link when the
 * repository is known, and where this run has been deployed.
 */
export function runDeploySection(experiment: SiteExperiment, run: SiteRun, siteRepo: RepoRef | null): RunDeploySection {
  const environments = [...new Set(experiment.deployments.map((d) => d.environment))];
  const view = runDeployView(run.eligibility, { runId: run.manifest.id, environments, links: runRepo(run.manifest, siteRepo) });
  const deployments = environmentViews(experiment, siteRepo)
    .flatMap((e) => e.entries)
    .filter((e) => e.run === run.manifest.id)
    .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  return { ...view, deployments };
}
