import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.ts';
import { runPool } from './pool.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runPool', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([...Array(20).keys()], 3, async (item, index) => {
      expect(item).toBe(index);
      active++;
      peak = Math.max(peak, active);
      await tick(1 + (item % 3));
      seen.push(item);
      active--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('pulls an async iterable lazily', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let done = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - done);
        yield i;
      }
    }
    await runPool(source(), 2, async () => {
      await tick(1);
      done++;
    });
    expect(pulled).toBe(10);
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it('stops pulling after an error and rethrows it', async () => {
    const started: number[] = [];
    const failure = runPool([...Array(100).keys()], 2, async (item) => {
      started.push(item);
      await tick(1);
      if (item === 3) throw new Error('stop');
    });
    await expect(failure).rejects.toThrow('stop');
    expect(started.length).toBeLessThan(10);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(runPool([1], 0, async () => {})).rejects.toThrow(UsageError);
  });
});
