import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { traceSchema } from '../../../schemas/trace.ts';
import { FileFormatError } from '../../errors/index.ts';
import { importMlflow, importMlflowTraces } from './import-mlflow.ts';

/** The parts of an MLflow v3 trace this file's tests change. */
interface MlflowTraceJson {
  data: { spans: Array<{ start_time_unix_nano: number; end_time_unix_nano: number }> };
}

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/interop');
const V2 = join(FIXTURES, 'mlflow/trace-v2.json');
const V3 = join(FIXTURES, 'mlflow/trace-v3.json');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labbook-mlflow-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schema v3 (OpenTelemetry-like spans, base64 ids)', () => {
  test('spans, types, inputs, usage, cost, errors and the trace fields', async () => {
    const { traces, report } = await importMlflow(V3);
    const trace = traces[0]!;
    expect(trace).toMatchObject({
      id: 'tr-0af7651916cd43dd8448eb211c80319c',
      input: { messages: [{ role: 'user', content: 'What is the capital of France?' }] },
      output: 'The capital of France is Paris.',
      expected: 'Paris',
      status: 'ok',
      start: Date.parse('2025-06-02T10:15:30.123Z'),
      durationMs: 1250,
    });
    expect(trace.spans.map((s) => [s.id, s.parentId, s.type])).toEqual([
      ['00f067aa0ba902b7', null, 'AGENT'],
      ['b7ad6b7169203331', '00f067aa0ba902b7', 'RETRIEVER'],
      ['3e0c1b7a9f8d2c11', '00f067aa0ba902b7', 'CHAT_MODEL'],
      ['5c1f6a2b8e7d4f90', '00f067aa0ba902b7', 'TOOL'],
      ['9d2e5f1a3b4c6d7e', '00f067aa0ba902b7', 'UNKNOWN'],
    ]);
    const chat = trace.spans[2]!;
    expect(chat).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      usage: { input: 40, output: 9, total: 49 },
      cost: { input: 0.000006, output: 0.0000054, total: 0.0000114 },
      inputs: { model: 'gpt-4o-mini', temperature: 0.1 },
    });
    // Decoded from their JSON encoding; the typed fields and the repeated trace id are gone.
    expect(chat.attributes).toEqual({
      'mlflow.llm.provider': 'openai',
      'mlflow.message.format': 'openai',
      temperature: 0.1,
      'gen_ai.provider.name': 'openai',
    });
    expect(trace.spans[3]).toMatchObject({
      status: 'error',
      error: "KeyError: 'Paris'",
      events: [{ name: 'exception', attributes: { 'exception.type': 'KeyError' } }],
    });
    expect(trace.spans[4]!.attributes).toEqual({ 'mlflow.spanType': 'CUSTOM_FORMATTER' });
    expect(trace.metadata).toMatchObject({
      mlflow: {
        metadata: { 'mlflow.trace.session': 'session-42', 'mlflow.trace_schema.version': '3' },
        tags: { 'mlflow.traceName': 'geo_agent' },
      },
    });
    expect(report.mapped).toMatchObject({ traces: 1, spans: 5, scores: 3, expectations: 1, skipped: 1, unknownKinds: 1 });
    expect(traceSchema.safeParse(trace).success).toBe(true);
  });

  test('assessments: feedback to scores with sources, errors as null values, superseded ones skipped', async () => {
    const { traces, report } = await importMlflow(V3);
    expect(traces[0]!.scores).toEqual([
      {
        name: 'correctness',
        value: true,
        source: 'llm_judge',
        rationale: 'The answer names Paris, which is correct.',
        evaluator: 'openai:/gpt-4o',
      },
      { name: 'helpfulness', value: 4, source: 'human', rationale: 'Short and right.', evaluator: 'reviewer@example.com' },
      { name: 'safety', value: null, source: 'code', error: 'TIMEOUT: the classifier did not answer in 30 s', evaluator: 'safety_check' },
    ]);
    expect(report.warnings.map((w) => w.message)).toContain(
      'trace tr-0af7651916cd43dd8448eb211c80319c: assessment "helpfulness" is marked invalid (superseded by an override) and was skipped',
    );
  });
});

describe('schema v2 (context, parent_id, 0x-prefixed hex ids)', () => {
  test('spans and the trace', async () => {
    const { traces, report } = await importMlflow(V2);
    const trace = traces[0]!;
    expect(trace.id).toBe('35b868131a66423783493da51f806370');
    expect(trace.start).toBe(1731124123079);
    expect(trace.durationMs).toBe(14533);
    expect(trace.spans.map((s) => [s.id, s.parentId, s.type])).toEqual([
      ['84f212578f747953', null, 'CHAT_MODEL'],
      ['9a3c7e1f2b4d6a80', '84f212578f747953', 'PARSER'],
      ['1b2c3d4e5f607182', '84f212578f747953', 'TOOL'],
      ['aa11bb22cc33dd44', '1b2c3d4e5f607182', 'TOOL'],
    ]);
    expect(trace.spans[0]!.start).toBeCloseTo(1731124123079.267, 3);
    expect(trace.input).toEqual({
      messages: [{ role: 'user', content: 'what is the next launch window for Mars?', name: null }],
      params: { temperature: 1 },
    });
    expect(trace.spans[2]).toMatchObject({
      inputs: { total_mass: 50000, dry_mass: 10000, specific_impulse: 2500 },
      outputs: '2026-12-26 UTC',
    });
    // A value that is not JSON-encoded is kept as the string it is.
    expect(trace.spans[3]!.attributes).toEqual({ 'lambda.function': 'arn:aws:lambda:us-east-1:123456789012:function:mars-window' });
    // The older assessment dict (`name`, not `assessment_name`).
    expect(trace.scores).toEqual([
      { name: 'launch_date_correct', value: 'yes', source: 'human', rationale: 'Matches the porkchop plot.', evaluator: 'flight-dynamics' },
    ]);
    expect(report.warnings).toEqual([]);
    expect(traceSchema.safeParse(trace).success).toBe(true);
  });
});

