import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TraceWriter } from '../store/trace-writer.ts';
import { NestedTraceError, UsageError } from '../errors/index.ts';
import { runEnvironment } from '../store/run-env.ts';
import { finishRun } from '../store/finish-run.ts';
import { readRunManifest, readRunMetrics } from '../store/run-reader.ts';
import { createRun } from '../store/run-writer.ts';
import { readPlainTraces } from '../store/trace-storage.ts';
import { appendTrace } from './append-trace.ts';
import { evaluators, span, startRun } from './index.ts';

let tmp: string;
let configPath: string;
let dataDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'labbook-sdk-'));
  configPath = join(tmp, 'baseline.yaml');
  dataDir = join(tmp, 'experiments');
  await writeFile(configPath, 'model: demo-small\nparams:\n  depth: 3\n');
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const examples = Array.from({ length: 30 }, (_, i) => ({ id: `q-${i}`, input: { a: i, b: 2 }, expected: String(i * 2) }));

/** A toy agent: multiplies, wrong for every seventh example, throws on the tenth. */
async function agent(example: (typeof examples)[number]): Promise<string> {
  return span('agent', 'AGENT', async () => {
    const product = await span('multiply', 'TOOL', async (s) => {
      s.setInputs(example.input);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return example.input.a * example.input.b;
    });
    if (example.input.a === 10) throw new Error('tool timeout');
    await span('answer', 'LLM', async (s) => s.setModel('demo-small').setUsage({ input: 20, output: 4, simulated: true }));
    return String(example.input.a % 7 === 3 ? product + 1 : product);
  });
}

const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('a standalone run', () => {
  it('is created, filled and sealed with metrics', async () => {
    const listeners = process.listenerCount('SIGTERM');
    const datasetPath = join(tmp, 'questions.jsonl');
    await writeFile(datasetPath, examples.map((e) => JSON.stringify(e)).join('\n'));
    const run = await startRun({ experiment: 'demo', configPath, dataDir, datasetPath, name: 'baseline run', env: {} });
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
    expect(run.mode).toBe('standalone');
    expect(run.config).toEqual({ model: 'demo-small', params: { depth: 3 } });
    expect(run.dir).toBe(join(dataDir, 'demo', 'runs', run.id));
    expect(run.datasetPath).toBe(datasetPath);
    expect(run.shard).toBeUndefined();

    const traces = await run.map(examples, (example) => agent(example), {
      concurrency: 4,
      evaluators: [evaluators.exactMatch(), evaluators.latencyBudget(10_000)],
    });
    expect(traces.map((t) => t.exampleId)).toEqual(examples.map((e) => e.id));
    const result = await run.finish();
    expect(process.listenerCount('SIGTERM')).toBe(listeners);

    expect(result!.errors).toEqual([]);
    expect(result!.manifest).toMatchObject({
      status: 'completed',
      name: 'baseline run',
      counts: { traces: 30, errors: 1, spans: 89, scores: 60 },
    });
    expect(result!.manifest.dataset).toMatchObject({ path: datasetPath, size: expect.any(Number) });
    const metrics = await readRunMetrics(run.dir);
    expect(metrics.traces).toMatchObject({ count: 30, errors: 1 });
    // 30 examples: a % 7 === 3 for a = 3, 10, 17, 24; a = 10 also threw → 26 correct.
    expect(metrics.scores.exact_match).toMatchObject({ kind: 'boolean', count: 30, mean: 26 / 30 });
    expect(existsSync(join(run.dir, 'SHA256SUMS'))).toBe(true);
    const sealed = (await readPlainTraces(run.dir))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(sealed).toHaveLength(30);

    const failed = sealed.find((t) => t.exampleId === 'q-10');
    expect(failed).toMatchObject({ status: 'error', error: 'tool timeout' });
    expect(failed.spans.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['agent', 'error'],
      ['multiply', 'ok'],
    ]);

    expect(await run.finish()).toBe(result);
    await expect(run.trace(examples[0]!, () => 'late')).rejects.toThrow(UsageError);
  });

  it('waits for traces still in flight when finished', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    const pending = run.trace({ input: 'slow' }, () => new Promise((resolve) => setTimeout(() => resolve('done'), 30)));
    const result = await run.finish();
    expect((await pending).output).toBe('done');
    expect(result!.manifest.counts.traces).toBe(1);
  });

  it('can be sealed with another status', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    await run.trace({ input: 1 }, () => 1);
    const result = await run.finish({ status: 'partial', statusReason: 'budget exhausted' });
    expect(result!.manifest).toMatchObject({ status: 'partial', statusReason: 'budget exhausted' });
  });

  it('splits examples over shards, each exactly once', async () => {
    const seen: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const run = await startRun({ experiment: 'demo', configPath, dataDir, shard, env: {} });
      const traces = await run.map(examples, (e) => e.expected);
      expect(traces.length).toBeGreaterThan(0);
      expect(traces.every((t) => run.inShard({ id: t.exampleId }))).toBe(true);
      seen.push(...traces.map((t) => t.exampleId));
      const result = await run.finish();
      expect(result!.manifest.shard).toEqual({ index: Number(shard[0]), count: 3 });
    }
    expect(seen.sort()).toEqual(examples.map((e) => e.id).sort());
  });

  it('takes the shard from LABBOOK_SHARD and refuses a bad one', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: { LABBOOK_SHARD: '2/2' } });
    expect(run.shard).toEqual({ index: 2, count: 2 });
    await run.finish();
    await expect(startRun({ experiment: 'demo', configPath, dataDir, env: { LABBOOK_SHARD: '3/2' } })).rejects.toThrow(
      'invalid shard "3/2"',
    );
  });

  it('needs an experiment and a config', async () => {
    await expect(startRun({ env: {} })).rejects.toThrow(UsageError);
    await expect(startRun({ experiment: 'demo', configPath: join(tmp, 'missing.yaml'), dataDir, env: {} })).rejects.toThrow(
      'config not found',
    );
    await expect(startRun({ experiment: '../up', configPath, dataDir, env: {} })).rejects.toThrow(/experiment/);
  });
});

