import { describe, expect, it } from 'vitest';
import { attestationProvenance, judgeAttestations } from './attestation-provenance.ts';

/** An in-toto statement with SLSA v1 provenance, as actions/attest-build-provenance writes it. */
function bundle(overrides: { repository?: string; path?: string; invocationId?: string; commit?: string } = {}) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'SHA256SUMS', digest: { sha256: 'b'.repeat(64) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository: overrides.repository ?? 'https://github.com/octo/agent',
            path: overrides.path ?? '.github/workflows/evaluate.yml',
          },
        },
        resolvedDependencies: [
          { uri: 'git+https://github.com/octo/agent@refs/heads/main', digest: { gitCommit: overrides.commit ?? 'a'.repeat(40) } },
        ],
      },
      runDetails: { metadata: { invocationId: overrides.invocationId ?? 'https://github.com/octo/agent/actions/runs/123/attempts/2' } },
    },
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64'), payloadType: 'application/vnd.in-toto+json' },
  };
}

const expected = { repository: 'octo/agent', workflowPath: '.github/workflows/evaluate.yml', workflowRunId: '123', commit: 'a'.repeat(40) };

describe('attestationProvenance', () => {
  it('reads repository, workflow, run and commit from the provenance', () => {
    expect(attestationProvenance(bundle())).toEqual(expected);
  });

  it('gives nulls, never a throw, for a bundle it cannot read', () => {
    const unknown = { repository: null, workflowPath: null, workflowRunId: null, commit: null };
    expect(attestationProvenance(undefined)).toEqual(unknown);
    expect(attestationProvenance({ dsseEnvelope: { payload: 'not base64 json' } })).toEqual(unknown);
    expect(attestationProvenance({ dsseEnvelope: { payload: Buffer.from('{"predicate": 3}').toString('base64') } })).toEqual(unknown);
  });
});

describe('judgeAttestations', () => {
  it("accepts an attestation by the evaluation workflow in the run's workflow run", () => {
    expect(judgeAttestations([attestationProvenance(bundle())], expected)).toMatchObject({
      ok: true,
      detail: expect.stringContaining('1 attestation by .github/workflows/evaluate.yml in workflow run 123'),
    });
  });

  it.each([
    ['another repository', { repository: 'https://github.com/a-forker/agent' }],
    ['another workflow', { path: '.github/workflows/scratch.yml' }],
    ['another workflow run', { invocationId: 'https://github.com/octo/agent/actions/runs/999/attempts/1' }],
    ['another commit', { commit: 'c'.repeat(40) }],
  ])('refuses one made by %s', (_label, overrides) => {
    expect(judgeAttestations([attestationProvenance(bundle(overrides))], expected)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('none by .github/workflows/evaluate.yml in workflow run 123'),
    });
  });

  it('says when there is none, or the API is not available', () => {
    expect(judgeAttestations([], expected).detail).toBe("no attestation of the run's SHA256SUMS");
    expect(judgeAttestations(null, expected).detail).toMatch(/not available for this repository/);
  });
});
