/**
 * Progress of long work. In a terminal: one line redrawn in place with count, rate and ETA.
 * In CI logs (no TTY): a plain line at most every `intervalMs`, so logs stay readable.
 */
export class Progress {
  #done = 0;
  #lastPrint = 0;
  #lineShown = false;
  /** The count of the last line printed, or undefined before the first. */
  #printedDone: number | undefined;
  #total: number | undefined;
  readonly #started: number;
  constructor(
    private readonly options: {
      label: string;
      total?: number;
      isTTY: boolean;
      write: (text: string) => void;
      now?: () => number;
      intervalMs?: number;
    },
  ) {
    this.#started = this.#now();
    this.#total = options.total;
  }

  get hasTotal(): boolean {
    return this.#total !== undefined;
  }

  setTotal(total: number): void {
    this.#total = total;
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  update(done: number): void {
    this.#done = done;
    const now = this.#now();
    const interval = this.options.intervalMs ?? (this.options.isTTY ? 100 : 10_000);
    if (now - this.#lastPrint < interval) return;
    this.#lastPrint = now;
    this.#print(now);
  }

  /** Erases the redrawn line so other output can be printed cleanly (TTY only). */
  clear(): void {
    if (this.options.isTTY && this.#lineShown) {
      this.options.write('\r\x1b[2K');
      this.#lineShown = false;
    }
  }

  /**
   * Ends the progress of work that already prints its own summary: in a terminal the line is
   * erased; in a log that shows a throttled figure, the last figure is printed if it changed,
   * so the log never ends on a stale count (`0/3` for a run that wrote 3 traces).
   */
  settle(): void {
    if (this.options.isTTY) this.clear();
    else if (this.#printedDone !== undefined && this.#printedDone !== this.#done) this.#print(this.#now());
  }

  /** Prints the final figure once, on its own line. */
  finish(): void {
    this.clear();
    this.options.write(`${this.describe(this.#now())}\n`);
  }

  describe(now: number): string {
    const seconds = Math.max((now - this.#started) / 1000, 1e-9);
    const rate = this.#done / seconds;
    const { label } = this.options;
    // The total is a guess (the dataset's lines); a script that writes more traces than that
    // (trials, say) shows its count alone rather than "6/3 (200%)".
    const total = this.#total !== undefined && this.#done <= this.#total ? this.#total : undefined;
    const parts = [`${label}: ${this.#done}${total ? `/${total}` : ''}`];
    if (total) parts[0] += ` (${Math.floor((100 * this.#done) / total)}%)`;
    parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`);
    if (total && rate > 0 && this.#done < total) parts.push(`ETA ${formatDuration((total - this.#done) / rate)}`);
    else parts.push(`${formatDuration(seconds)} elapsed`);
    return parts.join(' · ');
  }

  #print(now: number): void {
    this.#printedDone = this.#done;
    if (this.options.isTTY) {
      this.options.write(`\r\x1b[2K${this.describe(now)}`);
      this.#lineShown = true;
    } else {
      this.options.write(`${this.describe(now)}\n`);
    }
  }
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
