import { connect } from 'node:http2';
import { createConnection } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Trace } from '../../../schemas/trace.ts';
import { decodeStatus, decodeTraceResponse, encodeTraceRequest } from '../otlp/protobuf-codec.ts';
import { LiveTraces } from '../otlp/live-traces.ts';
import { startOtlpReceiver, type OtlpReceiver } from './receiver.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';

function span(spanId: string, parentSpanId: string | undefined, name: string, traceId = TRACE) {
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000500000000',
  };
}

function request(...spans: Array<ReturnType<typeof span> & { attributes?: unknown[] }>) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

async function start(options: { graceMs?: number; maxBodyBytes?: number; maxPendingSpans?: number } = {}) {
  const written: Trace[] = [];
  const log: string[] = [];
  const traces = new LiveTraces({
    graceMs: options.graceMs ?? 50,
    onTrace: (t) => written.push(t),
    onLog: (line) => log.push(line),
    ...(options.maxPendingSpans ? { maxPendingSpans: options.maxPendingSpans } : {}),
  });
  receiver = await startOtlpReceiver({
    traces: async () => traces,
    onLog: (line) => log.push(line),
    sweepMs: 20,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  return { written, log, traces, url: `${receiver.url}/v1/traces` };
}

function post(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers });
}

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('the OTLP receiver over HTTP', () => {
  it('listens on loopback only', async () => {
    const { url } = await start();
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('makes what it writes to only when asked (prepare, or the first request), and never for a run that sent nothing', async () => {
    const written: Trace[] = [];
    const traces = new LiveTraces({ graceMs: 50, onTrace: (trace) => written.push(trace), onLog: () => {} });
    const made = vi.fn(async () => traces);
    receiver = await startOtlpReceiver({ traces: made, onLog: () => {} });
    expect(made).not.toHaveBeenCalled(); // listening needs none of the decoding
    const response = await post(
      `${receiver.url}/v1/traces`,
      encodeTraceRequest(request(span('1111111111111111', undefined, 'root'))),
      PROTO,
    );
    expect(response.status).toBe(200);
    receiver.prepare();
    expect(made).toHaveBeenCalledOnce();
    await receiver.stop();
    receiver = undefined;
    expect(written.map((trace) => trace.spans[0]!.name)).toEqual(['root']);

    const unused = vi.fn(async () => traces);
    const idle = await startOtlpReceiver({ traces: unused, onLog: () => {} });
    await idle.stop();
    expect(unused).not.toHaveBeenCalled();
  });

  it('builds the traces whose root has ended while no request is open, long before they are due', async () => {
    const written: Array<{ id: string; prepared: string | undefined }> = [];
    const prepared: string[] = [];
    const traces = new LiveTraces<string>({
      graceMs: 60_000,
      prepare: (trace) => {
        prepared.push(trace.id);
        return `line of ${trace.id}`;
      },
      onTrace: (trace, line) => written.push({ id: trace.id, prepared: line }),
      onLog: () => {},
    });
    receiver = await startOtlpReceiver({ traces: async () => traces, onLog: () => {} });
    // With an input: a trace whose building warns (of no input, say) is built when written, so that its warning comes once.
    const root = {
      ...span('1111111111111111', undefined, 'root'),
      attributes: [{ key: 'labbook.example.input', value: { stringValue: '"q"' } }],
    };
    const response = await post(`${receiver.url}/v1/traces`, encodeTraceRequest(request(root)), PROTO);
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(prepared).toEqual([TRACE]));
    expect(written).toEqual([]); // its grace period is a minute
    await receiver.stop();
    receiver = undefined;
    expect(written).toEqual([{ id: TRACE, prepared: `line of ${TRACE}` }]);
    expect(prepared).toHaveLength(1);
  });

  it('answers a protobuf request with an empty ExportTraceServiceResponse, and a gzip JSON one with {}', async () => {
    const { url, written } = await start();
    const ok = await post(url, encodeTraceRequest(request(span('eee19b7ec3c1b174', undefined, 'root'))), PROTO);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeTraceResponse(new Uint8Array(await ok.arrayBuffer()))).toEqual({});
    const gz = await post(
      url,
      gzipSync(JSON.stringify(request(span('aaa19b7ec3c1b174', undefined, 'root', '6b8efff798038103d269b633813fc60c')))),
      { ...JSON_TYPE, 'Content-Encoding': 'gzip' },
    );
    expect(gz.status).toBe(200);
    expect(await gz.json()).toEqual({});
    await receiver!.stop();
    receiver = undefined;
    expect(written.map((t) => t.id).sort()).toEqual(['5b8efff798038103d269b633813fc60c', '6b8efff798038103d269b633813fc60c']);
  });

  it('takes an empty protobuf request (zero bytes: no resource spans) as nothing to record, with a 200', async () => {
    const { url, log, traces } = await start();
    const empty = await post(url, new Uint8Array(0), PROTO);
    expect(empty.status).toBe(200);
    expect(decodeTraceResponse(new Uint8Array(await empty.arrayBuffer()))).toEqual({});
    expect(traces.counts).toMatchObject({ requests: 1, spans: 0 });
    expect(log).toEqual([]);
  });

  it('refuses what is not OTLP with the status the specification prescribes and a Status body, and logs each', async () => {
    const { url, log } = await start({ maxBodyBytes: 4096 });
    const malformed = await post(url, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), PROTO);
    expect(malformed.status).toBe(400);
    expect(decodeStatus(new Uint8Array(await malformed.arrayBuffer())).message).toMatch(/not an OTLP protobuf ExportTraceServiceRequest/);

    const badJson = await post(url, '{"resourceSpans": [', JSON_TYPE);
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { message: string }).message).toMatch(/not JSON/);

    const notOtlp = await post(url, '{"hello": 1}', JSON_TYPE);
    expect(notOtlp.status).toBe(400);
    expect(((await notOtlp.json()) as { message: string }).message).toMatch(/resourceSpans/);

    const wrongType = await post(url, 'hello', { 'Content-Type': 'text/plain' });
    expect(wrongType.status).toBe(415);

    const brotli = await post(url, 'x', { ...JSON_TYPE, 'Content-Encoding': 'br' });
    expect(brotli.status).toBe(415);

    const corruptGzip = await post(url, Buffer.from('1f8b0800000000000003ffff', 'hex'), { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(corruptGzip.status).toBe(400);
    expect(((await corruptGzip.json()) as { message: string }).message).toMatch(/gzip/);

    const huge = await post(url, JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(10_000) }), JSON_TYPE);
    expect(huge.status).toBe(413);

    const bomb = await post(url, gzipSync(JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(100_000) })), {
      ...JSON_TYPE,
      'Content-Encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);

    const wrongPath = await fetch(url.replace('/v1/traces', '/v1/metrics'), { method: 'POST', body: '{}', headers: JSON_TYPE });
    expect(wrongPath.status).toBe(404);
    const get = await fetch(url);
    expect(get.status).toBe(405);

    expect(log.filter((line) => line.startsWith('refused a request')).length).toBe(10);
  });

  it('writes a trace once its root has ended and it has been quiet; a late span is refused through partial_success and logged', async () => {
    const { url, written, log } = await start({ graceMs: 30 });
    await post(
      url,
      encodeTraceRequest(request(span('1111111111111111', '2222222222222222', 'child'), span('2222222222222222', undefined, 'root'))),
      PROTO,
    );
    await expect.poll(() => written.length, { timeout: 5000 }).toBe(1);
    expect(written[0]!.spans.map((s) => s.name).sort()).toEqual(['child', 'root']);
    const late = await post(url, encodeTraceRequest(request(span('3333333333333333', '2222222222222222', 'late child'))), PROTO);
    expect(late.status).toBe(200);
    const answer = decodeTraceResponse(new Uint8Array(await late.arrayBuffer())) as {
      partialSuccess?: { rejectedSpans: number; errorMessage: string };
    };
    expect(answer.partialSuccess?.rejectedSpans).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toContain(TRACE);
    expect(log.join('\n')).toMatch(/1 span of trace 5b8efff798038103d269b633813fc60c arrived after the trace was written/);
    expect(written).toHaveLength(1);
  });

  it.each(['protobuf', 'json'] as const)(
    'records every span of a %s request it answered without refusing any, though it collects the request after answering',
    async (encoding) => {
      // Each trace comes in two requests: a child and the root, then a second child. With no
      // grace period the second child races the trace's writing: either it is in the trace or
      // its request heard that it was refused, never neither (nor both).
      const { url, written } = await start({ graceMs: 0 });
      const send = (...spans: ReturnType<typeof span>[]) =>
        encoding === 'protobuf'
          ? post(url, encodeTraceRequest(request(...spans)), PROTO)
          : post(url, JSON.stringify(request(...spans)), JSON_TYPE);
      const rejectedBy = async (answer: Response) => {
        const body = (encoding === 'protobuf' ? decodeTraceResponse(new Uint8Array(await answer.arrayBuffer())) : await answer.json()) as {
          partialSuccess?: { rejectedSpans: number };
        };
        return body.partialSuccess?.rejectedSpans ?? 0;
      };
      const answers: Array<{ traceId: string; rejected: number }> = [];
      for (let n = 0; n < 40; n++) {
        const traceId = (n + 1).toString(16).padStart(32, 'c');
        const first = await send(
          span('1111111111111111', '2222222222222222', 'child', traceId),
          span('2222222222222222', undefined, 'root', traceId),
        );
        expect([first.status, await rejectedBy(first)]).toEqual([200, 0]);
        if (n % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 30)); // a sweep between the two
        const second = await send(span('3333333333333333', '2222222222222222', 'second child', traceId));
        answers.push({ traceId, rejected: await rejectedBy(second) });
      }
      await receiver!.stop();
      receiver = undefined;
      const spansOf = new Map(written.map((trace) => [trace.id, trace.spans.length]));
      for (const { traceId, rejected } of answers) expect([traceId, spansOf.get(traceId)]).toEqual([traceId, rejected === 1 ? 2 : 3]);
      expect(answers.some((answer) => answer.rejected === 1)).toBe(true); // the race was run both ways
    },
  );

  it('answers a protobuf request once its framing is read: a span that then does not decode is logged and left out, the rest kept', async () => {
    const { url, written, log } = await start();
    const body = Buffer.from(
      encodeTraceRequest(
        request(
          {
            ...span('1111111111111111', '2222222222222222', 'child'),
            attributes: [{ key: 'zzzz', value: { stringValue: 'x' } }],
          } as ReturnType<typeof span>,
          span('2222222222222222', undefined, 'root'),
        ),
      ),
    );
    const at = body.indexOf('zzzz');
    body.fill(0xff, at, at + 4); // not UTF-8, which a proto3 string must be
    const answer = await post(url, body, PROTO);
    expect(answer.status).toBe(200);
    await receiver!.stop();
    receiver = undefined;
    expect(written.map((trace) => trace.spans.map((s) => s.name))).toEqual([['root']]);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^OTLP request 1, answered once its framing was read, did not decode in full: span 1: .*utf-8.*; 1 span not recorded$/i,
      ),
    );
  });

  it('keeps a trace without a root until the command exits, then writes it with a log line', async () => {
    const { url, written, log } = await start({ graceMs: 10 });
    await post(url, encodeTraceRequest(request(span('1111111111111111', '9999999999999999', 'orphan'))), PROTO);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written).toHaveLength(0);
    await receiver!.stop();
    receiver = undefined;
    expect(written).toHaveLength(1);
    expect(log.join('\n')).toMatch(/had no root span when the command exited/);
  });

  it('writes the traces left at the exit in turns of the event loop, every one, refusing a request that comes meanwhile', async () => {
    const written: Trace[] = [];
    const log: string[] = [];
    let writtenAtFirstTurn = -1;
    let late: Promise<Response | unknown> | undefined;
    const traces = new LiveTraces({
      graceMs: 60_000, // nothing is swept: every trace waits for the exit
      onTrace: (trace) => {
        // The first trace written: ask what has been written when the event loop next turns,
        // and send a request while the rest are written.
        if (written.length === 0) {
          setImmediate(() => (writtenAtFirstTurn = written.length));
          late = post(url, encodeTraceRequest(request(span('2222222222222222', undefined, 'late', 'f'.repeat(32)))), PROTO).catch(
            (error: unknown) => error,
          );
        }
        written.push(trace);
      },
      onLog: (line) => log.push(line),
    });
    receiver = await startOtlpReceiver({ traces: async () => traces, onLog: (line) => log.push(line), sweepMs: 20 });
    const url = `${receiver.url}/v1/traces`;
    const roots = Array.from({ length: 300 }, (_, i) =>
      span('1111111111111111', undefined, `root ${i}`, (i + 1).toString(16).padStart(32, '0')),
    );
    expect((await post(url, encodeTraceRequest(request(...roots)), PROTO)).status).toBe(200);
    await receiver.stop();
    receiver = undefined;
    expect(written).toHaveLength(300);
    expect(writtenAtFirstTurn).toBeGreaterThan(0);
    expect(writtenAtFirstTurn).toBeLessThan(300); // the loop turned before the last was written
    const answer = await late;
    if (answer instanceof Response) expect(answer.status).toBe(400); // sealed: its span is not taken
    expect(written.map((trace) => trace.spans[0]!.name)).not.toContain('late');
  });

  it('records a span that ends before it starts with its end set to its start, with a line in the log', async () => {
    const { url, written, log } = await start();
    const backwards = { ...span('1111111111111111', '2222222222222222', 'tool'), endTimeUnixNano: '1699999999999000000' };
    const res = await post(url, JSON.stringify(request(backwards, span('2222222222222222', undefined, 'root'))), JSON_TYPE);
    expect(res.status).toBe(200);
    await expect.poll(() => written.length, { timeout: 5000 }).toBe(1);
    expect(written[0]!.spans.find((s) => s.name === 'tool')).toMatchObject({ start: 1700000000000, end: 1700000000000 });
    expect(log).toContain(`trace ${TRACE}: span 1111111111111111 ends 1 ms before it starts; its end was set to its start`);
  });

  it('groups spans without a trace id, with a warning in the log', async () => {
    const { url, written, log } = await start();
    const res = await post(url, JSON.stringify(request({ ...span('1111111111111111', undefined, 'no trace'), traceId: '' })), JSON_TYPE);
    expect(res.status).toBe(200);
    await receiver!.stop();
    receiver = undefined;
    expect(written).toHaveLength(1);
    expect(log.join('\n')).toMatch(/has no traceId/);
  });

  it('asks a flood to retry later (503, Retry-After) once it holds too many spans, keeping what it has', async () => {
    const { url, written } = await start({ maxPendingSpans: 3, graceMs: 60_000 });
    const first = await post(
      url,
      encodeTraceRequest(request(span('1111111111111111', '9999999999999999', 'a'), span('2222222222222222', '9999999999999999', 'b'))),
      PROTO,
    );
    expect(first.status).toBe(200);
    const flood = await post(
      url,
      encodeTraceRequest(request(span('3333333333333333', '9999999999999999', 'c'), span('4444444444444444', '9999999999999999', 'd'))),
      PROTO,
    );
    expect(flood.status).toBe(503);
    expect(flood.headers.get('retry-after')).toBe('1');
    await receiver!.stop();
    receiver = undefined;
    expect(written).toHaveLength(1);
    expect(written[0]!.spans).toHaveLength(2);
  });

  it('refuses a client that keeps sending after the run is sealed', async () => {
    const { url, log } = await start();
    const stopping = receiver!.stop();
    receiver = undefined;
    const after = await post(url, encodeTraceRequest(request(span('1111111111111111', undefined, 'too late'))), PROTO).catch(
      (error: unknown) => error,
    );
    await stopping;
    if (after instanceof Response) {
      expect(after.status).toBe(400);
      expect(log.join('\n')).toMatch(/the run is sealed/);
    } else {
      // The server had already closed: the connection is refused, which the exporter reports.
      expect(String((after as Error).cause ?? after)).toMatch(/ECONNREFUSED|other side closed|socket/);
    }
  });
});

