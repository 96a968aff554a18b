import { spawn } from 'node:child_process';
import type { RunProcess } from '../../schemas/run-manifest.ts';
import { UsageError } from '../errors/index.ts';
import { OutputTail } from './output-tail.ts';

export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the command's output goes as it runs (the terminal, the job log). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Run through the shell (the action's `command` input is a shell line). */
  shell?: boolean;
}

/**
 * Runs the evaluation command, streams its output through, and keeps the tail of each
 * stream for `run.json`. SIGINT and SIGTERM received meanwhile are passed on to the child, so
 * the SDK inside can mark its traces before the run is sealed.
 */
export async function executeCommand(argv: string[], options: ExecuteOptions): Promise<RunProcess> {
  if (argv.length === 0 || !argv[0]) throw new UsageError('no command to run: put it after "--"');
  const stdoutTail = new OutputTail();
  const stderrTail = new OutputTail();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    shell: options.shell ?? false,
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdoutTail.push(chunk);
    options.onStdout?.(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail.push(chunk);
    options.onStderr?.(chunk);
  });
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new UsageError(`command not found: ${argv[0]}`) : error),
      );
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return { command: argv, exitCode: code, signal, stdoutTail: stdoutTail.toString(), stderrTail: stderrTail.toString() };
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
