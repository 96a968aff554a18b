import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The evaluation command runs in a process group of its own (spawned `detached`), so that it
 * and everything it starts can be signalled at once, and a Ctrl-C in the terminal reaches the
 * runner, which passes it on, rather than racing it. Not on Windows, which has no groups.
 */
export const OWN_GROUP = process.platform !== 'win32';

/** Signals the command's whole group; a group already gone is fine. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(OWN_GROUP ? -child.pid : child.pid, signal);
  } catch {
    // ESRCH: the group has ended
  }
}

// Reads one line from the runner. "done" means the runner saw the command end and lets the
// watchdog go; end of file without it means the runner died (even by SIGKILL, which runs no
// handler of its own), and the group is stopped: SIGTERM, then SIGKILL after a grace period.
const WATCHDOG = 'read line; [ "$line" = done ] && exit 0; kill -TERM "-$1" 2>/dev/null; sleep 2; kill -KILL "-$1" 2>/dev/null; exit 0';

interface Watchdog {
  /** The command ended normally: the watchdog leaves without signalling. */
  release(): void;
}

/**
 * Starts a tiny `sh` that holds the read end of a pipe from this process. The kernel closes the
 * pipe however this process ends, so the command's group never outlives its runner. A shell
 * rather than a second Node: it costs a millisecond and a few hundred kilobytes, and works for
 * commands in any language (a Python script cannot be asked to watch its parent). The watchdog
 * has its own session, so a Ctrl-C aimed at the runner does not kill it.
 */
export function startWatchdog(child: ChildProcess): Watchdog {
  if (!OWN_GROUP || child.pid === undefined) return { release: () => undefined };
  let dog: ChildProcess;
  try {
    dog = spawn('/bin/sh', ['-c', WATCHDOG, 'labbook-watchdog', String(child.pid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
  } catch {
    return { release: () => undefined };
  }
  dog.on('error', () => undefined); // no /bin/sh: the exit handler below still covers every exit but SIGKILL
  dog.stdin?.on('error', () => undefined);
  dog.unref();
  // The pipe must not keep the runner alive on its own.
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      dog.stdin?.end('done\n');
    },
  };
}
