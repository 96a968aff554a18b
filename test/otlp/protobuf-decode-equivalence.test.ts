import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { OtlpCollector } from '../../src/interop/otlp/import-otlp.ts';
import {
  decodeTraceRequest,
  decodeTraceRequestInParts,
  decodeTraceRequestSalvaging,
  encodeTraceRequest,
  ProtobufDecodeError,
  readSpanTraceIds,
} from '../../src/interop/otlp/protobuf-codec.ts';
import { PROTO_FILES } from '../../src/interop/otlp/proto/embedded.ts';
import { traceLine } from '../../src/interop/trace-line.ts';
import { traceSchema } from '../../schemas/trace.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

/**
 * The receiver and the protobuf file import read protobufjs's decoded messages directly (see
 * protobuf-codec.ts). Here the way they replaced is the oracle: a Root of its own, built from
 * the same official .proto files, decoding each body and converting it with `toObject` into
 * OTLP's JSON shape. Both must give exactly the same traces and the same import report, for
 * bodies the official protobuf exporter sends and for hand-encoded bodies where fields are
 * absent (which exporters never omit, and where a message's defaults could show through).
 */
function oracleDecode(bytes: Uint8Array): Record<string, unknown> {
  const root = new protobuf.Root();
  for (const file of [
    'opentelemetry/proto/common/v1/common.proto',
    'opentelemetry/proto/resource/v1/resource.proto',
    'opentelemetry/proto/trace/v1/trace.proto',
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  ]) {
    protobuf.parse(PROTO_FILES[file]!, root, { keepCase: false });
  }
  root.resolveAll();
  const request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  return request.toObject(request.decode(bytes), { enums: Number, defaults: false });
}

function collect(requests: Iterable<unknown>) {
  const collector = new OtlpCollector();
  for (const request of requests) collector.addRequest(request, { file: 'body' });
  return { traces: collector.finish(), report: collector.report.finish() };
}

function expectSameTraces(bodies: Uint8Array[]): void {
  const expected = collect(bodies.map(oracleDecode));
  expect(collect(bodies.map(decodeTraceRequest))).toStrictEqual(expected);
  expect(collect(bodies.flatMap((body) => [...decodeTraceRequestInParts(body, 7)]))).toStrictEqual(expected);
}

/** One span the exporter will send: its attributes, events, links, kind and status. */
interface SpanSpec {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  events: Array<{ name: string; attributes?: Attributes }>;
  status?: { code: SpanStatusCode; message?: string };
  link: boolean;
  children: SpanSpec[];
}

const word = fc.constantFrom('refund', 'tent', 'boots', 'ünïcödé', '', 'chat gpt-4o-mini', 'a"quote', '🙂 emoji');
const attributeValue = fc.oneof(
  word,
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(word, { maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.array(fc.boolean(), { maxLength: 2 }),
);
const attributeKey = fc.constantFrom(
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.tool.name',
  'input.value',
  'output.value',
  'labbook.example.id',
  'labbook.score.quality',
  'llm.input_messages.0.message.role',
  'llm.input_messages.0.message.content',
  'custom',
  'x.y',
);
const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 6 });
const operation = fc.constantFrom<Attributes>(
  {},
  {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 12,
    'gen_ai.usage.output_tokens': 3,
  },
  { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator' },
  { 'openinference.span.kind': 'RETRIEVER' },
);
/** A span with up to `depth` levels of children below it. */
function spanSpec(depth: number): fc.Arbitrary<SpanSpec> {
  return fc.record({
    name: word,
    kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
    attributes: fc.tuple(operation, attributes).map(([a, b]) => ({ ...a, ...b })),
    events: fc.array(
      fc.oneof(
        fc.record({ name: word }),
        fc.record({
          name: fc.constant('gen_ai.evaluation.result'),
          attributes: fc.record({
            'gen_ai.evaluation.name': word,
            'gen_ai.evaluation.score.value': fc.double({ min: 0, max: 1, noNaN: true }),
            'gen_ai.evaluation.score.label': word,
          }),
        }),
        fc.record({ name: word, attributes }),
      ),
      { maxLength: 2 },
    ),
    status: fc.option(
      fc.record(
        {
          code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
          message: fc.option(word, { nil: undefined }),
        },
        { requiredKeys: ['code'] },
      ),
      { nil: undefined },
    ),
    link: fc.boolean(),
    children: depth === 0 ? fc.constant([]) : fc.array(spanSpec(depth - 1), { maxLength: 3 }),
  });
}

/** The bodies the official protobuf exporter posts for these span trees, captured by a local server. */
async function exporterBodies(trees: SpanSpec[], withRemoteParent: boolean): Promise<Buffer[]> {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'agent', 'deployment.environment': 'test', 'host.cores': 2 }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { maxExportBatchSize: 50 })],
  });
  // Two instrumentation scopes, as an app with a library's own tracer sends.
  const tracers = [provider.getTracer('agent'), provider.getTracer('library', '1.2.3')];
  let previous: Link | undefined;
  const emit = (spec: SpanSpec, parent: ReturnType<typeof context.active>, depth: number) => {
    const span = tracers[depth % 2]!.startSpan(
      spec.name,
      { kind: spec.kind, attributes: spec.attributes, ...(spec.link && previous ? { links: [previous] } : {}) },
      parent,
    );
    for (const event of spec.events) span.addEvent(event.name, event.attributes);
    if (spec.status) span.setStatus(spec.status);
    for (const child of spec.children) emit(child, trace.setSpan(parent, span), depth + 1);
    previous = { context: span.spanContext(), attributes: { reason: 'follows' } };
    span.end();
  };
  trees.forEach((tree, index) => {
    // Some traces continue a remote caller's: their root has a parent that never arrives.
    const parent =
      withRemoteParent && index % 3 === 0
        ? trace.setSpanContext(context.active(), {
            traceId: (index + 1).toString(16).padStart(32, 'a'),
            spanId: 'b'.repeat(16),
            traceFlags: 1,
            isRemote: true,
          })
        : context.active();
    emit(tree, parent, 0);
  });
  await provider.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bodies;
}

