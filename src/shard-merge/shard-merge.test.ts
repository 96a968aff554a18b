import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CiSource, RunManifest } from '../../schemas/run-manifest.ts';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { inShard } from '../sdk/shard.ts';
import { finishRun } from '../store/finish-run.ts';
import { readRunManifest } from '../store/run-reader.ts';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { createRun } from '../store/run-writer.ts';
import { TraceWriter } from '../store/trace-writer.ts';
import { verifyRunFiles } from '../store/sha256sums.ts';
import { mergeShardRuns } from './merge-shard-runs.ts';
import { selectShardRuns, type ShardCandidate } from './select-shard-runs.ts';
import { parseShardRunId, shardRunId } from './shard-run-id.ts';

const root = tempDir('labbook-shard-merge-');
const configPath = join(root, 'baseline.yaml');
writeFileSync(configPath, 'model: demo\nparams: { top_k: 3 }\n');
const code = { commit: 'c0ffee', branch: 'main', dirty: false };

function ci(attempt = '1', job = 'evaluate'): CiSource {
  return {
    kind: 'ci',
    provider: 'github',
    serverUrl: 'https://github.com',
    repository: 'o/r',
    workflow: 'evaluate',
    workflowRunId: '777',
    workflowRunAttempt: attempt,
    job,
    ref: 'refs/heads/main',
    sha: 'c0ffee',
    actor: 'a',
    event: 'push',
    runUrl: 'https://github.com/o/r/actions/runs/777',
  };
}

/** One shard's run: the examples of 40 whose ids fall in shard i/n, finished like the action does. */
async function shardRun(
  dataDir: string,
  index: number,
  count: number,
  options: { attempt?: string; status?: 'failed'; at?: number; plan?: string } = {},
): Promise<ShardCandidate> {
  const shard = { index, count };
  const now = new Date(Date.UTC(2026, 0, 1, 0, 0, options.at ?? index));
  const { dir } = await createRun({
    dataDir,
    experiment: 'demo',
    configPath,
    source: ci(options.attempt),
    code,
    shard,
    now,
    rootDir: root,
    plan: options.plan ? { path: 'experiments/demo/plan.yaml', text: options.plan, committed: true } : null,
    runId: shardRunId('baseline', { runId: '777', attempt: options.attempt ?? '1' }, shard, now),
  });
  const writer = new TraceWriter(dir);
  for (let i = 1; i <= 40; i++) if (inShard(`ex${i}`, shard)) writer.append(makeTrace(i));
  writer.close();
  await finishRun(dir, options.status ? { status: 'failed', statusReason: 'the command exited with code 1' } : {});
  return { dir, manifest: await readRunManifest(dir) };
}

describe('shard run ids', () => {
  it('carry the workflow run, the attempt and the shard, and sort by time', () => {
    const id = shardRunId(
      'Baseline.yaml',
      { runId: '123456', attempt: '2' },
      { index: 3, count: 4 },
      new Date('2026-11-27T04:24:52Z'),
      'ab12',
    );
    expect(id).toBe('20261127-042452-baseline-gh123456.2-s3of4-ab12');
    expect(parseShardRunId(id, 'baseline')).toEqual({ workflowRunId: '123456', attempt: 2, shard: { index: 3, count: 4 } });
    expect(parseShardRunId(id, 'other')).toBeNull();
    expect(parseShardRunId('20261127-042452-baseline-3f9a1c', 'baseline')).toBeNull();
  });
});

describe('selectShardRuns', () => {
  it('keeps the latest attempt of each shard and names the missing ones', async () => {
    const dataDir = join(root, 'select');
    const s1 = await shardRun(dataDir, 1, 3);
    const s2a = await shardRun(dataDir, 2, 3, { status: 'failed' });
    const s2b = await shardRun(dataDir, 2, 3, { attempt: '2', at: 30 });
    const selection = selectShardRuns([s2b, s1, s2a], { workflowRunId: '777', repository: 'o/r', configName: 'baseline' })!;
    expect(selection.chosen.map((c) => c.manifest.id)).toEqual([s1.manifest.id, s2b.manifest.id]);
    expect(selection.missing).toEqual([3]);
    expect(selection.ignored).toEqual([{ runId: s2a.manifest.id, reason: `shard 2 was evaluated again in ${s2b.manifest.id}` }]);
    expect(selectShardRuns([s1], { workflowRunId: '778', repository: 'o/r', configName: 'baseline' })).toBeNull();
  });
});

