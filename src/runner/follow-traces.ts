import { TraceFollower } from '../store/trace-follower.ts';

/** How often the run's traces.jsonl is read for what its command appended. */
const POLL_MS = 250;

/**
 * Follows a live run's `traces.jsonl` while its command runs, so that sealing has only the last
 * lines left to parse (see TraceFollower). Lines the run's own OTLP receiver writes are summed
 * by its writer instead; once it writes, following stops, since the file then has two writers
 * and the seal takes neither summary (it parses the file).
 */
export function followTraces(file: string, receiverWrote: () => boolean): { follower: TraceFollower; stop(): void } {
  const follower = new TraceFollower(file);
  const poll = () => {
    if (receiverWrote()) follower.abandon();
    else void follower.poll();
  };
  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return {
    follower,
    stop() {
      clearInterval(timer);
      if (receiverWrote()) follower.abandon();
    },
  };
}
