import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, FileFormatError } from '../../src/errors/index.ts';
import { importRun } from '../../src/interop/import-run.ts';
import { decodeTraceRequestInParts, encodeTraceRequest } from '../../src/interop/otlp/protobuf-codec.ts';
import { importOtlp, streamOtlpFiles } from '../../src/interop/otlp/read-otlp-files.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { readAllTraces } from '../helpers/run-traces.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * `labbook import` streams: a trace is written once its root has been read and the next
 * spans (the grace window, counted in spans) hold none of it, so memory holds the traces in
 * flight; spans that come after their trace was written are reported and make the run
 * partial; input that breaks part way keeps what was written and names the file and line.
 */
const root = tempDir('labbook-import-stream-');
const options = {
  dataDir: join(root, 'experiments'),
  rootDir: root,
  cwd: root,
  env: {},
  configPath: 'agent.yaml',
  format: 'otlp',
} as const;

beforeAll(() => writeFileSync(join(root, 'agent.yaml'), 'model: gpt-4o-mini\n'));

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** One OTLP span as the JSON encoding writes it; `child` 0 is the root. */
function span(trace: number, child: number) {
  const start = BigInt(1_750_000_000_000 + trace * 1000 + child) * 1_000_000n;
  return {
    traceId: hex(trace + 1, 32),
    spanId: hex(trace * 100 + child + 1, 16),
    parentSpanId: child === 0 ? '' : hex(trace * 100 + 1, 16),
    name: child === 0 ? 'agent' : `tool ${child}`,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    attributes:
      child === 0
        ? [{ key: 'input.value', value: { stringValue: `question ${trace}` } }]
        : [{ key: 'gen_ai.tool.name', value: { stringValue: `tool-${child}` } }],
  };
}

/** A request of the given spans, as an exporter batches them (children end before their root). */
const request = (spans: object[]) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'agent' }, spans }] }],
});
/** Trace t as an exporter sends it: two children, then the root. */
const traceSpans = (t: number) => [span(t, 1), span(t, 2), span(t, 0)];

