import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { createRun } from '../store/run-writer.ts';
import { followTraces } from './follow-traces.ts';

const root = tempDir('labbook-follow-run-');
writeFileSync(join(root, 'baseline.yaml'), 'model: demo-model\n');

async function liveRun(name: string) {
  const { dir } = await createRun({
    dataDir: join(root, name),
    experiment: 'demo',
    configPath: join(root, 'baseline.yaml'),
    source: { kind: 'local', host: 'h', user: 'u' },
    code: { commit: 'abc', branch: 'main', dirty: false },
    rootDir: root,
  });
  return join(dir, 'traces.jsonl');
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('followTraces', () => {
  it('reads what the command appends while it runs, on its own timer', async () => {
    const file = await liveRun('a');
    const following = followTraces(file, () => false);
    for (let burst = 0; burst < 3; burst++) {
      appendFileSync(file, [1, 2, 3].map((i) => `${JSON.stringify(makeTrace(burst * 3 + i))}\n`).join(''));
      await sleep(100);
    }
    // Read by its own polls, before anyone asks it to finish.
    await vi.waitFor(() => expect(following.follower.linesRead).toBe(9), { timeout: 10_000 });
    following.stop();
    await following.follower.finish();
    expect(following.follower.summaryFor(sha256(file))?.counts.traces).toBe(9);
  });

  it('stops following once the run’s own receiver writes too: the file then has two writers', async () => {
    const file = await liveRun('b');
    let receiverWrote = false;
    const following = followTraces(file, () => receiverWrote);
    appendFileSync(file, `${JSON.stringify(makeTrace(1))}\n`);
    await sleep(400);
    receiverWrote = true;
    appendFileSync(file, `${JSON.stringify(makeTrace(2))}\n`);
    following.stop();
    await following.follower.finish();
    expect(following.follower.summaryFor(sha256(file))).toBeUndefined();
  });
});
