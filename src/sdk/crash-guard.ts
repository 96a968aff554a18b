import { describeError } from './text.ts';

/** Seals the run with what it has; resolves when run.json says so. */
export type Seal = (status: 'partial' | 'failed', reason: string) => Promise<unknown>;

/** The exit codes a shell gives a process killed by these signals (128 + the signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type GuardedSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * For a run the SDK created itself (no runner to mark it): on SIGINT or SIGTERM the run is
 * sealed `partial`, on an uncaught exception `failed`, and the process then exits with the
 * conventional code (130, 143, 1). A second signal while sealing exits at once. If the script
 * simply ends without `run.finish()`, the run is sealed `partial` and the process ends as it
 * would have. Returns the function that removes the handlers (called by `run.finish()`).
 *
 * An uncaught exception is printed here, since listening for it stops Node from printing it.
 */
export function installCrashGuard(seal: Seal, label: string): () => void {
  let sealing: Promise<unknown> | null = null;
  const sealOnce = (status: 'partial' | 'failed', reason: string): Promise<unknown> =>
    (sealing ??= seal(status, reason).then(
      () => process.stderr.write(`labbook: run ${label} sealed as ${status} (${reason})\n`),
      (error: unknown) => process.stderr.write(`labbook: could not seal run ${label}: ${describeError(error)}\n`),
    ));

  const onSignal = (signal: GuardedSignal) => {
    const code = SIGNAL_EXIT_CODES[signal];
    if (sealing) process.exit(code);
    void sealOnce('partial', `interrupted by ${signal}`).finally(() => process.exit(code));
  };
  const onException = (error: unknown) => {
    process.stderr.write(`${error instanceof Error && error.stack ? error.stack : describeError(error)}\n`);
    if (sealing) return; // already sealing after a signal, which decides the exit code
    void sealOnce('failed', `uncaught exception: ${describeError(error)}`).finally(() => process.exit(1));
  };
  const onBeforeExit = () => {
    dispose();
    void sealOnce('partial', 'the script ended without calling run.finish()');
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onException);
  process.on('beforeExit', onBeforeExit);
  function dispose(): void {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onException);
    process.off('beforeExit', onBeforeExit);
  }
  return dispose;
}
