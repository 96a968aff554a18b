import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../errors/index.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { streamOtlpFiles } from './read-otlp-files.ts';
import { streamOtlpJsonDocument } from './stream-otlp-json.ts';

/**
 * A single OTLP JSON document over 16 MiB is streamed rather than parsed whole. Both ways must
 * give the same traces, the same report and the same errors: each test reads one file both
 * ways (`wholeDocumentBytes: 0` streams any document).
 */
const dir = tempDir('labbook-otlp-json-stream-');
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/interop');

async function importBothWays(file: string) {
  const read = async (wholeDocumentBytes?: number) => {
    const stream = streamOtlpFiles(file, wholeDocumentBytes === undefined ? {} : { wholeDocumentBytes });
    const traces = [];
    for await (const trace of stream.traces) traces.push(trace);
    return { traces, report: stream.report.finish() };
  };
  return { whole: await read(), streamed: await read(0) };
}

async function errorBothWays(file: string): Promise<{ whole: FileFormatError; streamed: FileFormatError }> {
  const { whole, streamed } = await importBothWays(file).then(
    () => {
      throw new Error(`${file} was read without an error`);
    },
    async (first: unknown) => {
      const stream = streamOtlpFiles(file, { wholeDocumentBytes: 0 });
      const second = await (async () => {
        for await (const _ of stream.traces);
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      return { whole: first, streamed: second };
    },
  );
  expect(whole).toBeInstanceOf(FileFormatError);
  expect(streamed).toBeInstanceOf(FileFormatError);
  return { whole: whole as FileFormatError, streamed: streamed as FileFormatError };
}

const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
});

/** Spans of `traces` traces, ten each, a chat span and tools under a root, varied text. */
function spansOf(traces: number, offset = 0) {
  const words = ['refund', 'boots', 'tent', 'order', 'size', 'stove'];
  return Array.from({ length: traces * 10 }, (_, i) => {
    const t = offset + Math.floor(i / 10);
    const start = 1_700_000_000_000_000_000n + BigInt(t * 10 + (i % 10)) * 1_000_000n;
    return {
      traceId: t.toString(16).padStart(32, '0'),
      spanId: (offset * 10 + i + 1).toString(16).padStart(16, '0'),
      ...(i % 10 === 0 ? {} : { parentSpanId: (offset * 10 + i - (i % 10) + 1).toString(16).padStart(16, '0') }),
      name: i % 10 === 0 ? 'agent' : i % 3 === 0 ? 'chat gpt-4o' : `tool ${words[i % words.length]}`,
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 500_000n),
      attributes:
        i % 3 === 0
          ? [
              attribute('gen_ai.operation.name', 'chat'),
              attribute('gen_ai.request.model', 'gpt-4o'),
              attribute('gen_ai.usage.input_tokens', 100 + i),
            ]
          : [attribute('question', `${words[(i * 7) % words.length]} ${t} — “quoted” \\ \u00e9`)],
      status: i % 17 === 0 ? { code: 2, message: 'tool failed' } : {},
      ...(i % 10 === 0
        ? {
            events: [
              {
                name: 'gen_ai.evaluation.result',
                timeUnixNano: String(start),
                attributes: [
                  attribute('gen_ai.evaluation.name', 'correct'),
                  { key: 'gen_ai.evaluation.score.value', value: { doubleValue: t % 2 } },
                ],
              },
            ],
          }
        : {}),
    };
  });
}

