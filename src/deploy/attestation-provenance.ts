import type { AttestationFacts } from './github-evidence.ts';
import { countNoun } from '../text/count-noun.ts';

const UNKNOWN: AttestationFacts = { repository: null, workflowPath: null, workflowRunId: null, commit: null };

/**
 * Reads where an attestation says it was made from the SLSA v1 provenance in its Sigstore
 * bundle (`dsseEnvelope.payload`, base64 of an in-toto statement), as
 * `actions/attest-build-provenance` writes it:
 * `predicate.buildDefinition.externalParameters.workflow.{repository, path}`,
 * `resolvedDependencies[0].digest.gitCommit` and `runDetails.metadata.invocationId`
 * (`…/actions/runs/<id>/attempts/<n>`).
 *
 * This reads the statement; it does not verify the bundle's signature or certificate (that is
 * `gh attestation verify --signer-workflow`'s job). Anything unreadable gives nulls, never a throw.
 */
export function attestationProvenance(bundle: unknown): AttestationFacts {
  try {
    const envelope = (bundle as { dsseEnvelope?: { payload?: unknown } } | null)?.dsseEnvelope;
    if (!envelope || typeof envelope.payload !== 'string') return UNKNOWN;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as SlsaStatement | null;
    const predicate = statement?.predicate ?? {};
    const workflow = predicate.buildDefinition?.externalParameters?.workflow ?? {};
    const invocation = String(predicate.runDetails?.metadata?.invocationId ?? '');
    const commit = predicate.buildDefinition?.resolvedDependencies?.[0]?.digest?.gitCommit;
    return {
      repository: typeof workflow.repository === 'string' ? repositoryName(workflow.repository) : null,
      workflowPath: typeof workflow.path === 'string' ? workflow.path : null,
      workflowRunId: /\/actions\/runs\/(\d+)(?:\/|$)/.exec(invocation)?.[1] ?? null,
      commit: typeof commit === 'string' ? commit : null,
    };
  } catch {
    return UNKNOWN;
  }
}

/** The parts of an SLSA provenance statement read here; every level may be missing. */
interface SlsaStatement {
  predicate?: {
    buildDefinition?: {
      externalParameters?: { workflow?: { repository?: unknown; path?: unknown } };
      resolvedDependencies?: Array<{ digest?: { gitCommit?: unknown } } | undefined>;
    };
    runDetails?: { metadata?: { invocationId?: unknown } };
  };
}

/** `https://github.com/owner/repo` → `owner/repo`. */
function repositoryName(url: string): string {
  return url
    .replace(/^[a-z]+:\/\/[^/]+\//i, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/**
 * An attestation of the content digest whose provenance names this repository, the evaluation
 * workflow, the run's workflow run and its commit. `null` attestations: the API is not available.
 */
export function judgeAttestations(
  attestations: AttestationFacts[] | null,
  expected: { repository: string; workflowPath: string; workflowRunId: string; commit: string },
): { ok: boolean; detail: string } {
  if (attestations === null)
    return {
      ok: false,
      detail:
        'attestations are not available for this repository (they need a public repository or GitHub Enterprise Cloud, and attestations: read)',
    };
  if (attestations.length === 0) return { ok: false, detail: "no attestation of the run's SHA256SUMS" };
  const matching = attestations.filter(
    (a) =>
      a.repository === expected.repository &&
      a.workflowPath === expected.workflowPath &&
      a.workflowRunId === expected.workflowRunId &&
      a.commit === expected.commit,
  );
  if (matching.length > 0)
    return {
      ok: true,
      detail: `${countNoun(matching.length, 'attestation')} by ${expected.workflowPath} in workflow run ${expected.workflowRunId} (signature not verified here: gh attestation verify)`,
    };
  const seen = attestations
    .map((a) =>
      a.workflowPath ? `${a.repository}/${a.workflowPath} run ${a.workflowRunId} at ${a.commit?.slice(0, 7)}` : 'unreadable bundle',
    )
    .join('; ');
  return {
    ok: false,
    detail: `${countNoun(attestations.length, 'attestation')}, none by ${expected.workflowPath} in workflow run ${expected.workflowRunId} at ${expected.commit.slice(0, 7)}: ${seen}`,
  };
}