/** A span's trace id in hex, as the framing reader gives it (none for a missing or all-zero id). */
const hex = (id: Uint8Array | undefined) =>
  id === undefined || id.every((byte) => byte === 0) ? undefined : Buffer.from(id).toString('hex');

/** The trace id of every span of a request decoded by the oracle, in order. */
function spanTraceIds(request: Record<string, unknown>): Array<string | undefined> {
  type Decoded = { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ traceId?: Uint8Array }> }> }> };
  return ((request as Decoded).resourceSpans ?? []).flatMap((resource) =>
    (resource.scopeSpans ?? []).flatMap((scope) => (scope.spans ?? []).map((span) => hex(span.traceId))),
  );
}

/** Two spans of one trace, the first with an attribute whose key is `zzzz`. */
function request2() {
  const traceId = '5b8efff798038103d269b633813fc60c';
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: '1111111111111111',
                parentSpanId: '2222222222222222',
                name: 'child',
                attributes: [{ key: 'zzzz', value: { stringValue: 'x' } }],
              },
              {
                traceId,
                spanId: '2222222222222222',
                name: 'root',
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000001000000000',
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('decoding OTLP protobuf without toObject', () => {
  it('gives the same traces as toObject for what the official protobuf exporter sends', async () => {
    for (const seed of [17, 4242]) {
      const trees = fc.sample(spanSpec(2), { numRuns: 60, seed });
      const bodies = await exporterBodies(trees, seed === 4242);
      expect(bodies.length).toBeGreaterThan(0);
      const { traces } = collect(bodies.map(decodeTraceRequest));
      expect(traces).toHaveLength(60); // every tree arrived, and the comparison is not of nothing
      expectSameTraces(bodies);
      // The receiver answers a request on its framing alone: the trace ids it reads there are
      // the decoded spans', in order.
      for (const body of bodies) expect(readSpanTraceIds(body)).toEqual(spanTraceIds(oracleDecode(body)));
      // The lines the receiver writes without the schema's parse are exactly what the schema's
      // parse would make of them.
      let unparsed = 0;
      for (const trace of traces) {
        const line = traceLine(trace);
        if (!('json' in line)) continue;
        unparsed++;
        const parsed: unknown = JSON.parse(line.json);
        expect(JSON.stringify(traceSchema.parse(parsed))).toBe(line.json);
      }
      expect(unparsed).toBeGreaterThan(50);
    }
  });

  it('gives the same traces as toObject where fields are absent from the wire', () => {
    const id = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
    const spans = [
      // No name, kind, times, status or attributes: only ids.
      { traceId: id(1, 32), spanId: id(1, 16) },
      // No trace id, no span id; a status with a code and no message; an event with no time or name.
      {
        name: 'orphan',
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000000500000000',
        status: { code: 2 },
        events: [{ attributes: [{ key: 'k', value: { intValue: '9007199254740993' } }] }],
      },
      // Key-values with no key, no value, an empty AnyValue, nested lists and bytes.
      {
        traceId: id(2, 32),
        spanId: id(2, 16),
        parentSpanId: id(3, 16),
        name: 'child',
        kind: 3,
        startTimeUnixNano: '1700000000000000001',
        status: { message: 'only a message' },
        attributes: [
          { value: { stringValue: 'no key' } },
          { key: 'no value' },
          { key: 'empty', value: {} },
          {
            key: 'list',
            value: {
              arrayValue: {
                values: [
                  { intValue: '-5' },
                  {},
                  {
                    kvlistValue: {
                      values: [
                        { key: 'd', value: { doubleValue: 0 } },
                        { key: 'b', value: { boolValue: false } },
                      ],
                    },
                  },
                ],
              },
            },
          },
          { key: 'bytes', value: { bytesValue: Buffer.from('hi') } },
          { key: 'zero', value: { intValue: '0' } },
          { key: 'blank', value: { stringValue: '' } },
        ],
        links: [{ traceId: id(9, 32) }, {}],
      },
      {
        traceId: id(2, 32),
        spanId: id(3, 16),
        name: 'root',
        kind: 0,
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000001000000000',
        status: { code: 1, message: '' },
      },
    ];
    const bodies = [
      encodeTraceRequest({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
      encodeTraceRequest({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [
              { scope: { name: 'labbook' }, spans: spans.slice(3) },
              { scope: {}, spans: spans.slice(0, 1) },
            ],
          },
          {},
        ],
      }),
    ];
    expectSameTraces(bodies);
    for (const body of bodies) expect(readSpanTraceIds(body)).toEqual(spanTraceIds(oracleDecode(body)));
  });

  it('reads the framing of a body as decoding does: a body cut short or garbled is refused by both', () => {
    const body = encodeTraceRequest(request2());
    for (const broken of [body.subarray(0, body.length - 3), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), Buffer.from([0x0f])]) {
      expect(() => decodeTraceRequest(broken)).toThrow(ProtobufDecodeError);
      expect(() => readSpanTraceIds(broken)).toThrow(/not an OTLP protobuf ExportTraceServiceRequest/);
    }
  });

  it('reads strings and times as protobufjs does, to the byte: a body cut anywhere is refused with its words or read the same', () => {
    // The codec reads proto3 strings and fixed64 times itself (OtlpReader); protobufjs's own
    // reader is the oracle, for every cut of a body with short and long strings, a U+FFFD
    // really sent, non-ASCII text, and times past 2^53 and with the low half's top bit set.
    const traceId = '5b8efff798038103d269b633813fc60c';
    const body = encodeTraceRequest({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: '2222222222222222',
                  name: 'root ✓',
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '18446744073709551615',
                  attributes: [
                    { key: 'sent', value: { stringValue: 'a \uFFFD as sent' } },
                    { key: 'long', value: { stringValue: 'Grüße, '.repeat(20) } },
                  ],
                  events: [{ name: 'e', timeUnixNano: String(2n ** 63n + 2n ** 31n) }],
                },
              ],
            },
          ],
        },
      ],
    });
    // What collecting a request gives, or the words it is refused with (an empty request is).
    const collected = (request: unknown) => {
      try {
        return collect([request]);
      } catch (error) {
        return errorMessage(error);
      }
    };
    const oracleWords = (bytes: Uint8Array) => {
      try {
        oracleDecode(bytes);
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    };
    // From one byte: no bytes is an empty request, which toObject leaves without `resourceSpans`.
    for (let length = 1; length <= body.length; length++) {
      const cut = body.subarray(0, length);
      const words = oracleWords(cut);
      if (words === undefined) expect(collected(decodeTraceRequest(cut))).toStrictEqual(collected(oracleDecode(cut)));
      else expect(() => decodeTraceRequest(cut)).toThrow(`not an OTLP protobuf ExportTraceServiceRequest: ${words}`);
    }
    const { traces } = collect([decodeTraceRequest(body)]);
    expect(traces[0]!.spans[0]!.attributes).toMatchObject({ sent: 'a \uFFFD as sent', long: 'Grüße, '.repeat(20) });
    // Invalid UTF-8 in a short and in a long string: refused as protobufjs refuses it.
    for (const text of ['zz', 'z'.repeat(70)]) {
      const resourceSpan = { ...request2().resourceSpans[0]!, resource: { attributes: [{ key: text, value: { stringValue: 'v' } }] } };
      const broken = Buffer.from(encodeTraceRequest({ resourceSpans: [resourceSpan] }));
      broken[broken.indexOf(text) + 1] = 0xc3; // a lead byte followed by an ASCII byte: not UTF-8
      const words = oracleWords(broken);
      expect(words).toMatch(/utf-8/i);
      expect(() => decodeTraceRequest(broken)).toThrow(`not an OTLP protobuf ExportTraceServiceRequest: ${words}`);
    }
  });

  it('decodes span by span a body whose framing reads but whose one span does not, naming that span', () => {
    const body = Buffer.from(encodeTraceRequest(request2()));
    expect(decodeTraceRequestSalvaging(body)).toEqual({ request: decodeTraceRequest(body), failures: [], failedSpans: 0 });
    // The first span's attribute key is made invalid UTF-8, which proto3 strings may not hold:
    // the framing still reads (both spans, their trace ids), the whole decode does not.
    const at = body.indexOf('zzzz');
    body.fill(0xff, at, at + 4);
    expect(readSpanTraceIds(body)).toHaveLength(2);
    expect(() => decodeTraceRequest(body)).toThrow(ProtobufDecodeError);
    const salvaged = decodeTraceRequestSalvaging(body);
    expect(salvaged.failures).toEqual([expect.stringMatching(/^span 1: .*utf-8/i)]);
    expect(salvaged.failedSpans).toBe(1);
    const { traces } = collect([salvaged.request]);
    expect(traces.map((t) => t.spans.map((s) => s.name))).toEqual([['root']]);
    expect(traces[0]!.metadata).toEqual({ 'service.name': 'svc' }); // the resource decoded, and is kept
  });

  it('keeps the last member of a oneof on the wire, as protobufjs does (an AnyValue with two values)', () => {
    // Hand-encoded: no encoder writes two members of one oneof, but the wire allows it, and the
    // last one wins. protobuf-codec.ts makes its classes with its own oneof setter.
    const message = (write: (writer: protobuf.Writer) => protobuf.Writer) => write(protobuf.Writer.create()).finish();
    const body = (anyValue: Uint8Array) => {
      const keyValue = message((w) => w.uint32(0x0a).string('k').uint32(0x12).bytes(anyValue));
      const span = message((w) =>
        w
          .uint32(0x0a)
          .bytes(Buffer.alloc(16, 1))
          .uint32(0x12)
          .bytes(Buffer.alloc(8, 2))
          .uint32(0x2a)
          .string('span')
          .uint32(0x4a)
          .bytes(keyValue),
      );
      const scopeSpans = message((w) => w.uint32(0x12).bytes(span));
      const resourceSpans = message((w) => w.uint32(0x12).bytes(scopeSpans));
      return message((w) => w.uint32(0x0a).bytes(resourceSpans));
    };
    const stringThenInt = body(message((w) => w.uint32(0x0a).string('a').uint32(0x18).int64(5)));
    const intThenString = body(message((w) => w.uint32(0x18).int64(5).uint32(0x0a).string('a')));
    expectSameTraces([stringThenInt, intThenString]);
    const valueOf = (bytes: Uint8Array) => collect([decodeTraceRequest(bytes)]).traces[0]!.spans[0]!.attributes?.k;
    expect(valueOf(stringThenInt)).toBe(5);
    expect(valueOf(intThenString)).toBe('a');
  });

  it('takes an empty request (no resource spans, zero bytes on the wire) as no spans, as the file import does', () => {
    // The one difference from toObject, on purpose: toObject drops the empty list, and the
    // receiver used to refuse such a request as "not OTLP JSON" (400), where OTLP has it valid.
    const empty = encodeTraceRequest({});
    expect(empty).toHaveLength(0);
    expect(collect([decodeTraceRequest(empty)])).toStrictEqual(collect([]));
    expect([...decodeTraceRequestInParts(empty)]).toEqual([]);
  });
});
