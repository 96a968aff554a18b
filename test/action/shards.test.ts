import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runManifestSchema, type RunManifest } from '../../schemas/run-manifest.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { uploadArtifactStep } from '../github-api/upload-artifact-step.ts';
import { createTestRepo, evalCommand, git, REPOSITORY, ROOT, runAction, type EventKind, type TestRepo } from './harness.ts';
import { tracesOnRef } from '../helpers/run-traces.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { expandTraces } from '../../src/store/compact-traces.ts';

function manifestOn(repo: TestRepo, branch: string, id: string): RunManifest {
  return runManifestSchema.parse(JSON.parse(git(repo.remote, 'show', `${branch}:experiments/demo/runs/${id}/run.json`)));
}

describe('sharded evaluation', () => {
  it('shards 1/2 and 2/2 push their parts; merge joins them into one complete run', async () => {
    const repo = await createTestRepo();
    const inputs = {
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=80'),
      'data-branch': 'labbook-data',
    };
    const shards = await Promise.all(['1/2', '2/2'].map((shard) => runAction({ repo, job: 'evaluate', inputs: { ...inputs, shard } })));
    for (const shard of shards) expect(shard.code, shard.stdout).toBe(0);
    expect(shards.map((s) => s.outputs['run-id'])).toEqual([
      expect.stringMatching(/-baseline-gh4242\.1-s1of2-/),
      expect.stringMatching(/-baseline-gh4242\.1-s2of2-/),
    ]);
    expect(shards[0]!.summary).toContain('shard 1 of 2');

    const merged = await runAction({
      repo,
      job: 'merge',
      inputs: { mode: 'merge', experiment: 'demo', config: 'configs/baseline.yaml', 'data-branch': 'labbook-data' },
    });
    expect(merged.code, merged.stdout).toBe(0);
    expect(merged.stdout).toContain('merging 2 of 2 shards');
    const manifest = manifestOn(repo, 'labbook-data', merged.outputs['run-id']!);
    expect(manifest).toMatchObject({
      status: 'completed',
      counts: { traces: 80 },
      config: { name: 'baseline' },
      source: { kind: 'ci', job: 'merge' },
    });
    expect(manifest.shard).toBeUndefined();
    expect(manifest.merge).toEqual({
      shards: [
        { index: 1, runId: shards[0]!.outputs['run-id'] },
        { index: 2, runId: shards[1]!.outputs['run-id'] },
      ],
      missing: [],
    });
    const traces = tracesOnRef(repo.remote, 'labbook-data', `experiments/demo/runs/${manifest.id}`).trim().split('\n');
    expect(new Set(traces.map((t) => JSON.parse(t).exampleId)).size).toBe(80);
    expect(merged.summary).toContain('Merged from shards 1: ');
  });

  it('a shard that never arrived gives a partial run that names it', async () => {
    const repo = await createTestRepo();
    const inputs = { experiment: 'demo', config: 'configs/worse.yaml', 'data-branch': 'labbook-data' };
    const only = await runAction({ repo, runId: '777', inputs: { ...inputs, command: evalCommand(), shard: '2/3' } });
    expect(only.code).toBe(0);
    // A shard of another workflow run is never mixed in.
    await runAction({ repo, runId: '778', inputs: { ...inputs, command: evalCommand(), shard: '1/3' } });
    const merged = await runAction({ repo, runId: '777', job: 'merge', inputs: { ...inputs, mode: 'merge' } });
    expect(merged.code).toBe(0);
    expect(merged.outputs.status).toBe('partial');
    const manifest = manifestOn(repo, 'labbook-data', merged.outputs['run-id']!);
    expect(manifest.merge).toEqual({ shards: [{ index: 2, runId: only.outputs['run-id'] }], missing: [1, 3] });
    expect(manifest.statusReason).toBe('missing shards 1, 3 of 3: no run arrived');
    expect(merged.stdout).toContain('::warning::the run');
    expect(merged.summary).toContain('**missing shards: 1, 3**');
  });

  it('a merge with no shard runs fails with a message that says what to check', async () => {
    const repo = await createTestRepo();
    const merged = await runAction({ repo, job: 'merge', inputs: { mode: 'merge', experiment: 'demo', config: 'configs/baseline.yaml' } });
    expect(merged.code).toBe(1);
    expect(merged.stdout).toContain('::error::no shard runs of config baseline from workflow run 4242 on master');
  });
});

