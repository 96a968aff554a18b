import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { FakeGithub } from './fake-github.ts';

/**
 * What the evaluation workflow's step after the action does with its `evidence-path` output:
 * `actions/upload-artifact@v7` with `archive: false` uploads the one file unzipped, as an
 * artifact named after the file, and GitHub records the sha256 of the uploaded bytes as the
 * artifact's `digest`. It runs with the job's runtime token, so the artifact belongs to the
 * workflow run the job is part of (`workflowRunId`), and to no other.
 */
export function uploadArtifactStep(api: FakeGithub, workflowRunId: number, path: string): void {
  const bytes = readFileSync(path);
  api.uploadArtifact(workflowRunId, {
    name: basename(path),
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    sizeInBytes: bytes.length,
  });
}
