import { join } from 'node:path';
import type { FinishRunOptions } from '../store/finish-run.ts';
import { RUN_FILES } from '../store/layout.ts';
import type { TraceFollower } from '../store/trace-follower.ts';
import { startOtlpSession, type OtlpSession, type OtlpSessionOptions } from './otlp-session.ts';

/** How often the run's traces.jsonl is read for what its command appended. */
const POLL_MS = 250;

/**
 * Follows a live run's `traces.jsonl` while its command runs, so that sealing has only the last
 * lines left to parse (see TraceFollower). Lines the run's own OTLP receiver writes are summed
 * by its writer instead; once it writes, following stops, since the file then has two writers
 * and the seal takes neither summary (it parses the file).
 *
 * The follower's modules (parsing and tallying traces) load on the first poll, after the command
 * is spawned rather than before; a follower that never loaded leaves the seal its parse, as one
 * abandoned does.
 */
export function followTraces(file: string, receiverWrote: () => boolean): { readonly follower: TraceFollower | undefined; stop(): void } {
  let follower: TraceFollower | undefined;
  let loading: Promise<void> | undefined;
  const poll = () => {
    if (!follower) {
      loading ??= import('../store/trace-follower.ts').then(
        ({ TraceFollower }) => void (follower = new TraceFollower(file)),
        () => {}, // the seal parses the file itself
      );
      return;
    }
    if (receiverWrote()) follower.abandon();
    else void follower.poll();
  };
  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return {
    get follower() {
      return follower;
    },
    stop() {
      clearInterval(timer);
      if (receiverWrote()) follower?.abandon();
    },
  };
}

/** What records a command's traces into its live run besides the command itself. */
export interface TraceCapture {
  /** Added to the command's environment (the OTLP receiver's endpoint). */
  env: Record<string, string>;
  /** The command is spawned: load what receiving needs while it starts (see OtlpReceiver.prepare). */
  prepare(): void;
  /**
   * After the command exits: closes the receiver (writing what it still holds) and stops
   * following; gives what spares the seal its parse and its compression (finishRun's `written`,
   * `liveChunks` and `followed`).
   */
  finish(): Promise<Pick<FinishRunOptions, 'written' | 'liveChunks' | 'followed'>>;
}

/**
 * Starts what records a command's traces beside it, for `labbook run` and the action alike: the
 * OTLP receiver when `otlp` is given, and the follower of the run's `traces.jsonl`.
 */
export async function startTraceCapture(runDir: string, otlp: OtlpSessionOptions | undefined): Promise<TraceCapture> {
  let session: OtlpSession | undefined;
  const following = followTraces(join(runDir, RUN_FILES.traces), () => session?.wroteTraces ?? false);
  try {
    session = otlp ? await startOtlpSession(otlp) : undefined;
  } catch (error) {
    following.stop();
    throw error;
  }
  return {
    env: session?.env ?? {},
    prepare: () => session?.prepare(),
    async finish() {
      try {
        const received = await session?.finish();
        return { written: received?.written, liveChunks: received?.liveChunks, followed: following.follower };
      } finally {
        following.stop();
      }
    },
  };
}
