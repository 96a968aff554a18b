import { execFile } from 'node:child_process';
import { GitError } from './git-error.ts';
import { errorMessage } from '../errors/error-message.ts';

interface RunGitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers, not failures (`cat-file -e` says "no" with 1). */
  okExitCodes?: number[];
}

export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Variables that would point git at another repository than `cwd` (set inside git hooks,
 * say). They are removed so every command acts on the folder it is given.
 */
const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

/**
 * Runs one git command. Never prompts (a missing credential fails at once instead of waiting
 * for a terminal that a CI job does not have).
 */
export function runGit(args: string[], options: RunGitOptions): Promise<GitOutput> {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: options.cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (exitCode === 0 || (exitCode !== null && options.okExitCodes?.includes(exitCode))) {
        resolve({ stdout, stderr, exitCode: exitCode ?? 0 });
      } else {
        reject(new GitError(args, exitCode, stderr || errorMessage(error), { cause: error }, stdout));
      }
    });
  });
}
