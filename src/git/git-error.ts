import { LabbookError } from '../errors/index.ts';

/** A git command that failed; the message names the command and quotes git's own words. */
export class GitError extends LabbookError {
  override name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
    /** What the command printed on stdout (`push --porcelain` puts its verdicts there). */
    readonly stdout = '',
  ) {
    super(
      `git ${args.join(' ')} failed (exit code ${exitCode ?? 'none'}): ${stderr.trim().split('\n').slice(-6).join(' | ') || 'no message'}`,
      options,
    );
  }
}