describe('a trace nested in another trace of the same run', () => {
  const three = examples.slice(0, 3);

  it('is refused inside run.map, which rejects instead of recording the example twice', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    // The README's old sample: run.map already traces each example.
    const mapped = run.map(three, (example) => run.trace(example, () => example.expected), { concurrency: 2 });
    await expect(mapped).rejects.toThrow(NestedTraceError);
    await expect(mapped).rejects.toThrow(/inside run\.map\(\)'s callback \(example "q-0"\).*record it twice/);
    const result = await run.finish();
    expect(result!.manifest.counts.traces).toBe(0);
  });

  it('is refused inside run.trace, from a span too, and leaves no trace behind', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    const outer = run.trace(three[0]!, () => span('agent', 'AGENT', () => run.trace(three[1]!, () => 'inner')));
    await expect(outer).rejects.toThrow(/inside the trace of example "q-0": a trace cannot contain another trace.*span\(\)/);
    const result = await run.finish();
    expect(result!.manifest.counts.traces).toBe(0);
  });

  it('is refused even when the script catches it, so nothing is recorded twice', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    let caught: unknown;
    await run.map(three, async (example) => {
      await run.trace(example, () => 'inner').catch((error: unknown) => (caught = error));
      return example.expected;
    });
    expect(caught).toBeInstanceOf(NestedTraceError);
    const result = await run.finish();
    expect(result!.manifest.counts.traces).toBe(3);
  });

  it('is allowed for another run, and the handle run.map passes records the example once', async () => {
    const run = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    const other = await startRun({ experiment: 'demo', configPath, dataDir, env: {} });
    await run.map(three, async (example, t) => {
      await other.trace(example, () => 'judge');
      t.score('checked', true);
      return example.expected;
    });
    const [mine, theirs] = [await run.finish(), await other.finish()];
    expect(mine!.manifest.counts).toMatchObject({ traces: 3, scores: 3 });
    expect(theirs!.manifest.counts.traces).toBe(3);
  });
});

describe('a run prepared by the runner', () => {
  async function prepare(shard?: { index: number; count: number }) {
    const { dir, manifest } = await createRun({
      dataDir,
      experiment: 'demo',
      configPath,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
      ...(shard ? { shard } : {}),
    });
    const env = runEnvironment({
      runDir: dir,
      runId: manifest.id,
      experiment: 'demo',
      dataDir,
      config: configPath,
      ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
    });
    return { dir, manifest, env };
  }

  it('is joined, filled, and left for the runner to seal', async () => {
    const { dir, manifest, env } = await prepare();
    const listeners = process.listenerCount('SIGTERM');
    // The options a script passes for standalone use are overridden by the prepared run.
    const run = await startRun({ experiment: 'other', configPath: join(tmp, 'ignored.yaml'), datasetPath: 'data.jsonl', env });
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
    expect(run).toMatchObject({ mode: 'joined', id: manifest.id, dir, experiment: 'demo', configPath, config: { model: 'demo-small' } });
    expect(run.datasetPath).toBe(join(process.cwd(), 'data.jsonl'));
    await run.map(examples.slice(0, 5), agent, { concurrency: 2 });
    expect(await run.finish()).toBeNull();
    expect(readLines(join(dir, 'traces.jsonl'))).toHaveLength(5);
    expect((await readRunManifest(dir)).status).toBe('running');
    const sealed = await finishRun(dir);
    expect(sealed.manifest).toMatchObject({ status: 'completed', counts: { traces: 5 } });
  });

  it('follows the prepared shard and refuses a contradicting one', async () => {
    const { env } = await prepare({ index: 1, count: 2 });
    const run = await startRun({ env });
    expect(run.shard).toEqual({ index: 1, count: 2 });
    await expect(startRun({ env, shard: '2/2' })).rejects.toThrow(/contradicts/);
  });

  it('refuses a run folder without run.json', async () => {
    await expect(startRun({ env: { LABBOOK_RUN_DIR: tmp } })).rejects.toThrow(/run.json/);
  });
});

describe('appendTrace', () => {
  it('writes values JSON cannot, and keeps a trace the schema refuses as an error trace', async () => {
    const { dir } = await createRun({
      dataDir,
      experiment: 'demo',
      configPath,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    const writer = new TraceWriter(dir);
    const circular: Record<string, unknown> = { n: 10n };
    circular.self = circular;
    const base = { exampleId: 'e', input: 'q', start: 1, end: 2, durationMs: 1 };
    appendTrace(writer, { ...base, id: 't1', output: circular });
    appendTrace(writer, { ...base, id: 't2', spans: [{ id: '', name: 'bad', start: 1, end: 2 }] });
    writer.close();
    const [first, second] = readLines(join(dir, 'traces.jsonl'));
    expect(first.output).toEqual({ n: '10', self: '[Circular]' });
    expect(second).toMatchObject({ id: 't2', exampleId: 'e', input: 'q', status: 'error', spans: [] });
    expect(second.error).toMatch(/could not be recorded as given .*spans\.0\.id/);
    expect((await finishRun(dir)).manifest).toMatchObject({ status: 'completed', counts: { traces: 2, errors: 1 } });
    await readFile(join(dir, 'metrics.json'), 'utf8');
  });
});
