/**
 * `npm run demo`: what a team sees once Labbook runs in their repository, made in one command
 * in a folder of its own (default .demo/, ignored by git, emptied each time):
 *
 * 1. three configs of the example agent evaluated in simulated CI jobs: the action's bundle run
 *    as the runner runs it, pushing runs to the data branch of a local bare remote, with the
 *    recorded GitHub API standing in for GitHub (see simulated-github.ts); runs say `simulated`;
 * 2. the baseline, then the best config, deployed to production by the action's deploy mode, which
 *    checks each run's lineage with that API and records the deployment on the data branch;
 * 3. two reviewers' annotations, merged into the data branch;
 * 4. one run made on a laptop with `labbook run`, next to the CI runs;
 * 5. validate, compare, and the site built with the repository's GitHub links, then served.
 */
import { join, resolve } from 'node:path';
import { resetDemoFolder } from './demo-folder.ts';
import { labbook, preview } from './labbook-cli.ts';
import { parseDemoOptions } from './options.ts';
import { reviewRuns } from './reviewers.ts';
import { DATA_BRANCH, REPOSITORY, runSimulatedJob, startSimulatedGithub } from './simulated-github.ts';
import { git } from '../../test/action/harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIGS = ['baseline', 'rag-deep', 'tool-first'] as const;
/** Deployed to production in turn, so the environment has a history: the baseline, then the best config. */
const DEPLOYS = ['baseline', 'tool-first'] as const;
const FIRST_WORKFLOW_RUN = 7001;

const started = Date.now();
const options = parseDemoOptions(process.argv.slice(2), ROOT);
resetDemoFolder(options.dir);
const github = await startSimulatedGithub(options.dir, ROOT);
const evaluateCommand = `"${process.execPath}" "${join(ROOT, 'bin', 'tsx.js')}" "${join(ROOT, 'examples', 'evaluate.ts')}"`;

try {
  console.log(
    `Simulated GitHub: ${REPOSITORY} as a bare repository (${github.repo.remote}), its REST API recorded from GitHub's at ${github.api.url}`,
  );
  const ci: Record<string, { runId: string; workflowRunId: number }> = {};
  for (const [index, config] of CONFIGS.entries()) {
    const workflowRunId = FIRST_WORKFLOW_RUN + index;
    console.log(`\n▶ simulated CI: evaluate.yml run ${workflowRunId} (push to master), the action with config configs/${config}.yaml`);
    const result = await runSimulatedJob(github, {
      workflowRunId,
      inputs: {
        experiment: 'demo',
        config: `configs/${config}.yaml`,
        dataset: 'data/dataset.jsonl',
        command: evaluateCommand,
        baseline: index === 0 ? '' : ci.baseline!.runId,
      },
    });
    ci[config] = { runId: result.outputs['run-id']!, workflowRunId };
    console.log(
      `  run ${result.outputs['run-id']} ${result.outputs.status}, pushed to ${DATA_BRANCH} (${result.outputs['data-commit']?.slice(0, 12)})`,
    );
  }

  for (const [index, config] of DEPLOYS.entries()) {
    const { runId } = ci[config]!;
    console.log(`\n▶ simulated CI: deploy.yml (workflow_dispatch) deploys run ${runId} to production`);
    const deploy = await runSimulatedJob(github, {
      workflowRunId: FIRST_WORKFLOW_RUN + 100 + index,
      event: 'workflow_dispatch',
      job: 'deploy',
      inputs: {
        mode: 'deploy',
        run: runId,
        environment: 'production',
        'deploy-command': 'echo "rolling out $LABBOOK_RUN_ID at $LABBOOK_COMMIT"',
      },
    });
    console.log(
      `  eligible: ${deploy.outputs.eligible}; GitHub deployment #${deploy.outputs['deployment-id']}; recorded in ${deploy.outputs['record-path']}`,
    );
  }

  // The data branch, checked out as the pages workflow does.
  const data = join(options.dir, 'data');
  git(options.dir, 'clone', '-q', '--branch', DATA_BRANCH, github.repo.remote, data);
  const dataDir = join(data, 'experiments');

  console.log('\n▶ two reviewers annotate traces (labbook annotate), merged into the data branch as a pull request would be');
  const commands = await reviewRuns(dataDir, [ci.baseline!.runId, ci['tool-first']!.runId], 6);
  console.log(`  ${commands.length} annotations, e.g.\n  $ ${commands[0]}`);
  git(data, 'add', 'experiments');
  git(
    data,
    '-c',
    'user.name=Ada Reviewer',
    '-c',
    'user.email=ada@example.invalid',
    'commit',
    '-q',
    '-m',
    'Annotations by Ada Reviewer and Ben Checker',
  );
  git(data, 'push', '-q', 'origin', DATA_BRANCH);

  console.log('\n▶ a run made on a laptop, next to the CI runs');
  labbook(ROOT, github.repo.workspace, [
    'run',
    '--data',
    dataDir,
    '--experiment',
    'demo',
    '--config',
    'configs/tool-first.yaml',
    '--dataset',
    'data/dataset.jsonl',
    '--name',
    'tool-first (laptop)',
    '--quiet',
    '--',
    process.execPath,
    join(ROOT, 'bin', 'tsx.js'),
    join(ROOT, 'examples', 'evaluate.ts'),
  ]);

  labbook(ROOT, data, ['validate', '--data', dataDir]);
  labbook(ROOT, data, ['compare', '--data', dataDir, ...CONFIGS.map((config) => ci[config]!.runId)]);
  const site = join(options.dir, 'site');
  // From this checkout: `site build` cannot yet run from another folder (issue 13's package work).
  labbook(ROOT, ROOT, ['site', 'build', '--data', dataDir, '--out', site, '--repository', REPOSITORY, '--data-branch', DATA_BRANCH]);
  console.log(
    `\nThe demo took ${((Date.now() - started) / 1000).toFixed(0)} s. Everything it made is in ${options.dir} (ignored by git; the next demo starts afresh).`,
  );
  if (options.serve) preview(ROOT, ROOT, ['site', 'preview', '--out', site]);
} finally {
  await github.close();
}
