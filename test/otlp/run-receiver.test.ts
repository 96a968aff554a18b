import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../schemas/trace.ts';
import { REPO } from '../docs/labbook-package.ts';
import { runCli } from '../helpers/run-cli.ts';
import { plainTracesSync } from '../helpers/run-traces.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * An agent instrumented with OpenTelemetry only (fixtures/otel-agent.mjs: the official SDK and
 * its OTLP exporters, protobuf and JSON), started by `labbook run` with plain node: its spans
 * reach the run's receiver through OTEL_EXPORTER_OTLP_* and become traces, scores included,
 * that pair across two runs and pass `labbook validate`.
 */
const project = tempDir('labbook-otlp-run-');
const LABBOOK = resolve('bin/labbook.js');
const execFileAsync = promisify(execFile);
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const DATASET = [
  { id: 'add', input: { question: 'What is 2 + 3?' }, expected: '5' },
  { id: 'capital', input: { question: 'Capital of France?' }, expected: 'Paris' },
  { id: 'fail', input: { question: '1 / 0?' }, expected: 'undefined' },
  { id: 'by-line', input: { question: 'What is 10 + 32?' }, expected: '42' },
];

beforeAll(() => {
  // The agent's imports resolve through the repository's node_modules, as a user's would through theirs.
  symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  cpSync(join(import.meta.dirname, 'fixtures', 'otel-agent.mjs'), join(project, 'agent.mjs'));
  writeFileSync(join(project, 'data.jsonl'), `${DATASET.map((row) => JSON.stringify(row)).join('\n')}\n`);
  writeFileSync(join(project, 'agent.yaml'), 'model: gpt-4o-mini\n');
  mkdirSync(join(project, 'experiments'));
});

async function runAgent(exporter: 'proto' | 'http' | 'grpc', extra: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(
    ['run', '--experiment', 'qa', '--create', '--config', 'agent.yaml', '--dataset', 'data.jsonl', ...extra, '--', 'node', 'agent.mjs'],
    {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '', EXPORTER: exporter, ...env },
    },
  );
  const id = /run (\S+) (completed|failed|partial)/.exec(result.stdout)?.[1];
  const dir = id ? join(project, 'experiments', 'qa', 'runs', id) : '';
  const stored = id && (existsSync(join(dir, 'traces')) || existsSync(join(dir, 'traces.jsonl')));
  const traces = stored
    ? (plainTracesSync(dir)
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)) as Trace[])
    : [];
  return { ...result, id, traces };
}

