import type { DeploymentCheck } from '../../../schemas/deployment.ts';
import type { RunManifest } from '../../../schemas/run-manifest.ts';
import { failedChecks } from '../../../src/deploy/eligibility.ts';
import { TOOL_VERSION } from '../../../src/store/version.ts';

/** How a deploy step ended. */
export type DeployOutcome =
  { kind: 'refused'; failed: DeploymentCheck[] } | { kind: 'deployed'; commandRan: boolean } | { kind: 'failed'; reason: string };

/** What happened to the deployment record on the data branch. */
export type RecordOutcome =
  | { kind: 'pushed'; path: string; branch: string; commit: string }
  | { kind: 'failed'; path: string; branch: string; reason: string }
  | { kind: 'none'; reason: string };

interface DeployReportInput {
  /** The `run` input as given (the run may not exist). */
  runInput: string;
  environment: string;
  checks: DeploymentCheck[];
  manifest: RunManifest | null;
  outcome: DeployOutcome;
  deployment: { id: number } | null;
  record: RecordOutcome;
  /** The stored config handed to later steps, when the run was deployed. */
  configPath: string | null;
  /** `https://github.com/owner/repo`. */
  repositoryUrl: string;
}

interface DeploySummaryView {
  title: string;
  verdict: { icon: string; text: string };
  checks: { icon: string; name: string; result: string; detail: string }[];
  /** "Lineage", or "Lineage the run claims" when the checks did not prove it. */
  lineageTitle: string;
  /** Commit → CI job → run → deployment, each with a link when there is one. */
  lineage: { step: string; text: string; link: string | null }[];
  handedOn: { commit: string; configPath: string } | null;
  record: { icon: string; text: string };
  tool: string;
}

const RESULT = {
  pass: { icon: '✅', result: 'pass' },
  fail: { icon: '❌', result: 'FAIL' },
  skipped: { icon: '⏭️', result: 'skipped' },
} as const;

/** Everything the deploy job summary shows, as finished plain strings (the template escapes them). */
export function buildDeployReport(input: DeployReportInput): DeploySummaryView {
  const { manifest, outcome } = input;
  const runLabel = manifest ? `${manifest.experiment}/${manifest.id}` : input.runInput;
  return {
    title: `Deploy ${runLabel} to ${input.environment}`,
    verdict: verdict(outcome),
    checks: input.checks.map((c) => ({
      ...(c.ok ? RESULT.pass : c.skipped ? RESULT.skipped : RESULT.fail),
      name: c.name,
      detail: c.detail,
    })),
    lineageTitle: input.checks.every((c) => c.ok) ? 'Lineage' : 'Lineage the run claims',
    lineage: lineage(input),
    handedOn:
      outcome.kind === 'deployed' && manifest?.code.commit && input.configPath
        ? { commit: manifest.code.commit, configPath: input.configPath }
        : null,
    record: recordLine(input.record),
    tool: `Labbook ${TOOL_VERSION}`,
  };
}

function verdict(outcome: DeployOutcome): DeploySummaryView['verdict'] {
  switch (outcome.kind) {
    case 'refused':
      return { icon: '⛔', text: `Refused (failed: ${outcome.failed.map((c) => c.name).join(', ')}). Nothing was deployed.` };
    case 'deployed':
      return {
        icon: '🚀',
        text: outcome.commandRan
          ? 'Deployed: every check passed and the deploy command succeeded.'
          : 'Released: every check passed; the commit and config are handed to the next steps.',
      };
    case 'failed':
      return { icon: '❌', text: `Every check passed, but the deployment failed: ${outcome.reason}` };
  }
}

function lineage(input: DeployReportInput): DeploySummaryView['lineage'] {
  const { manifest, repositoryUrl } = input;
  if (!manifest) return [];
  const source = manifest.source;
  const commit = manifest.code.commit;
  return [
    { step: 'Commit', text: commit ? commit.slice(0, 12) : 'none recorded', link: commit ? `${repositoryUrl}/commit/${commit}` : null },
    source.kind === 'ci'
      ? {
          step: 'CI job',
          text: `${source.workflow || 'workflow'} run ${source.workflowRunId} (attempt ${source.workflowRunAttempt}), job ${source.job}`,
          link: safeLink(source.runUrl),
        }
      : { step: 'CI job', text: `none: made on ${source.host} by ${source.user}`, link: null },
    { step: 'Run', text: `${manifest.experiment}/${manifest.id} (${manifest.status})`, link: null },
    {
      step: 'Deployment',
      text: input.deployment ? `#${input.deployment.id} to ${input.environment}` : `none to ${input.environment}`,
      link: input.deployment ? `${repositoryUrl}/deployments/${encodeURIComponent(input.environment)}` : null,
    },
  ];
}

/** run.json is the run's own claim: only a plain https URL becomes a link. */
function safeLink(url: string): string | null {
  return /^https:\/\/[^\s()<>"'`]+$/.test(url) ? url : null;
}

function recordLine(record: RecordOutcome): DeploySummaryView['record'] {
  switch (record.kind) {
    case 'pushed':
      return { icon: '📝', text: `recorded in ${record.path} on ${record.branch} (${record.commit.slice(0, 7)})` };
    case 'failed':
      return { icon: '⚠️', text: `the record ${record.path} could not be pushed to ${record.branch}: ${record.reason}` };
    case 'none':
      return { icon: 'ℹ️', text: `not recorded: ${record.reason}` };
  }
}

/** The one-line reason a refusal gives: each failed check by name, with its detail. */
export function refusalReason(checks: DeploymentCheck[]): string {
  const failed = failedChecks(checks);
  return `failed check${failed.length === 1 ? '' : 's'}: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`;
}
