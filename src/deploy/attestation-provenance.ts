import type { AttestationFacts } from './github-evidence.ts';

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
