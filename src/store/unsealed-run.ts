import { join } from 'node:path';
import { RUN_FILES } from './layout.ts';
import { writerState } from './writer-lock.ts';
import { LineCounter } from './line-counter.ts';

/** What can be learnt cheaply of a run still marked `running`, for listings and warnings. */
interface UnsealedRun {
  /** `gone`: the process named by writer.lock has exited, so the run will never seal itself. */
  writer: 'alive' | 'gone' | 'unknown';
  /** Why the writer is gone or unknown (writer-lock.ts), null while it lives. */
  why: string | null;
  /**
   * Complete lines of traces.jsonl: the traces written so far (run.json's counts are only
   * filled in when the run is sealed, so they read 0 until then).
   */
  tracesOnDisk: number;
}

/** The writer's state and the traces written so far of a run whose run.json says `running`. */
export async function inspectUnsealedRun(dir: string): Promise<UnsealedRun> {
  // Complete lines (a torn last line is not counted); 0 while traces.jsonl does not exist.
  const [writer, tracesOnDisk] = await Promise.all([writerState(dir), new LineCounter(join(dir, RUN_FILES.traces)).poll()]);
  if (writer.state === 'alive') return { writer: 'alive', why: null, tracesOnDisk };
  return { writer: writer.state === 'dead' ? 'gone' : 'unknown', why: writer.why, tracesOnDisk };
}