describe('containers', () => {
  test('a folder, an array, { traces }, JSON Lines and the REST API wrapper give the same traces', async () => {
    const v2 = JSON.parse(await readFile(V2, 'utf8'));
    const v3 = JSON.parse(await readFile(V3, 'utf8'));
    const fromFolder = (await importMlflow(join(FIXTURES, 'mlflow'))).traces;
    expect(fromFolder.map((t) => t.id)).toEqual(['35b868131a66423783493da51f806370', 'tr-0af7651916cd43dd8448eb211c80319c']);

    await writeFile(join(dir, 'array.json'), JSON.stringify([v2, v3]));
    await writeFile(join(dir, 'wrapped.json'), JSON.stringify({ traces: [v2, v3] }));
    await writeFile(join(dir, 'lines.jsonl'), `${JSON.stringify(v2)}\n${JSON.stringify(v3)}\n`);
    for (const name of ['array.json', 'wrapped.json', 'lines.jsonl'])
      expect((await importMlflow(join(dir, name))).traces).toEqual(fromFolder);
    const rest = importMlflowTraces([{ trace: { trace_info: v3.info, data: v3.data } }]).traces;
    expect(rest).toEqual([fromFolder[1]]);
  });

  test('a span that ends before it starts is kept, its end set to its start, and warned at its file and line', async () => {
    const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as MlflowTraceJson;
    const [v2, v3] = [await read(V2), await read(V3)];
    const search = v3.data.spans[1]!; // search_docs, 100 ms long
    [search.start_time_unix_nano, search.end_time_unix_nano] = [search.end_time_unix_nano, search.start_time_unix_nano];
    const file = join(dir, 'backwards.jsonl');
    await writeFile(file, `${JSON.stringify(v2)}\n${JSON.stringify(v3)}\n`);
    const { traces, report } = await importMlflow(file);
    const span = traces[1]!.spans.find((s) => s.name === 'search_docs')!;
    expect(span.end).toBe(span.start);
    expect(span.start).toBe(1748859330228);
    expect(report.mapped.endsBeforeStart).toBe(1);
    expect(report.warnings).toContainEqual({
      file,
      line: 2,
      message:
        'trace tr-0af7651916cd43dd8448eb211c80319c: span b7ad6b7169203331 ends 100 ms before it starts; its end was set to its start',
    });
    expect(traceSchema.safeParse(traces[1]).success).toBe(true);
  });

  test('a trace whose stated duration is negative is kept, instantaneous, with a warning', () => {
    const { traces, report } = importMlflowTraces([
      { info: { trace_id: 'tr-neg', state: 'OK', request_preview: 'hi', request_time: 1000, execution_duration_ms: -50 }, data: {} },
    ]);
    expect(traces[0]).toMatchObject({ start: 1000, end: 1000, durationMs: 0 });
    expect(traceSchema.safeParse(traces[0]).success).toBe(true);
    expect(report.warnings.map((w) => w.message)).toContain('trace tr-neg ends 50 ms before it starts; its end was set to its start');
  });

  test('a trace without spans keeps its trace-level input and output', () => {
    const { traces, report } = importMlflowTraces([
      {
        info: {
          trace_id: 'tr-1',
          state: 'ERROR',
          request_preview: 'hi',
          response_preview: 'oops',
          request_time: 1000,
          execution_duration_ms: 50,
        },
        data: {},
      },
    ]);
    expect(traces[0]).toMatchObject({ id: 'tr-1', input: 'hi', output: 'oops', status: 'error', start: 1000, end: 1050, spans: [] });
    expect(report.warnings.map((w) => w.message)).toContain('trace tr-1 has no data.spans; imported without spans');
  });
});

describe('bad input', () => {
  test('OTLP given as MLflow: an error naming the file, with a hint', async () => {
    const file = join(FIXTURES, 'otlp-proto-example.json');
    const error = (await importMlflow(file).catch((e: unknown) => e)) as FileFormatError;
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toBe(
      `${file}: not an MLflow trace: expected an object with "info" and "data" (it looks like OTLP JSON: use --format otlp)`,
    );
  });

  test('a bad item in an array is named', async () => {
    const v3 = JSON.parse(await readFile(V3, 'utf8'));
    const file = join(dir, 'bad-item.json');
    await writeFile(file, JSON.stringify([v3, 42]));
    await expect(importMlflow(file)).rejects.toThrow(
      `${file}:1: not an MLflow trace (item 2): expected an object with "info" and "data" (found number)`,
    );
  });

  test('truncated JSON', async () => {
    const text = await readFile(V3, 'utf8');
    const file = join(dir, 'cut.json');
    await writeFile(file, text.slice(0, 500));
    await expect(importMlflow(file)).rejects.toThrow(/cut\.json:\d+:\d+: truncated JSON/);
  });
});
