import type { RunProcess } from '../../schemas/run-manifest.ts';

/**
 * How the evaluation command ended, as a run status: exit 0 is `completed`; a signal, or the
 * shell's 130/143 for SIGINT/SIGTERM, is `partial` (interrupted, traces so far kept); any other
 * exit is `failed`. `labbook run` and the action read a command the same way.
 */
export function statusFromProcess(process: RunProcess): { status: 'completed' | 'failed' | 'partial'; statusReason?: string } {
  if (process.signal) return { status: 'partial', statusReason: `the command was interrupted by ${process.signal}` };
  if (process.exitCode === 0) return { status: 'completed' };
  if (process.exitCode === 130 || process.exitCode === 143) {
    return { status: 'partial', statusReason: `the command was interrupted (exit code ${process.exitCode})` };
  }
  return { status: 'failed', statusReason: `the command exited with code ${process.exitCode}` };
}
