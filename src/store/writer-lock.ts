import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomicSync } from './atomic-write.ts';
import { RUN_FILES } from './layout.ts';

/**
 * `writer.lock` in a run folder says which process will seal the run: whoever created it
 * (`labbook run`, the action, a standalone SDK script). It is written with `run.json` and
 * removed when the run is sealed, so a `running` run whose lock names a process that is gone
 * was left behind by a crash, and `labbook repair` may seal it.
 *
 * A pid alone is not an identity: pids are reused, soon on a busy machine. The lock also
 * records the kernel's boot id and the process's start time in clock ticks since boot (field 22
 * of /proc/<pid>/stat). A pid whose start time differs is another process; a different boot id
 * means every process of that boot is gone. No cooperation from the dead process is needed,
 * unlike a heartbeat, and nothing is held open, unlike flock (which Node cannot take). Where
 * /proc is missing (macOS) the pid is trusted, erring on the side of "alive": a run is never
 * repaired under a live writer, at worst it needs `--force`.
 */
interface WriterLock {
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id; null off Linux. */
  bootId: string | null;
  /** Start time of `pid` in clock ticks since boot; null off Linux. */
  startTicks: number | null;
  startedAt: string;
  /**
   * The evaluation command a runner started, which appends the traces: the run has a live
   * writer while either process lives (the command may outlive a runner killed outright).
   */
  child?: { pid: number; startTicks: number | null };
}

export type WriterState =
  | { state: 'alive'; lock: WriterLock }
  | { state: 'dead'; lock: WriterLock; why: string }
  /** Another machine's process, or no lock at all: nothing can be proved from here. */
  | { state: 'unknown'; lock: WriterLock | null; why: string };

function writerLockFile(dir: string): string {
  return join(dir, RUN_FILES.writerLock);
}

export function currentWriter(now = new Date()): WriterLock {
  return {
    pid: process.pid,
    host: hostname(),
    bootId: readBootId(),
    startTicks: processStartTicks(process.pid),
    startedAt: now.toISOString(),
  };
}

export async function writeWriterLock(dir: string, lock: WriterLock = currentWriter()): Promise<void> {
  await writeFile(writerLockFile(dir), `${JSON.stringify(lock)}\n`);
}

export async function removeWriterLock(dir: string): Promise<void> {
  await rm(writerLockFile(dir), { force: true });
}

async function readWriterLock(dir: string): Promise<WriterLock | null> {
  let text: string;
  try {
    text = await readFile(writerLockFile(dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<WriterLock>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      bootId: typeof value.bootId === 'string' ? value.bootId : null,
      startTicks: typeof value.startTicks === 'number' ? value.startTicks : null,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
      ...(value.child && typeof value.child.pid === 'number'
        ? { child: { pid: value.child.pid, startTicks: typeof value.child.startTicks === 'number' ? value.child.startTicks : null } }
        : {}),
    };
  } catch {
    return null; // a torn lock file: its writer died while writing it
  }
}

/** Whether the process named by a run's lock still runs. */
export async function writerState(dir: string): Promise<WriterState> {
  const lock = await readWriterLock(dir);
  if (!lock) return { state: 'unknown', lock: null, why: `no ${RUN_FILES.writerLock} names its writer` };
  return judgeLock(lock);
}

export function judgeLock(lock: WriterLock): WriterState {
  if (lock.host !== hostname()) return { state: 'unknown', lock, why: `its writer ran on another machine (${lock.host})` };
  const bootId = readBootId();
  if (lock.bootId && bootId && lock.bootId !== bootId) return { state: 'dead', lock, why: 'the machine has restarted since' };
  const runner = processGone(lock.pid, lock.startTicks);
  if (!runner) return { state: 'alive', lock };
  const child = lock.child ? processGone(lock.child.pid, lock.child.startTicks) : 'none';
  if (!child) return { state: 'alive', lock };
  return { state: 'dead', lock, why: lock.child ? `${runner}, and so has its command (${child})` : runner };
}

/** Why the process is known to be gone, or null while it may run. */
function processGone(pid: number, startTicks: number | null): string | null {
  if (!processExists(pid)) return `process ${pid} has exited`;
  if (startTicks !== null) {
    const ticks = processStartTicks(pid);
    if (ticks !== null && ticks !== startTicks) return `process ${pid} has exited (the pid now belongs to another process)`;
  }
  return null;
}

/**
 * Records the command a runner started, so that a live command also counts as a live writer.
 * Synchronous, so it can never land after the run is sealed and the lock removed.
 */
export function recordWriterChild(dir: string, pid: number): void {
  const lock: WriterLock = { ...currentWriter(), child: { pid, startTicks: processStartTicks(pid) } };
  writeFileAtomicSync(writerLockFile(dir), `${JSON.stringify(lock)}\n`);
}

export function describeWriter(lock: WriterLock): string {
  return `pid ${lock.pid}${lock.child ? ` and its command, pid ${lock.child.pid},` : ''} on ${lock.host}${lock.startedAt ? `, started ${lock.startedAt}` : ''}`;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses. */
function processStartTicks(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isSafeInteger(ticks) ? ticks : null;
}
