import { describeError } from './text.ts';

/** Seals a run with what it has; resolves when its run.json says so. */
type Seal = (status: 'partial' | 'failed', reason: string) => Promise<unknown>;

/** The exit codes a shell gives a process killed by these signals (128 + the signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type GuardedSignal = keyof typeof SIGNAL_EXIT_CODES;

/** The standalone runs of this process that are not finished yet, by their id. */
const guarded = new Map<string, Seal>();
let sealing: Promise<void> | null = null;

/**
 * For a run the SDK created itself (no runner to mark it): on SIGINT or SIGTERM every
 * unfinished run of the process is sealed `partial`, on an uncaught exception `failed`, and the
 * process then exits with the conventional code (130, 143, 1). A second signal while sealing
 * exits at once. If the script simply ends without `run.finish()`, its runs are sealed `partial`
 * and the process ends as it would have. Returns the function that stops guarding this run
 * (`run.finish()` calls it once the run is sealed).
 *
 * One set of process listeners serves every run, so two runs in one process are both sealed
 * before it exits. An uncaught exception is printed here, since listening for it stops Node
 * from printing it.
 */
export function installCrashGuard(seal: Seal, runId: string): () => void {
  if (guarded.size === 0) listen();
  guarded.set(runId, seal);
  return () => {
    if (!guarded.delete(runId) || guarded.size > 0) return;
    unlisten();
    sealing = null;
  };
}

function sealAll(status: 'partial' | 'failed', reason: string): Promise<void> {
  sealing ??= Promise.all(
    [...guarded].map(([runId, seal]) =>
      seal(status, reason).then(
        () => process.stderr.write(`labbook: run ${runId} sealed as ${status} (${reason})\n`),
        (error: unknown) => process.stderr.write(`labbook: could not seal run ${runId}: ${describeError(error)}\n`),
      ),
    ),
  ).then(() => undefined);
  return sealing;
}

function onSignal(signal: GuardedSignal): void {
  const code = SIGNAL_EXIT_CODES[signal];
  if (sealing) process.exit(code);
  void sealAll('partial', `interrupted by ${signal}`).finally(() => process.exit(code));
}

function onException(error: unknown): void {
  process.stderr.write(`${error instanceof Error && error.stack ? error.stack : describeError(error)}\n`);
  if (sealing) return; // already sealing after a signal, which decides the exit code
  void sealAll('failed', `uncaught exception: ${describeError(error)}`).finally(() => process.exit(1));
}

function onBeforeExit(): void {
  unlisten();
  void sealAll('partial', 'the script ended without calling run.finish()');
}

function listen(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onException);
  process.on('beforeExit', onBeforeExit);
}

function unlisten(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('uncaughtException', onException);
  process.off('beforeExit', onBeforeExit);
}
