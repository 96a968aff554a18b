import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSource } from '../../schemas/run-manifest.ts';
import type { SpanInput } from '../../schemas/span.ts';
import type { TraceInput } from '../../schemas/trace.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';

/**
 * A data folder for analysis and export tests, written through the real store: experiment
 * `demo` (tracks `correct`, boolean, higher is better, and `quality`, number) with runs whose
 * traces have an AGENT root, a RETRIEVER, an LLM call with usage and cost, and tool calls
 * (some failing). `variant` shifts outputs, scores and usage so runs differ.
 */
export interface FixtureRun {
  id: string;
  dir: string;
}

export const CI_SOURCE: RunSource = {
  kind: 'ci',
  provider: 'github',
  serverUrl: 'https://github.com',
  repository: 'acme/agent',
  workflow: 'eval',
  workflowRunId: '4242',
  workflowRunAttempt: '1',
  job: 'evaluate',
  ref: 'refs/heads/main',
  sha: 'c0ffee0000000000000000000000000000000001',
  actor: 'octocat',
  event: 'push',
  runUrl: 'https://github.com/acme/agent/actions/runs/4242',
};

export async function writeExperiment(dataDir: string): Promise<void> {
  await ensureExperiment(dataDir, 'demo', {
    description: 'fixture',
    metrics: [
      { name: 'correct', direction: 'higher', kind: 'boolean' },
      { name: 'quality', direction: 'higher', kind: 'number' },
    ],
    primaryMetric: 'correct',
  });
}

/** Spans of trace `i` in a run of the given variant (0, 1, 2…). */
export function fixtureSpans(i: number, variant: number, start: number): SpanInput[] {
  const spans: SpanInput[] = [
    { id: 'root', parentId: null, name: 'agent', type: 'AGENT', start, end: start + 200 + i },
    { id: 'ret', parentId: 'root', name: 'search', type: 'RETRIEVER', start: start + 1, end: start + 11 + (i % 5) },
    {
      id: 'llm',
      parentId: 'root',
      name: 'answer',
      type: 'LLM',
      start: start + 20,
      end: start + 120 + i * 2 + variant * 10,
      model: variant === 0 ? 'small-model' : 'large-model',
      usage: { input: 100 + i + variant * 50, output: 20 + (i % 7), cached: i % 3 === 0 ? 10 : 0 },
      cost: { total: (100 + i + variant * 50) * 1e-5 },
    },
    {
      id: 'calc',
      parentId: 'llm',
      name: 'tool-call',
      type: 'TOOL',
      start: start + 30,
      end: start + 35 + (i % 4),
      attributes: { 'tool.name': 'calculator' },
      status: i % 5 === 0 ? 'error' : 'ok',
      ...(i % 5 === 0 ? { error: 'division by zero' } : {}),
    },
  ];
  if (i % 2 === 0) spans.push({ id: 'lookup', parentId: 'llm', name: 'table_lookup', type: 'TOOL', start: start + 40, end: start + 44 });
  return spans;
}

export function fixtureTrace(i: number, variant: number): TraceInput {
  const start = 1_700_000_000_000 + i * 1000;
  // Variant 0 fails every 4th example (75 %), the others every 10th (90 %).
  const correct = variant === 0 ? i % 4 !== 0 : i % 10 !== 0;
  return {
    id: `t${i}`,
    exampleId: `ex${i}`,
    input: { question: `What is ${i} + ${i}?` },
    output: i === 3 ? '=HYPERLINK("http://evil.example","x")' : `The answer is ${2 * i + (correct ? 0 : 1)}`,
    expected: `The answer is ${2 * i}`,
    status: i === 7 && variant === 1 ? 'error' : 'ok',
    ...(i === 7 && variant === 1 ? { error: 'timeout, "retry"\nlater' } : {}),
    start,
    end: start + 200 + i,
    durationMs: 200 + i + variant * 10,
    spans: fixtureSpans(i, variant, start),
    scores: [
      { name: 'correct', value: correct },
      { name: 'quality', value: ((i * 7 + variant * 3) % 10) / 10 },
      { name: 'tone', value: i % 3 === 0 ? 'formal' : 'casual' },
    ],
  };
}

export interface FixtureRunOptions {
  traces?: number;
  variant?: number;
  configText?: string;
  configName?: string;
  source?: RunSource;
  now?: Date;
  /** Leave the run `running` (no metrics.json). */
  unfinished?: boolean;
  /** The run's display name (defaults to the config name). */
  name?: string;
  /** Makes trace `i` (1-based) instead of fixtureTrace: hostile text, other scores. */
  trace?: (i: number, variant: number) => TraceInput;
}

export async function writeRun(root: string, dataDir: string, options: FixtureRunOptions = {}): Promise<FixtureRun> {
  const variant = options.variant ?? 0;
  const configFile = join(root, `${options.configName ?? `config-${variant}`}.yaml`);
  writeFileSync(
    configFile,
    options.configText ?? `model: ${variant === 0 ? 'small-model' : 'large-model'}\nparams:\n  top_k: ${3 + variant}\n`,
  );
  await writeExperiment(dataDir);
  const { dir, manifest } = await createRun({
    dataDir,
    experiment: 'demo',
    configPath: configFile,
    rootDir: root,
    source: options.source ?? { kind: 'local', host: 'host', user: 'user' },
    code: { commit: `abc${variant}def0000000000000000000000000000000000`, branch: 'main', dirty: false },
    now: options.now ?? new Date(Date.UTC(2026, 0, 1 + variant)),
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  const writer = new TraceWriter(dir);
  for (let i = 1; i <= (options.traces ?? 20); i++) writer.append((options.trace ?? fixtureTrace)(i, variant));
  writer.close();
  if (!options.unfinished) {
    const result = await finishRun(dir, { now: new Date(Date.UTC(2026, 0, 1 + variant, 1)) });
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('\n'));
  }
  return { id: manifest.id, dir };
}
