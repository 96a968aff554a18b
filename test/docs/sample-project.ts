import { plainTracesSync } from '../helpers/run-traces.ts';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installLabbook, REPO, scriptCommand } from './labbook-package.ts';

export interface SampleProject {
  dir: string;
  /** The environment every sample runs with: `labbook` on PATH, the seeded runs' ids. */
  env: NodeJS.ProcessEnv;
}

const CONFIGS = ['baseline', 'rag-deep', 'tool-first'] as const;

/**
 * A user's project as the docs assume it: a git repository with the example configs and
 * dataset under examples/, the demo experiment under experiments/, Labbook installed, three
 * runs of a toy agent (one per config) committed, and a bare `origin` whose `labbook-data`
 * branch holds them. Samples get the runs' ids as $BASELINE, $CANDIDATE and $THIRD and a
 * trace of the baseline as $TRACE.
 */
export function createSampleProject(dir: string): SampleProject {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: GIT_ENV }).trim();
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'my-agent', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  mkdirSync(join(dir, 'examples', 'data'), { recursive: true });
  cpSync(join(REPO, 'examples', 'configs'), join(dir, 'examples', 'configs'), { recursive: true });
  cpSync(join(REPO, 'examples', 'data', 'dataset.jsonl'), join(dir, 'examples', 'data', 'dataset.jsonl'));
  mkdirSync(join(dir, 'experiments', 'demo'), { recursive: true });
  cpSync(join(REPO, 'experiments', 'demo', 'experiment.yaml'), join(dir, 'experiments', 'demo', 'experiment.yaml'));
  cpSync(join(import.meta.dirname, 'seed-eval.ts'), join(dir, 'seed-eval.ts'));
  installLabbook(dir);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'an agent and its evaluation');

  const env: NodeJS.ProcessEnv = {
    PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}`,
    HOME: process.env.HOME,
    // The author `labbook annotate` falls back to when git has no user.name.
    USER: 'ada',
    ...GIT_ENV,
    // Runs are local here, whatever machine runs the tests.
    GITHUB_ACTIONS: '',
  };
  const ids = CONFIGS.map((config) => {
    const out = execFileSync(
      process.execPath,
      [
        join(REPO, 'bin', 'labbook.js'),
        'run',
        '--experiment',
        'demo',
        '--config',
        `examples/configs/${config}.yaml`,
        '--dataset',
        'examples/data/dataset.jsonl',
        '--quiet',
        '--',
        ...scriptCommand('seed-eval.ts'),
      ],
      { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return /run (\S+) completed/.exec(out)![1]!;
  });
  const trace = JSON.parse(plainTracesSync(join(dir, 'experiments', 'demo', 'runs', ids[0]!)).split('\n')[0]!).id as string;
  git('add', '.');
  git('commit', '-q', '-m', 'three runs');
  execFileSync('git', ['init', '-q', '--bare', join(dir, '..', 'origin.git')]);
  git('remote', 'add', 'origin', join(dir, '..', 'origin.git'));
  git('push', '-q', 'origin', 'HEAD:labbook-data');
  git('fetch', '-q', 'origin');
  return { dir, env: { ...env, BASELINE: ids[0], CANDIDATE: ids[1], THIRD: ids[2], TRACE: trace } };
}

/** The runs of the demo experiment, oldest first. */
export function runIds(project: SampleProject): string[] {
  return readdirSync(join(project.dir, 'experiments', 'demo', 'runs')).sort();
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Grace Hopper',
  GIT_AUTHOR_EMAIL: 'grace@example.invalid',
  GIT_COMMITTER_NAME: 'Grace Hopper',
  GIT_COMMITTER_EMAIL: 'grace@example.invalid',
};