describe('labbook run with an agent instrumented with OpenTelemetry only', () => {
  it(
    'records every example from the official protobuf exporter, with spans, usage, tool calls and scores',
    { timeout: 120_000 },
    async () => {
      const run = await runAgent('proto');
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('agent answered 4 examples');
      expect(run.stderr).toMatch(/labbook otlp: received 12 spans in \d+ requests? → 4 traces/);
      expect(run.traces).toHaveLength(4);
      const byExample = new Map(run.traces.map((t) => [t.exampleId, t]));
      expect([...byExample.keys()].sort()).toEqual(['add', 'by-line', 'capital', 'fail']);

      const add = byExample.get('add')!;
      expect(add.input).toEqual({ question: 'What is 2 + 3?' });
      expect(add.expected).toBe('5');
      expect(add.status).toBe('ok');
      expect(add.spans).toHaveLength(3);
      const root = add.spans.find((s) => s.parentId === null)!;
      expect(root.name).toBe('agent');
      const llm = add.spans.find((s) => s.name === 'chat gpt-4o-mini')!;
      expect(llm).toMatchObject({ type: 'CHAT_MODEL', model: 'gpt-4o-mini', parentId: root.id, usage: { input: 12, output: 3 } });
      expect(llm.end - llm.start).toBeGreaterThanOrEqual(4);
      expect(add.spans.find((s) => s.name === 'calculator')).toMatchObject({ type: 'TOOL', parentId: root.id });
      expect(add.scores).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'correct', value: 1, rationale: 'checked by the toy agent' }),
          expect.objectContaining({ name: 'quality', value: 0.5 }),
        ]),
      );
      // Tied by its dataset line: id, input and expected come from that line.
      expect(byExample.get('by-line')).toMatchObject({ input: { question: 'What is 10 + 32?' }, expected: '42' });
      expect(byExample.get('fail')!.spans.find((s) => s.name === 'calculator')).toMatchObject({ status: 'error' });

      const validate = await runCli(['validate', 'experiments/qa'], { cwd: project });
      expect(validate.code, `${validate.stdout}${validate.stderr}`).toBe(0);
    },
  );

  it('records the same from the JSON exporter, and the two runs pair on every example', { timeout: 120_000 }, async () => {
    const run = await runAgent('http');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.traces.map((t) => t.exampleId).sort()).toEqual(['add', 'by-line', 'capital', 'fail']);
    const ids = readdirSync(join(project, 'experiments', 'qa', 'runs')).sort();
    expect(ids).toHaveLength(2);
    const compare = await runCli(['compare', ids[0]!, ids[1]!, '--format', 'json'], { cwd: project });
    expect(compare.code, compare.stderr).toBe(0);
    const comparison = JSON.parse(compare.stdout) as { alignment: { key: string; matched: number } };
    expect(comparison.alignment).toMatchObject({ key: 'exampleId', matched: 4 });
  });

  it('records the same from the official gRPC exporter, gzip-compressed, on the same endpoint', { timeout: 120_000 }, async () => {
    const run = await runAgent('grpc', [], { GZIP: '1' });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/labbook otlp: received 12 spans in \d+ requests? → 4 traces/);
    expect(run.stderr).not.toMatch(/refused|HTTP\/2/);
    const add = run.traces.find((t) => t.exampleId === 'add')!;
    expect(add.spans.find((s) => s.name === 'chat gpt-4o-mini')).toMatchObject({ type: 'CHAT_MODEL', usage: { input: 12, output: 3 } });
    expect(add.scores).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'correct', value: 1 })]));
    expect(run.traces.map((t) => t.exampleId).sort()).toEqual(['add', 'by-line', 'capital', 'fail']);
  });

  it('runs no receiver with --no-otlp: the spans go nowhere and the run says it has no traces', { timeout: 120_000 }, async () => {
    const run = await runAgent('proto', ['--no-otlp']);
    expect(run.stderr).not.toContain('labbook otlp: received');
    expect(run.traces).toEqual([]);
  });
});

describe('a disk that fills while the receiver writes', () => {
  it('ends the run with what to do, leaving it for repair: no crash, no hang', { timeout: 120_000 }, async () => {
    // traces.jsonl made /dev/full before the agent sends anything: every write of it fails with
    // ENOSPC. The first agent's traces are written during the pause (their grace period over),
    // and fail; the second's are received after that failure (the receiver crashed from its
    // timer on them before); then the command ends.
    const command = [
      'rm -f "$LABBOOK_RUN_DIR/traces.jsonl"; ln -s /dev/full "$LABBOOK_RUN_DIR/traces.jsonl"',
      'node agent.mjs && sleep 2.6 && node agent.mjs && sleep 2.6',
    ].join('; ');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '', EXPORTER: 'proto' };
    const args = [
      'run',
      '--experiment',
      'full',
      '--create',
      '--config',
      'agent.yaml',
      '--dataset',
      'data.jsonl',
      '--',
      'bash',
      '-c',
      command,
    ];
    const run = await execFileAsync(process.execPath, [LABBOOK, ...args], { cwd: project, env, timeout: 90_000 }).then(
      () => {
        throw new Error('labbook run succeeded on a full disk');
      },
      (error: { code: number | null; signal: string | null; stdout: string; stderr: string }) => error,
    );
    expect(run.signal, 'labbook run did not end by itself').toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('labbook otlp: could not write the received traces (ENOSPC');
    expect(run.stderr).toMatch(/labbook otlp: received 24 spans in \d+ requests? → 8 traces \(8 traces not written\)/);
    const id = /Run (\S+) is not sealed; once that is fixed, "labbook repair \1" seals it/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    expect(run.stderr).toContain('no space left on the device (ENOSPC)');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace

    // Space made: the run seals, with what reached the disk (here nothing).
    rmSync(join(project, 'experiments', 'full', 'runs', id!, 'traces.jsonl'));
    const repair = await runCli(['repair', id!], { cwd: project, env });
    expect(repair.code, repair.stderr).toBe(0);
    const validate = await runCli(['validate', join('experiments', 'full')], { cwd: project, env });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  });
});

