import { describe, expect, it } from 'vitest';
import { Progress } from './progress.ts';

function logProgress(total?: number) {
  const lines: string[] = [];
  let now = 1_000_000; // a clock like Date.now(): the first update prints
  const progress = new Progress({
    label: 'traces',
    total,
    isTTY: false,
    write: (text) => lines.push(text),
    now: () => now,
    intervalMs: 10_000,
  });
  return { progress, lines, advance: (ms: number) => (now += ms) };
}

describe('Progress in a log', () => {
  it('ends on the true count, not the last throttled figure', () => {
    const { progress, lines, advance } = logProgress(3);
    progress.update(0);
    advance(500);
    progress.update(3); // within the interval: not printed
    expect(lines).toHaveLength(1);
    progress.settle();
    expect(lines.map((l) => l.split(' · ')[0])).toEqual(['traces: 0/3 (0%)', 'traces: 3/3 (100%)']);
  });

  it('prints nothing when settling work that never showed a figure, or whose figure did not change', () => {
    const quiet = logProgress(3);
    quiet.progress.settle(); // the work ended before the first update
    quiet.progress.update(3);
    quiet.lines.length = 0; // …or after one, with nothing new since
    quiet.progress.settle();
    expect(quiet.lines).toEqual([]);
  });

  it('drops a total the count went past', () => {
    const { progress } = logProgress(3);
    progress.update(6);
    expect(progress.describe(1_002_000)).toBe('traces: 6 · 3.0/s · 2.0s elapsed');
  });
});

describe('Progress in a terminal', () => {
  it('erases its line when settled', () => {
    const writes: string[] = [];
    const progress = new Progress({ label: 'traces', total: 3, isTTY: true, write: (text) => writes.push(text), now: () => 1000 });
    progress.update(1);
    progress.settle();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
});
