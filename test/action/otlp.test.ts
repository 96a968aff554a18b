import { symlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { tracesOnRef } from '../helpers/run-traces.ts';
import { createTestRepo, REPOSITORY, ROOT, runAction } from './harness.ts';

/**
 * The action's evaluate mode with an agent that knows only OpenTelemetry (the official SDK and
 * protobuf exporter): the bundled action runs its receiver around the command, as `labbook run`
 * does, so the spans become the run's traces on the data branch.
 */
const DATASET = [
  '{"id": "a", "input": {"q": 1}, "expected": "1"}',
  '{"id": "b", "input": {"q": 2}, "expected": "2"}',
  '{"id": "c", "input": {"q": 3}, "expected": "3"}',
  '',
].join('\n');

describe('the action with an agent instrumented with OpenTelemetry only', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY });
  });
  afterAll(async () => {
    await api.close();
  });

  it('records the spans it receives as the run’s traces, and none with otlp: false', { timeout: 120_000 }, async () => {
    const repo = await createTestRepo('labbook-action-otlp-', {
      'agent.mjs': readFileSync(join(ROOT, 'test', 'otlp', 'fixtures', 'otel-agent.mjs'), 'utf8'),
      'data.jsonl': DATASET,
    });
    symlinkSync(join(ROOT, 'node_modules'), join(repo.workspace, 'node_modules'), 'dir');
    const inputs = {
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      dataset: 'data.jsonl',
      command: 'node agent.mjs',
      'github-token': 'ghs_test_token',
    };
    const run = await runAction({ repo, apiUrl: api.url, inputs });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/labbook otlp: received 9 spans in \d+ requests? → 3 traces/);
    const runPath = `experiments/demo/runs/${run.outputs['run-id']}`;
    const traces = tracesOnRef(repo.remote, 'master', runPath)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { exampleId: string; spans: unknown[] });
    expect(traces.map((t) => t.exampleId).sort()).toEqual(['a', 'b', 'c']);
    expect(traces.every((t) => t.spans.length === 3)).toBe(true);

    const off = await runAction({ repo, apiUrl: api.url, inputs: { ...inputs, otlp: 'false', name: 'no receiver' } });
    expect(`${off.stdout}${off.stderr}`).not.toContain('labbook otlp: received');
    expect(JSON.parse(off.outputs.metrics!).traces.count).toBe(0);
  });
});
