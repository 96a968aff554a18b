import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/**
 * A full garbage collection between the build's phases (the data pass, Vite's server build, its
 * client build, page generation). Each phase leaves garbage (parsed traces, module graphs, ASTs)
 * that V8, far below its heap limit, would otherwise carry into the next phase, so the phases'
 * heaps stack up: on 20 runs × 2,000 realistic traces the peak RSS of a rebuild fell from about
 * 780 MB to 580 MB, and a cold build's from 764 MB to 643 MB. A collection takes tens of
 * milliseconds, four per build. V8's collector is reached once through `--expose-gc` set at run
 * time (a fresh context then sees the `gc` function).
 */
export function releaseMemory(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
