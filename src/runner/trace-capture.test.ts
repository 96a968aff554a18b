import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { liveRuns } from '../../test/helpers/live-run.ts';
import { followTraces } from './trace-capture.ts';

const newRun = liveRuns('labbook-follow-run-');
const liveRun = async () => (await newRun()).file;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('followTraces', () => {
  it('reads what the command appends while it runs, on its own timer', async () => {
    const file = await liveRun();
    const following = followTraces(file, () => false);
    expect(following.follower).toBeUndefined(); // its modules load on its first poll, after the command is spawned
    for (let burst = 0; burst < 3; burst++) {
      appendFileSync(file, [1, 2, 3].map((i) => `${JSON.stringify(makeTrace(burst * 3 + i))}\n`).join(''));
      await sleep(100);
    }
    // Read by its own polls, before anyone asks it to finish.
    await vi.waitFor(() => expect(following.follower?.linesRead).toBe(9), { timeout: 10_000 });
    following.stop();
    const follower = following.follower!;
    await follower.finish();
    expect(follower.summaryFor(sha256(file))?.counts.traces).toBe(9);
  });

  it('stops following once the run’s own receiver writes too: the file then has two writers', async () => {
    const file = await liveRun();
    let receiverWrote = false;
    const following = followTraces(file, () => receiverWrote);
    appendFileSync(file, `${JSON.stringify(makeTrace(1))}\n`);
    await sleep(400);
    receiverWrote = true;
    appendFileSync(file, `${JSON.stringify(makeTrace(2))}\n`);
    following.stop();
    const follower = following.follower!;
    await follower.finish();
    expect(follower.summaryFor(sha256(file))).toBeUndefined();
  });
});
