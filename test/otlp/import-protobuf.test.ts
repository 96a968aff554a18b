import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { importOtlp } from '../../src/interop/otlp/read-otlp-files.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * `labbook import` reads OTLP protobuf as the official exporters send it (captured from
 * @opentelemetry/exporter-trace-otlp-proto), tells it from JSON by content whatever the file is
 * called, and gives the same traces as the JSON exporter's body of the same spans.
 */
const dir = tempDir('labbook-import-pb-');

/** The bodies an exporter posts, captured by a local server that answers 200. */
async function capture(kind: 'proto' | 'json'): Promise<Buffer[]> {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'Content-Type': kind === 'proto' ? 'application/x-protobuf' : 'application/json' });
      response.end(kind === 'proto' ? Buffer.alloc(0) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  const exporter = kind === 'proto' ? new ProtoExporter({ url }) : new JsonExporter({ url });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'agent' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('t');
  const root = tracer.startSpan('agent', { attributes: { 'labbook.example.id': 'q1', 'labbook.example.input': '{"question":"2+3?"}' } });
  const rootContext = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan(
    'chat',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 2,
      },
    },
    rootContext,
  );
  llm.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  llm.end();
  root.end();
  await provider.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bodies;
}

describe('labbook import of OTLP protobuf', () => {
  it('reads what the official protobuf exporter sends, one message or length-prefixed, like the JSON exporter’s body', async () => {
    const proto = await capture('proto');
    const json = await capture('json');
    expect(proto).toHaveLength(1); // one batch: both spans in one request
    expect(json).toHaveLength(1);
    // Named .json on purpose: the content decides.
    writeFileSync(join(dir, 'spans.json'), proto[0]!);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(proto[0]!.length);
    writeFileSync(join(dir, 'collector.pb'), Buffer.concat([prefix, proto[0]!, prefix, proto[0]!]));
    writeFileSync(join(dir, 'spans-json.json'), json[0]!.toString('utf8'));

    const fromProto = await importOtlp(join(dir, 'spans.json'));
    const fromJson = await importOtlp(join(dir, 'spans-json.json'));
    expect(fromProto.traces).toHaveLength(1);
    // Two captures of the same spans: ids and clock times differ, nothing else may.
    const strip = (t: (typeof fromProto.traces)[number]) => ({
      ...t,
      id: 'x',
      start: 0,
      end: 0,
      durationMs: 0,
      spans: t.spans.map((s) => ({ ...s, id: 'x', parentId: s.parentId === null ? null : 'x', start: 0, end: 0 })),
    });
    expect(strip(fromProto.traces[0]!)).toEqual(strip(fromJson.traces[0]!));
    const imported = fromProto.traces[0]!;
    expect(imported).toMatchObject({ exampleId: 'q1', input: { question: '2+3?' } });
    expect(imported.spans.find((s) => s.name === 'chat')).toMatchObject({
      type: 'CHAT_MODEL',
      model: 'gpt-4o-mini',
      status: 'error',
      usage: { input: 7, output: 2 },
    });

    const twice = await importOtlp(join(dir, 'collector.pb'));
    expect(twice.traces).toHaveLength(1); // the same spans twice: one trace, duplicates reported
  });

  it('names the file and the message of a corrupt or truncated protobuf file', async () => {
    writeFileSync(join(dir, 'corrupt.pb'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]));
    await expect(importOtlp(join(dir, 'corrupt.pb'))).rejects.toThrow(
      /corrupt\.pb.*protobuf message 1 \(at byte 0\): not an OTLP protobuf ExportTraceServiceRequest/s,
    );
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(500);
    writeFileSync(join(dir, 'truncated.pb'), Buffer.concat([prefix, Buffer.alloc(100, 0x0a)]));
    await expect(importOtlp(join(dir, 'truncated.pb'))).rejects.toThrow(
      /truncated\.pb.*message 1 .* says it is 500 bytes, but the file ends first/s,
    );
  });

  it('says a file is neither JSON nor protobuf when it starts as text, rather than read its letters as a size', async () => {
    writeFileSync(join(dir, 'notes.json'), 'not json, just notes\nsecond line\n');
    await expect(importOtlp(join(dir, 'notes.json'))).rejects.toThrow(
      `${join(dir, 'notes.json')}: is neither JSON nor OTLP protobuf: it starts with "not json, just notes", where JSON starts with { or [ and protobuf with the byte 0a or a 4-byte message size`,
    );
    writeFileSync(join(dir, 'binary.pb'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
    await expect(importOtlp(join(dir, 'binary.pb'))).rejects.toThrow(
      /binary\.pb: is neither JSON nor OTLP protobuf: it starts with the bytes ff fe 00 01,/,
    );
  });
});