describe("merge checks the shard runs against this workflow run's evidence", () => {
  it(
    'merges the shards its jobs recorded, and refuses a newer "attempt" someone pushed to the data branch',
    { timeout: 120_000 },
    async () => {
      const api = await startFakeGithub({ repository: REPOSITORY });
      try {
        const repo = await createTestRepo();
        api.addWorkflowRun({ id: 4242, headSha: repo.sha });
        const inputs = {
          experiment: 'demo',
          config: 'configs/baseline.yaml',
          command: evalCommand('EVAL_EXAMPLES=40'),
          'data-branch': 'labbook-data',
          'github-token': 'ghs_merge',
        };
        const shards = [];
        for (const shard of ['1/2', '2/2'])
          shards.push(await runAction({ repo, apiUrl: api.url, job: 'evaluate', inputs: { ...inputs, shard } }));
        for (const shard of shards) {
          expect(shard.code, shard.stdout).toBe(0);
          uploadArtifactStep(api, 4242, shard.outputs['evidence-path']!); // the workflow's upload step
        }

        // A writer pushes "attempt 2" of shard 2, with every answer right, sealed: it would win the selection.
        const genuine = shards[1]!.outputs['run-id']!;
        const forged = genuine.replace('-gh4242.1-', '-gh4242.2-');
        const clone = await mkdtemp(join(repo.root, 'forge-'));
        git(repo.root, 'clone', '-q', '--branch', 'labbook-data', repo.remote, clone);
        const runs = join(clone, 'experiments', 'demo', 'runs');
        await cp(join(runs, genuine), join(runs, `${forged}.tmp`), { recursive: true });
        await rename(join(runs, `${forged}.tmp`), join(runs, forged));
        await expandTraces(join(runs, forged), await readRunManifest(join(runs, forged))); // the forger edits plain JSON
        const traces = join(runs, forged, 'traces.jsonl');
        await writeFile(traces, (await readFile(traces, 'utf8')).replaceAll('"value":false', '"value":true'));
        const source = manifestOn(repo, 'labbook-data', genuine).source;
        await finishRun(join(runs, forged), {
          patch: { id: forged, source: { ...source, workflowRunAttempt: '2' } as RunManifest['source'] },
        });
        git(clone, 'add', '-A');
        git(clone, '-c', 'user.name=mallory', '-c', 'user.email=m@example.invalid', 'commit', '-qm', 'shard 2, attempt 2');
        git(clone, 'push', '-q', 'origin', 'labbook-data');

        const merged = await runAction({
          repo,
          apiUrl: api.url,
          job: 'merge',
          inputs: {
            mode: 'merge',
            experiment: 'demo',
            config: 'configs/baseline.yaml',
            'data-branch': 'labbook-data',
            'github-token': 'ghs_merge',
          },
        });
        expect(merged.code, merged.stdout).toBe(0);
        expect(merged.stdout).toContain(
          `::warning::not merged: ${forged}: workflow run 4242 has no artifact labbook-demo-${forged}.SHA256SUMS: no job of this workflow run recorded it`,
        );
        const manifest = manifestOn(repo, 'labbook-data', merged.outputs['run-id']!);
        expect(manifest.merge).toEqual({
          shards: [
            { index: 1, runId: shards[0]!.outputs['run-id'] },
            { index: 2, runId: genuine },
          ],
          missing: [],
        });
        expect(
          api.requests
            .filter((r) => r.path === `/repos/${REPOSITORY}/actions/runs/4242/artifacts`)
            .map((r) => r.query.name)
            .sort(),
        ).toEqual([shards[0]!.outputs['run-id'], genuine, forged].map((id) => `labbook-demo-${id}.SHA256SUMS`).sort());
      } finally {
        await api.close();
      }
    },
  );

  it('says so when it cannot check them (no token), and writes no evidence for the merged run', async () => {
    const repo = await createTestRepo();
    const inputs = { experiment: 'demo', config: 'configs/baseline.yaml', 'data-branch': 'labbook-data' };
    expect((await runAction({ repo, job: 'evaluate', inputs: { ...inputs, command: evalCommand(), shard: '1/1' } })).code).toBe(0);
    const merged = await runAction({ repo, job: 'merge', inputs: { ...inputs, mode: 'merge' } });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain(
      "::warning::the shard runs were not checked against this workflow run's evidence artifacts (no github-token)",
    );
    // Nothing vouches for the merged run, so nothing makes it deployable: no evidence file to upload.
    expect(merged.outputs['evidence-path'] ?? '').toBe('');
    expect(merged.stdout).toContain(
      "::warning::no evidence file for this run, so deploy will refuse it: its shard runs were not checked against this workflow run's artifacts (no github-token)",
    );
  });
});

