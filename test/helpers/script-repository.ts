import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli.ts';
import { tempDir } from './temp-dir.ts';

export interface ScriptRepository {
  /** The repository folder (a git repository with `eval.cjs` and `agent.yaml`). */
  repo: string;
  /**
   * `labbook run -e <experiment> --create -c agent.yaml -- <command>` (default `node eval.cjs`),
   * with `env` added to the environment: the run's id and status as printed.
   */
  run(options?: { experiment?: string; command?: string[]; env?: Record<string, string> }): Promise<{ id: string; status: string }>;
}

/** A user's repository with one evaluation script, for tests of what commands make of its runs. */
export function scriptRepository(prefix: string, script: string): ScriptRepository {
  const repo = tempDir(prefix);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), script);
  writeFileSync(join(repo, 'agent.yaml'), 'model: m1\n');
  return {
    repo,
    async run({ experiment = 'qa', command = ['node', 'eval.cjs'], env = {} } = {}) {
      const result = await runCli(['run', '-e', experiment, '--create', '-c', 'agent.yaml', '--', ...command], {
        cwd: repo,
        env: { ...process.env, GITHUB_ACTIONS: '', ...env },
      });
      const printed = /run (\S+) (completed|failed|partial)/.exec(result.stderr + result.stdout);
      if (!printed) throw new Error(`labbook run printed no run:\n${result.stdout}${result.stderr}`);
      return { id: printed[1]!, status: printed[2]! };
    },
  };
}
