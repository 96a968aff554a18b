/** A line longer than this is passed on in pieces rather than held whole. */
const MAX_HELD = 1024 * 1024;

/**
 * Regroups a stream's text into whole lines for a writer that ends each text it gets with a
 * line end (`ctx.stdout`). A pipe delivers a command's output in pieces that need not end at a
 * line end: passed on piece by piece, one line would show as two, and a line end arriving
 * alone as an extra blank line. `push` writes every line the text so far completes (without
 * its last line end) and holds the rest; `flush` writes what is held once the stream has ended.
 */
export function wholeLines(write: (lines: string) => void): { push(chunk: string): void; flush(): void } {
  let held = '';
  return {
    push(chunk) {
      held += chunk;
      const end = held.lastIndexOf('\n');
      if (end >= 0) {
        write(held.slice(0, end));
        held = held.slice(end + 1);
      } else if (held.length > MAX_HELD) {
        write(held);
        held = '';
      }
    },
    flush() {
      if (held !== '') write(held);
      held = '';
    },
  };
}