/**
 * The demo's evaluation (examples/evaluate.ts with the SDK and the demo agent) through the
 * bundled action, as the evaluate.yml workflow runs it: three configs, each sharded 1/2 and
 * 2/2 and merged, first on a push to the default branch, then on a pull request, where each
 * config's merged run is compared with the push's and commented on.
 */
describe('the demo through the bundled action', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY });
  });
  afterAll(async () => {
    await api.close();
  });

  it('evaluates three configs sharded and merged, summarises them and comments once per config', { timeout: 300_000 }, async () => {
    const configs = readdirSync(join(ROOT, 'examples', 'configs'))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(configs).toHaveLength(3);
    const files: Record<string, string> = {
      'examples/data/dataset.jsonl': readFileSync(join(ROOT, 'examples/data/dataset.jsonl'), 'utf8'),
    };
    for (const config of configs) files[`examples/configs/${config}`] = readFileSync(join(ROOT, 'examples/configs', config), 'utf8');
    const repo = await createTestRepo('labbook-demo-', files);
    const dataset = files['examples/data/dataset.jsonl']!.trim().split('\n').length;
    const command = `"${process.execPath}" "${join(ROOT, 'bin', 'tsx.js')}" "${join(ROOT, 'examples', 'evaluate.ts')}"`;
    const common = {
      experiment: 'demo',
      dataset: 'examples/data/dataset.jsonl',
      'data-branch': 'labbook-data',
      'github-token': 'ghs_demo',
    };

    const evaluateAll = async (event: EventKind, runId: string) => {
      const shardRuns = await Promise.all(
        configs.flatMap((config) =>
          ['1/2', '2/2'].map((shard) =>
            runAction({
              repo,
              event,
              runId,
              apiUrl: api.url,
              job: 'evaluate',
              inputs: { ...common, config: `examples/configs/${config}`, command, shard },
            }),
          ),
        ),
      );
      for (const run of shardRuns) expect(run.code, run.stdout).toBe(0);
      const merges = await Promise.all(
        configs.map((config) =>
          runAction({
            repo,
            event,
            runId,
            apiUrl: api.url,
            job: 'merge',
            inputs: { ...common, mode: 'merge', config: `examples/configs/${config}`, dataset: '' },
          }),
        ),
      );
      for (const run of merges) expect(run.code, run.stdout).toBe(0);
      return merges;
    };

    const onPush = await evaluateAll('push', '100');
    for (const run of onPush) {
      const manifest = manifestOn(repo, 'labbook-data', run.outputs['run-id']!);
      expect(manifest).toMatchObject({ status: 'completed', counts: { traces: dataset }, merge: { missing: [] } });
      expect(manifest.dataset?.path).toBe('examples/data/dataset.jsonl');
    }
    // The three configs score measurably differently.
    const correct = onPush.map((run) => JSON.parse(run.outputs.metrics!).scores.correct.mean as number);
    expect(new Set(correct.map((m) => m.toFixed(3))).size).toBe(3);

    const onPr = await evaluateAll('pull_request', '101');
    const comments = api.comments.get(2) ?? [];
    for (const [i, config] of configs.entries()) {
      const name = config.replace(/\.yaml$/, '');
      const mine = comments.filter((c) => c.body?.startsWith(`<!-- labbook:demo:${name} -->`));
      expect(mine, name).toHaveLength(1);
      expect(mine[0]!.body).toContain(`Compared with \`${onPush[i]!.outputs['run-id']}\``);
      expect(onPr[i]!.outputs['baseline-run-id']).toBe(onPush[i]!.outputs['run-id']);
      expect(onPr[i]!.summary).toMatch(/\| Metric \| This run \| Baseline \| Δ \(95% CI\) \| Verdict \|/);
    }
    // Shards never comment; each merge posted its one comment.
    expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues/2/comments'))).toHaveLength(3);
    // 6 shard runs and 3 merged runs per event.
    expect(git(repo.remote, 'ls-tree', '--name-only', 'labbook-data:experiments/demo/runs').trim().split('\n')).toHaveLength(18);
  });
});