describe('a trace no run can hold', () => {
  it('is left out with its reason, and the others of its request are recorded', { timeout: 120_000 }, async () => {
    // OTLP JSON lets an exporter write any string as a trace id; one with a TAB could never be
    // annotated, so the store refuses it. It used to end the receiver from its timer.
    const span = (traceId: string, spanId: string) => ({
      traceId,
      spanId,
      name: 'agent',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000500000000',
      attributes: [{ key: 'labbook.example.input', value: { stringValue: '"q"' } }],
    });
    const body = {
      resourceSpans: [{ scopeSpans: [{ spans: [span('bad\ttrace', '1111111111111111'), span(TRACE_ID, '2222222222222222')] }] }],
    };
    writeFileSync(
      join(project, 'send.mjs'),
      `const r = await fetch(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, { method: 'POST', body: ${JSON.stringify(JSON.stringify(body))}, headers: { 'Content-Type': 'application/json' } });\nif (r.status !== 200) process.exit(1);\n`,
    );
    const run = await runCli(['run', '--experiment', 'held', '--create', '--config', 'agent.yaml', '--', 'node', 'send.mjs'], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('labbook otlp: trace "bad\\ttrace" not recorded: trace id "bad\\ttrace" contains control');
    expect(run.stderr).toContain('received 2 spans in 1 request → 2 traces (1 trace not written)');
    const id = /run (\S+) completed/.exec(run.stdout)?.[1];
    const traces = plainTracesSync(join(project, 'experiments', 'held', 'runs', id!))
      .trim()
      .split('\n');
    expect(traces.map((line) => (JSON.parse(line) as Trace).id)).toEqual([TRACE_ID]);
  });
});

describe('evaluators for received traces', () => {
  it('are checked by validate and run alike: an option a built-in does not take is named, with its line', async () => {
    const file = join(project, 'experiments', 'qa', 'experiment.yaml');
    writeFileSync(file, 'name: qa\nevaluators:\n  - name: exact\n    use: exactMatch\n    with: { normalise: true }\n  - use: regex\n');
    try {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '' };
      const validate = await runCli(['validate'], { cwd: project, env });
      expect(validate.code).toBe(1);
      expect(validate.stderr).toContain(
        'experiment.yaml:5:24: evaluators.0.with.normalise: "normalise" is not an option of exactMatch (it takes normalize) (got true) (and 1 more problem in this file)',
      );
      const run = await runCli(['run', '--experiment', 'qa', '--config', 'agent.yaml', '--', 'node', '-e', ''], { cwd: project, env });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('"normalise" is not an option of exactMatch');
    } finally {
      writeFileSync(file, 'name: qa\n');
    }
  });

  it(
    'scores each received trace with experiment.yaml evaluators and --evaluator, keeping the agent’s own scores',
    { timeout: 120_000 },
    async () => {
      writeFileSync(join(project, 'experiments', 'qa', 'experiment.yaml'), 'name: qa\nevaluators:\n  - name: exact\n    use: exactMatch\n');
      const run = await runAgent('proto', ['--evaluator', 'fast=latencyBudget:{"ms":60000}', '--evaluator', 'correct=exactMatch']);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const add = run.traces.find((t) => t.exampleId === 'add')!;
      expect(add.output).toBe('5');
      const byName = Object.fromEntries(add.scores.map((s) => [s.name, s]));
      expect(byName.exact).toMatchObject({ value: true, evaluator: 'exactMatch' });
      expect(byName.fast).toMatchObject({ value: true });
      // The agent sent its own "correct" (an evaluation event): it stays, the evaluator is not applied over it.
      expect(byName.correct).toMatchObject({ value: 1, rationale: 'checked by the toy agent' });
      expect(run.stderr).toMatch(/the agent sent a score "correct"; the evaluator of that name is not applied/);
    },
  );

  it('refuses a wrong --evaluator before the command runs, saying what is wrong', async () => {
    for (const [flag, message] of [
      ['correct=exactly', /no built-in evaluator "exactly"/],
      ['regex', /--evaluator "regex": regex needs "with.pattern" \(a string\)/],
      ['fast=latencyBudget:{ms:1}', /options after ":" are not JSON/],
      ['correct=exactMatch:{"normalise":true}', /"normalise" is not an option of exactMatch \(it takes normalize\)/],
      ['correct=exactMatch:{"normalize":"yes"}', /exactMatch's "normalize" must be true or false/],
    ] as const) {
      const result = await runCli(['run', '--experiment', 'qa', '--config', 'agent.yaml', '--evaluator', flag, '--', 'node', '-e', ''], {
        cwd: project,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '' },
      });
      expect(result.code, flag).not.toBe(0);
      expect(result.stderr, flag).toMatch(message);
    }
  });
});