describe('mergeShardRuns', () => {
  it('joins every trace once, recomputes metrics and seals the run', async () => {
    const shardsDir = join(root, 'shards');
    const parts = [await shardRun(shardsDir, 1, 2), await shardRun(shardsDir, 2, 2)];
    const out = join(root, 'merged');
    const { dir, finished } = await mergeShardRuns({ shards: parts.reverse(), missing: [], dataDir: out, source: ci('1', 'merge') });
    expect(finished.manifest.status).toBe('completed');
    expect(finished.manifest.counts.traces).toBe(40);
    expect(finished.manifest.merge).toEqual({
      shards: [
        { index: 1, runId: parts[1]!.manifest.id },
        { index: 2, runId: parts[0]!.manifest.id },
      ],
      missing: [],
    });
    expect(finished.manifest.shard).toBeUndefined();
    expect(finished.manifest.config).toEqual(parts[0]!.manifest.config);
    expect(finished.manifest.source).toMatchObject({ kind: 'ci', job: 'merge' });
    const ids = (await readAllTraces(dir)).map((t) => t.exampleId).sort();
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => `ex${i + 1}`).sort());
    // The same 40 traces in one run give the same metrics as the merged run.
    expect(finished.metrics.scores.correct).toMatchObject({ count: 40, mean: 30 / 40 });
    expect(await verifyRunFiles(dir)).toEqual([]);
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe(readFileSync(configPath, 'utf8'));
  });

  it("keeps the shards' eval plan, and refuses shards made under different plans", async () => {
    const plan = 'metrics:\n  - name: correct\n    margin: 0.05\n';
    const dataDir = join(root, 'planned');
    const parts = [await shardRun(dataDir, 1, 2, { plan }), await shardRun(dataDir, 2, 2, { plan })];
    const { dir, finished } = await mergeShardRuns({
      shards: parts,
      missing: [],
      dataDir: join(root, 'planned-out'),
      source: ci('1', 'merge'),
    });
    expect(finished.manifest.plan).toEqual(parts[0]!.manifest.plan);
    expect(readFileSync(join(dir, 'plan.yaml'), 'utf8')).toBe(plan);
    expect(await verifyRunFiles(dir)).toEqual([]);
    const other = await shardRun(join(root, 'planned-2'), 2, 2, { plan: plan.replace('0.05', '0.5') });
    await expect(
      mergeShardRuns({ shards: [parts[0]!, other], missing: [], dataDir: join(root, 'planned-out-2'), source: ci('1', 'merge') }),
    ).rejects.toThrow(/their plans differ/);
  });

  it('gives a partial run naming a missing shard, and a failed one naming a failed shard', async () => {
    const dataDir = join(root, 'partial');
    const s1 = await shardRun(dataDir, 1, 3);
    const s3 = await shardRun(dataDir, 3, 3, { status: 'failed' });
    const partial = await mergeShardRuns({ shards: [s1], missing: [2, 3], dataDir: join(root, 'out-partial'), source: ci() });
    expect(partial.finished.manifest.status).toBe('partial');
    expect(partial.finished.manifest.statusReason).toBe('missing shards 2, 3 of 3: no run arrived');
    expect(partial.finished.manifest.merge?.missing).toEqual([2, 3]);
    const failed = await mergeShardRuns({ shards: [s1, s3], missing: [2], dataDir: join(root, 'out-failed'), source: ci() });
    expect(failed.finished.manifest.status).toBe('failed');
    expect(failed.finished.manifest.statusReason).toContain(`shard 3/3 (${s3.manifest.id}) is failed: the command exited with code 1`);
    expect(failed.finished.manifest.statusReason).toContain('missing shard 2 of 3');
  });

  it('refuses shards of different configs or shard counts', async () => {
    const dataDir = join(root, 'mixed');
    const a = await shardRun(dataDir, 1, 2);
    const b = await shardRun(dataDir, 2, 3);
    await expect(mergeShardRuns({ shards: [a, b], missing: [], dataDir: join(root, 'out-mixed'), source: ci() })).rejects.toThrow(
      /shard counts differ/,
    );
    const other: ShardCandidate = {
      dir: b.dir,
      manifest: {
        ...b.manifest,
        shard: { index: 2, count: 2 },
        config: { ...b.manifest.config, digest: `sha256:${'0'.repeat(64)}` },
      } as RunManifest,
    };
    await expect(mergeShardRuns({ shards: [a, other], missing: [], dataDir: join(root, 'out-mixed2'), source: ci() })).rejects.toThrow(
      /configs differ/,
    );
  });
});