describe('labbook import streams OTLP', () => {
  it('writes each trace once it is complete, before the input ends, in JSON Lines and length-prefixed protobuf alike', async () => {
    const requests = Array.from({ length: 6 }, (_, t) => request(traceSpans(t)));
    writeFileSync(join(root, 'ordered.jsonl'), requests.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(
      join(root, 'ordered.pb'),
      Buffer.concat(requests.map((r) => encodeTraceRequest(r)).flatMap((bytes) => [sizePrefix(bytes.length), Buffer.from(bytes)])),
    );
    for (const file of ['ordered.jsonl', 'ordered.pb']) {
      const stream = streamOtlpFiles(join(root, file), { graceSpans: 3 });
      const seen: Array<{ id: string; spansReadBefore: number }> = [];
      for await (const trace of stream.traces) seen.push({ id: trace.id, spansReadBefore: stream.report.mapped.spans });
      expect(seen.map((s) => s.id)).toEqual(requests.map((_, t) => hex(t + 1, 32)));
      // Trace 1 is out once trace 2's three spans are read (its root plus a quiet window of three), long before the 18th span.
      expect(seen[0]!.spansReadBefore).toBe(6);
      expect(seen[3]!.spansReadBefore).toBe(15);
      expect(stream.report.finish().warnings).toEqual([]);
    }
  });

  it('a span read after its trace was written is reported, never dropped in silence, and the run is partial', async () => {
    // Trace 0's second child comes after three other traces: past a grace window of 3 spans.
    const lines = [
      request([span(0, 1), span(0, 0)]),
      request(traceSpans(1)),
      request(traceSpans(2)),
      request(traceSpans(3)),
      request([span(0, 2)]),
    ];
    writeFileSync(join(root, 'late.jsonl'), lines.map((r) => JSON.stringify(r)).join('\n'));
    const run = await importRun({ ...options, paths: ['late.jsonl'], experiment: 'late', graceSpans: 3 });
    expect(run.finished.manifest.status).toBe('partial');
    expect(run.finished.manifest.statusReason).toBe(
      '1 span of 1 trace came after the trace had been written (the input is not ordered by trace; see the warnings)',
    );
    expect(run.report.warnings).toContainEqual({
      file: join(root, 'late.jsonl'),
      message: `1 span of trace ${hex(1, 32)} arrived after the trace was written (its root had been read, then 3 spans of other traces); not recorded`,
    });
    expect((await readAllTraces(run.dir)).map((t) => t.spans.length)).toEqual([2, 3, 3, 3]);

    // With the default window the same file is one complete run.
    const whole = await importRun({ ...options, paths: ['late.jsonl'], experiment: 'late' });
    expect(whole.finished.manifest.status).toBe('completed');
    expect((await readAllTraces(whole.dir)).map((t) => t.spans.length)).toEqual([3, 3, 3, 3]);
  });

  it('a malformed JSON line part way: the error names the file and line, the traces before it stay in a failed run', async () => {
    const lines = [0, 1, 2, 3].map((t) => JSON.stringify(request(traceSpans(t))));
    lines.splice(3, 0, '{"resourceSpans": [ {"scopeSpans": ');
    writeFileSync(join(root, 'broken.jsonl'), lines.join('\n'));
    const logged: string[] = [];
    const error = await importRun({
      ...options,
      paths: ['broken.jsonl'],
      experiment: 'broken',
      graceSpans: 3,
      log: (line) => logged.push(line),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(errorMessage(error)).toMatch(new RegExp(`^${join(root, 'broken.jsonl')}:4:36: truncated JSON`));
    expect(logged).toHaveLength(1);
    const dir = logged[0]!.match(/^the run (.*) keeps the 2 traces written before the error \(sealed as failed\)/)![1]!;
    const manifest = await readRunManifest(dir);
    expect(manifest.status).toBe('failed');
    expect(manifest.statusReason).toMatch(/^import stopped after 2 traces: .*broken\.jsonl:4:36: truncated JSON/);
    expect((await readAllTraces(dir)).map((t) => t.id)).toEqual([hex(1, 32), hex(2, 32)]);
  });

  it('a truncated protobuf file part way: the error names the message and its byte, the traces before it stay', async () => {
    const messages = [0, 1, 2, 3].map((t) => Buffer.from(encodeTraceRequest(request(traceSpans(t)))));
    const whole = Buffer.concat(messages.flatMap((bytes) => [sizePrefix(bytes.length), bytes]));
    const cut = whole.length - 10;
    writeFileSync(join(root, 'cut.pb'), whole.subarray(0, cut));
    const logged: string[] = [];
    const error = await importRun({
      ...options,
      paths: ['cut.pb'],
      experiment: 'cut',
      graceSpans: 3,
      log: (line) => logged.push(line),
    }).catch((e: unknown) => e);
    const lastAt = whole.length - messages[3]!.length - 4;
    expect(errorMessage(error)).toBe(
      `${join(root, 'cut.pb')}: message 4 (at byte ${lastAt}) says it is ${messages[3]!.length} bytes, but the file ends first: the file is truncated`,
    );
    const dir = logged[0]!.match(/^the run (.*) keeps the 2 traces/)![1]!;
    expect((await readRunManifest(dir)).status).toBe('failed');
    expect(await readAllTraces(dir)).toHaveLength(2);
  });

  it('a file that is not OTLP from its first record still leaves no run behind', async () => {
    writeFileSync(join(root, 'mlflow.jsonl'), `${JSON.stringify({ info: {}, data: {} })}\n`);
    await expect(importRun({ ...options, paths: ['mlflow.jsonl'], experiment: 'none', graceSpans: 1 })).rejects.toThrow(
      /looks like an MLflow trace/,
    );
    expect(existsSync(join(root, 'experiments/none'))).toBe(false);
    expect(existsSync(join(root, 'experiments/late'))).toBe(true); // the check above can tell
  });
});

function sizePrefix(length: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(length);
  return prefix;
}

describe('one large protobuf message', () => {
  it('is read a thousand spans at a time, each part shaped as the whole, giving the traces the JSON gives', async () => {
    // Two services, 2,400 spans in one ExportTraceServiceRequest: a file no exporter frames.
    const service = (name: string, first: number) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] },
      scopeSpans: [{ scope: { name: `${name}-scope` }, spans: Array.from({ length: 400 }, (_, i) => traceSpans(first + i)).flat() }],
    });
    const whole = { resourceSpans: [service('planner', 0), service('booker', 400)] };
    writeFileSync(join(root, 'whole.pb'), encodeTraceRequest(whole));
    writeFileSync(join(root, 'whole.json'), JSON.stringify(whole));
    const parts = decodeTraceRequestInParts(encodeTraceRequest(whole));
    const sizes = [...parts].map((part) => {
      const resourceSpans = part.resourceSpans as Array<{
        resource: { attributes: Array<{ value: { stringValue: string } }> };
        scopeSpans: Array<{ scope: { name: string }; spans: unknown[] }>;
      }>;
      expect(resourceSpans).toHaveLength(1);
      const [{ resource, scopeSpans }] = resourceSpans as [(typeof resourceSpans)[number]];
      expect(scopeSpans[0]!.scope.name).toBe(`${resource.attributes[0]!.value.stringValue}-scope`);
      return `${resource.attributes[0]!.value.stringValue}:${scopeSpans[0]!.spans.length}`;
    });
    expect(sizes).toEqual(['planner:1000', 'planner:200', 'booker:1000', 'booker:200']);

    const fromProtobuf = await importOtlp(join(root, 'whole.pb'));
    const fromJson = await importOtlp(join(root, 'whole.json'));
    expect(fromProtobuf.traces).toHaveLength(800);
    expect(fromProtobuf.traces).toEqual(fromJson.traces);
    expect(fromProtobuf.traces[799]!.metadata).toEqual({ 'service.name': 'booker' });
  });

  it('damaged part way: the spans before the damage are read, the error says where it stopped; truncated: refused at once', () => {
    const bytes = Buffer.from(encodeTraceRequest(request(Array.from({ length: 1500 }, (_, i) => traceSpans(i)).flat())));
    const read = (input: Uint8Array) => {
      const spans: number[] = [];
      try {
        for (const part of decodeTraceRequestInParts(input))
          spans.push((part.resourceSpans as Array<{ scopeSpans: Array<{ spans: unknown[] }> }>)[0]!.scopeSpans[0]!.spans.length);
      } catch (error) {
        return { spans, error: errorMessage(error) };
      }
      return { spans, error: undefined };
    };
    const damaged = Buffer.from(bytes);
    damaged.fill(0xff, Math.floor(bytes.length * 0.7), Math.floor(bytes.length * 0.7) + 12);
    const partWay = read(damaged);
    expect(partWay.spans).toEqual([1000, 1000, 1000]);
    expect(partWay.error).toMatch(/^not an OTLP protobuf ExportTraceServiceRequest: .* at byte \d+ of \d+$/);
    // The outer message says how long it is, so a cut file is known to be cut before anything is read.
    const cut = read(bytes.subarray(0, bytes.length - 100));
    expect(cut.spans).toEqual([]);
    expect(cut.error).toBe(
      `not an OTLP protobuf ExportTraceServiceRequest: field 1 at byte ${lengthOfTag(bytes)} says it is ${bytes.length - lengthOfTag(bytes)} bytes, past the end of its message at byte ${bytes.length - 100}`,
    );
  });
});

/** Where field 1's content starts: after its tag byte and its varint length. */
function lengthOfTag(bytes: Uint8Array): number {
  let i = 1;
  while (bytes[i]! & 0x80) i++;
  return i + 1;
}
