import { spawn } from 'node:child_process';
import type { RunProcess } from '../../schemas/run-manifest.ts';
import { UsageError } from '../errors/index.ts';
import { OWN_GROUP, signalGroup, startWatchdog } from './child-group.ts';
import { OutputTail } from './output-tail.ts';

interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the command's output goes as it runs (the terminal, the job log). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Called once the command has a pid (the runner records it as a writer of the run). */
  onSpawn?: (pid: number) => void;
}

/**
 * Runs the evaluation command, streams its output through, and keeps the tail of each
 * stream for `run.json`. SIGINT, SIGTERM and SIGHUP received meanwhile are passed on to the
 * command's process group, so the SDK inside can mark its traces before the run is sealed; the
 * group is killed when the command ends and whenever the runner dies (see child-group.ts).
 */
export async function executeCommand(argv: string[], options: ExecuteOptions): Promise<RunProcess> {
  if (argv.length === 0 || !argv[0]) throw new UsageError('no command to run: put it after "--"');
  const stdoutTail = new OutputTail();
  const stderrTail = new OutputTail();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['inherit', 'pipe', 'pipe'],
    detached: OWN_GROUP,
  });
  // The command must not outlive the runner: signals are passed to its whole group, any exit of
  // the runner kills the group, and a watchdog does it when the runner is killed outright.
  const watchdog = startWatchdog(child);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const forward = (signal: NodeJS.Signals) => () => signalGroup(child, signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  const onHup = forward('SIGHUP');
  const onExit = () => signalGroup(child, 'SIGKILL');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('exit', onExit);
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
    watchdog.release();
    // What the command left running in its group (a server it started, say) goes with it.
    signalGroup(child, 'SIGKILL');
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    process.off('exit', onExit);
  }
}