describe('OTLP/gRPC and HTTP/2 on the same port', () => {
  const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

  /** One HTTP/2 call: status, headers, trailers and body, as a gRPC client sees them. */
  async function call(path: string, body: Buffer, headers: Record<string, string> = {}) {
    const client = connect(receiver!.url);
    client.on('error', () => {});
    try {
      const stream = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
      const answer = { status: 0, headers: {} as Record<string, unknown>, trailers: {} as Record<string, unknown>, body: Buffer.alloc(0) };
      stream.on('response', (h) => ((answer.headers = h), (answer.status = Number(h[':status']))));
      stream.on('trailers', (t) => (answer.trailers = t));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.end(body);
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      answer.body = Buffer.concat(chunks);
      return answer;
    } finally {
      client.close();
    }
  }
  const frame = (message: Uint8Array, compressed = false) => {
    const head = Buffer.alloc(5);
    head[0] = compressed ? 1 : 0;
    head.writeUInt32BE(message.byteLength, 1);
    return Buffer.concat([head, message]);
  };

  it('takes an Export call, plain or gzip, answers OK with an ExportTraceServiceResponse, and HTTP/1.1 still works beside it', async () => {
    const { written, url } = await start();
    const plain = await call(EXPORT, frame(encodeTraceRequest(request(span('aaaaaaaaaaaaaaaa', undefined, 'root')))));
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/grpc');
    expect(plain.trailers['grpc-status']).toBe('0');
    expect(plain.body.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, plain.body.length - 5]));
    expect(decodeTraceResponse(plain.body.subarray(5))).toEqual({});
    const other = '6b8efff798038103d269b633813fc60c';
    const zipped = await call(
      EXPORT,
      frame(gzipSync(encodeTraceRequest(request(span('bbbbbbbbbbbbbbbb', undefined, 'zipped', other)))), true),
      {
        'grpc-encoding': 'gzip',
      },
    );
    expect(zipped.trailers['grpc-status']).toBe('0');
    const http1 = await post(
      url,
      encodeTraceRequest(request(span('cccccccccccccccc', undefined, 'http', '7b8efff798038103d269b633813fc60c'))),
      {
        'Content-Type': 'application/x-protobuf',
      },
    );
    expect(http1.status).toBe(200);
    await receiver!.stop();
    expect(written.map((trace) => trace.spans[0]!.name).sort()).toEqual(['http', 'root', 'zipped']);
  });

  it('answers bad calls with the gRPC status the OTLP specification prescribes, naming the problem, and keeps what it took', async () => {
    const { written, log } = await start({ maxBodyBytes: 4096 });
    const status = async (path: string, body: Buffer, headers: Record<string, string> = {}) => {
      const answer = await call(path, body, headers);
      expect(answer.status).toBe(200); // gRPC carries its status in the trailers
      return [answer.trailers['grpc-status'], decodeURIComponent(String(answer.trailers['grpc-message']))];
    };
    expect(await status(EXPORT, frame(Buffer.from([0x0a, 0xff, 0xff])))).toEqual([
      '3',
      expect.stringMatching(/protobuf|invalid|index out of range/i),
    ]);
    expect(await status(EXPORT, Buffer.from([0, 0, 0]))).toEqual(['3', "the body is 3 bytes, shorter than a gRPC message's 5-byte prefix"]);
    expect(await status(EXPORT, Buffer.from([0, 0, 0, 0, 9, 1]))).toEqual(['3', 'the gRPC message says 9 bytes but the body holds 1']);
    expect(await status(EXPORT, frame(Buffer.alloc(3), true), { 'grpc-encoding': 'snappy' })).toEqual([
      '12',
      'unsupported grpc-encoding "snappy": send gzip or no compression',
    ]);
    expect(await status(EXPORT, frame(Buffer.alloc(5000)))).toEqual(['8', expect.stringContaining("over the receiver's limit")]);
    expect(await status('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', frame(Buffer.alloc(0)))).toEqual([
      '12',
      `no such method /opentelemetry.proto.collector.metrics.v1.MetricsService/Export: this receiver implements ${EXPORT}`,
    ]);
    expect(await status(EXPORT, frame(encodeTraceRequest(request(span('aaaaaaaaaaaaaaaa', undefined, 'kept')))))).toEqual([
      '0',
      'undefined',
    ]);
    expect(log.filter((line) => line.startsWith('refused a gRPC call'))).toHaveLength(6);
    const stopping = receiver!.stop();
    await stopping;
    expect(written.map((trace) => trace.spans[0]!.name)).toEqual(['kept']);
  });

  it('refuses a call after the run is sealed with FAILED_PRECONDITION, which exporters do not retry', async () => {
    await start();
    const client = connect(receiver!.url);
    client.on('error', () => {});
    await new Promise<void>((resolve) => client.on('connect', () => resolve()));
    const stopping = receiver!.stop();
    const stream = client.request({ ':method': 'POST', ':path': EXPORT, 'content-type': 'application/grpc' });
    let trailers: Record<string, unknown> = {};
    stream.on('trailers', (t) => (trailers = t));
    stream.on('error', () => {});
    stream.end(frame(encodeTraceRequest(request(span('aaaaaaaaaaaaaaaa', undefined, 'late')))));
    await new Promise<void>((resolve) => stream.on('close', () => resolve()));
    await stopping;
    client.close();
    receiver = undefined;
    expect(trailers['grpc-status']).toBe('9');
    expect(decodeURIComponent(String(trailers['grpc-message']))).toMatch(/^the run is sealed/);
  });

  it('takes OTLP/HTTP over HTTP/2 too (an exporter that speaks HTTP/2 with prior knowledge)', async () => {
    const { written } = await start();
    const client = connect(receiver!.url);
    client.on('error', () => {});
    const stream = client.request({ ':method': 'POST', ':path': '/v1/traces', 'content-type': 'application/x-protobuf' });
    let status = 0;
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.end(Buffer.from(encodeTraceRequest(request(span('aaaaaaaaaaaaaaaa', undefined, 'over h2')))));
    stream.resume();
    await new Promise<void>((resolve) => stream.on('close', () => resolve()));
    client.close();
    expect(status).toBe(200);
    await receiver!.stop();
    expect(written.map((trace) => trace.spans[0]!.name)).toEqual(['over h2']);
  });

  it('answers a request Node cannot parse with 400, as Node would', async () => {
    const { log } = await start();
    const { port } = new URL(receiver!.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(Number(port), '127.0.0.1', () => socket.end('GARBAGE\r\n\r\n'));
      let text = '';
      socket.on('data', (data) => (text += data.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(log).toEqual([]);
  });
});