describe('a single OTLP JSON document, streamed', () => {
  it.each(['otlp-proto-example.json', 'otlp-genai-chat-tool.json', 'otlp-genai-variants.json'])(
    'gives the traces and report of the document read whole: %s',
    async (name) => {
      const { whole, streamed } = await importBothWays(join(FIXTURES, name));
      expect(whole.traces.length).toBeGreaterThan(0);
      expect(streamed).toEqual(whole);
    },
  );

  it('takes resources and scopes written after their spans, snake_case keys, unknown keys and an array of requests', async () => {
    const file = join(dir, 'shuffled.json');
    // JSON keys may come in any order: spans before their scope, scopes before their resource.
    const request = (offset: number, snake: boolean) => ({
      [snake ? 'resource_spans' : 'resourceSpans']: [
        {
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          [snake ? 'scope_spans' : 'scopeSpans']: [
            { spans: spansOf(130, offset), extra: { nested: [[{ spans: 'not these' }]] }, scope: { name: 'agent-lib', version: '1.0' } },
            { scope: { name: 'labbook' }, spans: spansOf(20, offset + 130) },
          ],
          resource: { attributes: [attribute('service.name', `bot-${offset}`)], droppedAttributesCount: 0 },
        },
        {
          resource: { attributes: [attribute('service.name', 'second')] },
          scopeSpans: [{ scope: { name: 's' }, spans: spansOf(3, offset + 150) }],
        },
      ],
    });
    writeFileSync(file, JSON.stringify([request(0, false), request(1000, true)], null, 1));
    const { whole, streamed } = await importBothWays(file);
    expect(whole.traces).toHaveLength(306);
    // Spans of Labbook's own scope carry no service name (see OtlpCollector).
    expect(new Set(whole.traces.map((trace) => trace.metadata?.['service.name']))).toEqual(
      new Set(['bot-0', 'bot-1000', 'second', undefined]),
    );
    expect(streamed).toEqual(whole);
  });

  it('streams a document on one line, and JSON Lines whose first line is too long to read whole', async () => {
    const request = (offset: number) => ({
      resourceSpans: [
        {
          resource: { attributes: [attribute('service.name', 'bot')] },
          scopeSpans: [{ scope: { name: 'a' }, spans: spansOf(40, offset) }],
        },
      ],
    });
    const oneLine = join(dir, 'one-line.json');
    writeFileSync(oneLine, JSON.stringify(request(0)));
    const jsonl = join(dir, 'long-lines.jsonl');
    writeFileSync(jsonl, [0, 40, 80].map((offset) => JSON.stringify(request(offset))).join('\n') + '\n');
    for (const file of [oneLine, jsonl]) {
      const read = async (wholeDocumentBytes?: number) => {
        const stream = streamOtlpFiles(file, wholeDocumentBytes === undefined ? {} : { wholeDocumentBytes });
        const traces = [];
        for await (const trace of stream.traces) traces.push(trace);
        return traces;
      };
      // Over 1,000 bytes a line is not read whole: the one-line document and each long line stream.
      const [whole, streamed] = [await read(), await read(1000)];
      expect(whole.length).toBe(file === jsonl ? 120 : 40);
      expect(streamed).toEqual(whole);
    }
  });

  it('yields values that hold no view of the file: ids kept after their traces keep only themselves', () => {
    // V8 keeps a substring of 13+ characters as a view of the text it was cut from: the ids an
    // import keeps to the end (the writer's set of them) once kept every chunk of the file alive.
    // Measured in a child of its own, whose heap holds nothing else.
    const file = join(dir, 'retained.json');
    writeFileSync(file, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'a' }, spans: spansOf(3000) }] }] }));
    const script = join(dir, 'retain.mts');
    writeFileSync(
      script,
      `import { streamOtlpFiles } from ${JSON.stringify(join(import.meta.dirname, 'read-otlp-files.ts'))};
const gc = (globalThis as { gc?: () => void }).gc!;
gc();
const before = process.memoryUsage().heapUsed;
const ids = new Set<string>();
for await (const trace of streamOtlpFiles(process.argv[2]!, { wholeDocumentBytes: 0 }).traces) ids.add(trace.id);
gc();
console.log(JSON.stringify({ ids: ids.size, held: process.memoryUsage().heapUsed - before }));`,
    );
    const out = execFileSync(process.execPath, ['--expose-gc', join(import.meta.dirname, '../../../bin/tsx.js'), script, file], {
      encoding: 'utf8',
    });
    const { ids, held } = JSON.parse(out.trim().split('\n').at(-1)!) as { ids: number; held: number };
    const size = statSync(file).size;
    expect(ids).toBe(3000);
    expect(size).toBeGreaterThan(9e6);
    expect(held).toBeLessThan(size / 4); // 3,000 ids of 32 characters, not the file's text
  });

  it('yields requests of at most a thousand spans, each with its resource and scope', async () => {
    const file = join(dir, 'large.json');
    const resource = { attributes: [attribute('service.name', 'bot')] };
    writeFileSync(file, JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'a' }, spans: spansOf(250) }] }] }));
    const parts = [];
    for await (const part of streamOtlpJsonDocument(file))
      parts.push(part as { resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ scope: unknown; spans: unknown[] }> }> });
    expect(parts.map((p) => p.resourceSpans[0]!.scopeSpans[0]!.spans.length)).toEqual([1000, 1000, 500]);
    for (const part of parts) expect(part.resourceSpans[0]).toMatchObject({ resource, scopeSpans: [{ scope: { name: 'a' } }] });
  });

  it('says what a document that is not OTLP holds, as when it is read whole', async () => {
    for (const [name, text] of [
      ['mlflow.json', JSON.stringify({ info: { trace_id: 'x' }, data: { spans: [] } })],
      ['keys.json', JSON.stringify({ traces: [1, 2], version: 2 })],
      ['numbers.json', '[1, 2]'],
      ['string.json', '"spans"'],
    ]) {
      writeFileSync(join(dir, name!), `${text}\n\n`);
      const { whole, streamed } = await errorBothWays(join(dir, name!));
      expect(streamed.detail, name).toBe(whole.detail);
    }
    const empty = join(dir, 'no-spans.json');
    writeFileSync(empty, '{\n  "resourceSpans": []\n}\n');
    const { whole, streamed } = await importBothWays(empty);
    expect(streamed).toEqual(whole);
  });

  it('names the line and column of malformed JSON and of bytes that are not UTF-8', async () => {
    const good = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: spansOf(2) }] }] }, null, 2);
    const missingComma = join(dir, 'comma.json');
    const lines = good.split('\n');
    const comma = lines.findIndex((line, i) => i > 8 && line.endsWith(','));
    lines[comma] = lines[comma]!.slice(0, -1);
    writeFileSync(missingComma, lines.join('\n'));
    const missing = await errorBothWays(missingComma);
    expect(missing.streamed.location).toMatchObject({ file: missingComma, line: missing.whole.location.line });
    expect(missing.streamed.message).toMatch(/malformed JSON/);

    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, good.slice(0, good.length / 2));
    const cut = await errorBothWays(truncated);
    expect(cut.streamed.location.file).toBe(truncated);
    expect(cut.streamed.location.line).toBe(cut.whole.location.line);
    expect(cut.streamed.message).toMatch(/truncated JSON: the input ends before the document does/);

    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from(good.slice(0, 200)), Buffer.from([0xe9]), Buffer.from(good.slice(200))]));
    const bytes = await errorBothWays(latin1);
    expect(bytes.streamed.location).toEqual(bytes.whole.location);
    expect(bytes.streamed.message).toBe(bytes.whole.message);
  });

  it('reads a document that starts with a byte-order mark, as when it is read whole', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\ufeff${readFileSync(join(FIXTURES, 'otlp-genai-chat-tool.json'), 'utf8')}`);
    const { whole, streamed } = await importBothWays(file);
    expect(streamed).toEqual(whole);
    expect(whole.traces.length).toBeGreaterThan(0);
  });
});
