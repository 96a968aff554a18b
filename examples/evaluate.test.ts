import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { plainTracesSync } from '../test/helpers/run-traces.ts';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../schemas/trace.ts';

const root = resolve(import.meta.dirname, '..');
const labbook = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'labbook.js'), ...args], { cwd: root, encoding: 'utf8' });

describe('examples/evaluate.ts under labbook run', () => {
  it('writes one scored trace per example into a run that validates', () => {
    const data = mkdtempSync(join(tmpdir(), 'demo-eval-'));
    const run = labbook(
      'run',
      '--data',
      data,
      '--experiment',
      'demo',
      '--config',
      'examples/configs/tool-first.yaml',
      '--dataset',
      'examples/data/dataset.jsonl',
      '--quiet',
      '--create',
      '--',
      process.execPath,
      'bin/tsx.js',
      'examples/evaluate.ts',
    );
    expect(run.status, run.stderr).toBe(0);

    const runsDir = join(data, 'demo', 'runs');
    const [runId] = readdirSync(runsDir);
    const lines = plainTracesSync(join(runsDir, runId!)).trim().split('\n');
    const traces = lines.map((line) => JSON.parse(line) as Trace);
    const datasetSize = readFileSync(join(root, 'examples', 'data', 'dataset.jsonl'), 'utf8')
      .trim()
      .split('\n').length;
    expect(traces).toHaveLength(datasetSize);

    const scoreNames = (trace: Trace) => trace.scores.map((score) => score.name).sort();
    const calculation = traces.find((trace) => trace.metadata?.category === 'calculation')!;
    const lookup = traces.find((trace) => trace.metadata?.category === 'lookup')!;
    const common = [
      'answer_type',
      'correct',
      'exact_match',
      'grounded',
      'includes',
      'latency_budget',
      'simulated_latency_ms',
      'token_budget',
    ];
    expect(scoreNames(lookup)).toEqual(common);
    expect(scoreNames(calculation)).toEqual([...common, 'numeric_close'].sort());
    expect(traces.every((trace) => trace.scores.every((score) => score.error === undefined))).toBe(true);
    expect(lookup.spans.find((span) => span.type === 'LLM')?.usage?.simulated).toBe(true);

    expect(labbook('validate', '--data', data).status).toBe(0);
  });
});
