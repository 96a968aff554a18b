import type { Octokit } from '../octokit.ts';

interface DeploymentRequest {
  owner: string;
  repo: string;
  /** The commit deployed: the run's code commit (or, for a refusal, a commit GitHub surely has). */
  ref: string;
  environment: string;
  payload: Record<string, string>;
  description: string;
}

type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_MAX = 140;

/**
 * Creates a GitHub Deployment of one commit to one environment. `auto_merge: false` (deploy
 * exactly this commit, never a merge of it) and `required_contexts: []` (the checks that matter
 * are Labbook's own, already passed; the commit's other statuses are not a condition).
 */
export async function createDeployment(octokit: Octokit, request: DeploymentRequest): Promise<{ id: number; url: string }> {
  const response = await octokit.rest.repos.createDeployment({
    owner: request.owner,
    repo: request.repo,
    ref: request.ref,
    environment: request.environment,
    payload: request.payload,
    description: clip(request.description),
    auto_merge: false,
    required_contexts: [],
    transient_environment: false,
  });
  if (response.status !== 201 || !('id' in response.data)) {
    throw new Error(
      `GitHub did not create the deployment: ${'message' in response.data ? response.data.message : `status ${response.status}`}`,
    );
  }
  return { id: response.data.id, url: response.data.url };
}

export async function setDeploymentStatus(
  octokit: Octokit,
  target: { owner: string; repo: string; deploymentId: number },
  status: { state: DeploymentState; description: string; logUrl: string },
): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: target.owner,
    repo: target.repo,
    deployment_id: target.deploymentId,
    state: status.state,
    description: clip(status.description),
    log_url: status.logUrl,
  });
}

function clip(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}
