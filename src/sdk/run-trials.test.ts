import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { startRun } from './index.ts';

let tmp: string;
let configPath: string;
let dataDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'labbook-trials-'));
  configPath = join(tmp, 'c.yaml');
  dataDir = join(tmp, 'experiments');
  await writeFile(configPath, 'model: m\n');
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const examples = [
  { id: 'q1', input: 1 },
  { id: 'q2', input: 2 },
];

describe('run.map with trials', () => {
  it('traces each example K times, numbered 1..K, in example order', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {}, handleCrashes: false });
    const seen: string[] = [];
    const traces = await run.map(
      examples,
      (e) => {
        seen.push(e.id);
        return 'x';
      },
      { trials: 3, concurrency: 2 },
    );
    await run.finish();
    expect(traces.map((t) => [t.exampleId, t.trial])).toEqual([
      ['q1', 1],
      ['q1', 2],
      ['q1', 3],
      ['q2', 1],
      ['q2', 2],
      ['q2', 3],
    ]);
    expect(seen).toHaveLength(6);
    const written = await readAllTraces(run.dir);
    expect(written.map((t) => t.trial).sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('takes K from LABBOOK_TRIALS, and without it writes no trial field', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: { LABBOOK_TRIALS: '2' }, handleCrashes: false });
    expect(run.trials).toBe(2);
    expect((await run.map(examples, () => 'x')).map((t) => t.trial)).toEqual([1, 2, 1, 2]);
    expect((await run.map(examples, () => 'x', { trials: 1 })).map((t) => t.trial)).toEqual([undefined, undefined]);
    await run.finish();
  });

  it("takes K from the experiment's plan.yaml when LABBOOK_TRIALS is unset, and records the plan", async () => {
    const { mkdir, readFile } = await import('node:fs/promises');
    await mkdir(join(dataDir, 'demo'), { recursive: true });
    await writeFile(join(dataDir, 'demo', 'plan.yaml'), 'trials: 3\nmetrics:\n  - name: correct\n    margin: 0.05\n');
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {}, handleCrashes: false });
    expect(run.trials).toBe(3);
    await run.finish();
    const manifest = JSON.parse(await readFile(join(run.dir, 'run.json'), 'utf8'));
    // Outside a git repository nothing shows the plan was committed: the run says so.
    expect(manifest.plan).toMatchObject({ committed: false, digest: expect.stringMatching(/^sha256:/) });
    expect(await readFile(join(run.dir, 'plan.yaml'), 'utf8')).toContain('trials: 3');
    const env = await startRun({ experiment: 'demo', configPath, dataDir, env: { LABBOOK_TRIALS: '2' }, handleCrashes: false });
    expect(env.trials).toBe(2);
    await env.finish();
  });

  it('rejects a bad K with a message naming it', async () => {
    await expect(
      startRun({ experiment: 'demo', configPath, dataDir, env: { LABBOOK_TRIALS: 'three' }, handleCrashes: false }),
    ).rejects.toThrow('LABBOOK_TRIALS must be a whole number from 1 to 10000, got "three"');
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {}, handleCrashes: false });
    await expect(run.map(examples, () => 'x', { trials: 0 })).rejects.toThrow('trials must be a whole number from 1 to 10000, got 0');
    await run.finish();
  });
});
