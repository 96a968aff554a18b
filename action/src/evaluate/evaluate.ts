import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { CiSource } from '../../../schemas/run-manifest.ts';
import { noTracesHint } from '../../../src/runner/no-traces-hint.ts';
import { describeFinishProblems } from '../../../src/store/finish-problems.ts';
import { dataBranchName, openDataCheckout } from '../data-checkout.ts';
import type { GithubContext } from '../github-context.ts';
import type { EvaluateInputs } from '../inputs.ts';
import { publishRun, type ModeResult, type Services } from '../publish-run.ts';
import { RunNotPublishedError } from '../run-not-published-error.ts';
import { produceRun } from './produce-run.ts';
import { TracesFileError } from './traces-file-error.ts';
import { FileFormatError } from '../../../src/errors/file-format-error.ts';
import { relative } from 'node:path';

/**
 * Evaluate mode: make the run (run the command, or ingest a traces file), then publish it. The
 * data branch is checked out only after the command ends, so the push starts from a fresh tip.
 */
export async function evaluate(inputs: EvaluateInputs, context: GithubContext, source: CiSource, services: Services): Promise<ModeResult> {
  const branch = dataBranchName(context, inputs.dataBranch);
  const dataDir = resolve(context.workspace, inputs.dataPath);
  let produced;
  try {
    produced = await core.group(
      inputs.work.kind === 'command' ? `Running: ${firstLine(inputs.work.command)}` : `Ingesting ${inputs.work.file}`,
      () =>
        produceRun({
          inputs,
          context,
          source,
          env: process.env,
          onStdout: (chunk) => process.stdout.write(chunk),
          onStderr: (chunk) => process.stderr.write(chunk),
        }),
    );
  } catch (error) {
    if (error instanceof TracesFileError) {
      for (const e of error.errors) core.error(e.detail, { file: e.location.file, startLine: e.location.line, title: 'invalid trace' });
    }
    // A dataset line that is not JSON: annotated where it is, so a pull request shows it on the line.
    if (error instanceof FileFormatError && error.location.line !== undefined)
      core.error(error.detail, {
        file: relative(context.workspace, error.location.file),
        startLine: error.location.line,
        ...(error.location.column !== undefined ? { startColumn: error.location.column } : {}),
        title: 'invalid file',
      });
    throw error;
  }
  const { finished } = produced;
  const problems = describeFinishProblems(finished);
  for (const problem of problems) core.warning(problem);
  if (finished.manifest.counts.traces === 0 && finished.errors.length === 0 && inputs.work.kind === 'command')
    if (produced.emptyShard) core.notice(produced.emptyShard);
    else core.warning(noTracesHint(inputs.otlp ? undefined : 'otlp: false'));
  core.info(`run ${finished.manifest.id} ${finished.manifest.status}: ${finished.manifest.counts.traces} traces`);

  let data;
  try {
    data = await openDataCheckout(context, branch, inputs.token);
  } catch (error) {
    throw new RunNotPublishedError(finished.manifest.id, produced.dir, finished.manifest.status, error);
  }
  try {
    return await publishRun({
      mode: 'evaluate',
      inputs,
      context,
      services,
      data,
      dataDir,
      run: { dir: produced.dir, manifest: finished.manifest, metrics: finished.metrics, problems },
    });
  } catch (error) {
    throw new RunNotPublishedError(finished.manifest.id, produced.dir, finished.manifest.status, error);
  } finally {
    await data.dispose();
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
