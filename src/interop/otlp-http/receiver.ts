import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { errorMessage as errorText } from '../../errors/error-message.ts';
import { FileFormatError } from '../../errors/index.ts';
import { decodeTraceRequest, encodeStatus, encodeTraceResponse, ProtobufDecodeError, type PartialSuccess } from '../otlp/protobuf-codec.ts';
import { checkInputBounds } from '../read-json-input.ts';
import type { LiveTraces } from '../otlp/live-traces.ts';

const gunzipAsync = promisify(gunzip);

interface OtlpReceiverOptions {
  traces: LiveTraces;
  onLog: (line: string) => void;
  /** Largest body accepted, compressed and after decompression (default 32 MiB). */
  maxBodyBytes?: number;
  /** How often traces past their grace period are written (default 200 ms). */
  sweepMs?: number;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT holds. */
  url: string;
  /**
   * The command has exited: finish the requests in flight, write every trace still open, then
   * refuse anything more (a client that keeps sending hears that the run is sealed) and close.
   */
  stop(): Promise<void>;
}

type Encoding = 'protobuf' | 'json';

/** What an HTTP/2 client sends first (RFC 9113, 3.4): gRPC is HTTP/2. */
const HTTP2_PREFACE = 'PRI * HTTP/2.0';

const GRPC_HINT =
  'a client spoke HTTP/2, as OTLP/gRPC exporters do; this receiver takes OTLP over HTTP/1.1 (http/protobuf or http/json): ' +
  "use your SDK's HTTP exporter (Python: opentelemetry-exporter-otlp-proto-http; Go: otlptracehttp; Java: OtlpHttpSpanExporter; " +
  'JavaScript: @opentelemetry/exporter-trace-otlp-proto)';

/** What the OTLP/HTTP specification calls the request's failure, as a status and a message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A loopback OTLP/HTTP receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp): `POST
 * /v1/traces` in protobuf or JSON, gzip or not. It answers 200 with an
 * `ExportTraceServiceResponse` (with `partial_success` when spans were refused), 400 for a body
 * that is not OTLP, 413 for one too large, 415 for an encoding it does not speak, 503 with
 * `Retry-After` when it holds too many spans, each error with a `google.rpc.Status` body in the
 * request's encoding. It listens on 127.0.0.1 only, on a port the system picks.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const inFlight = new Set<Promise<void>>();
  let sealed = false;

  const server = createServer((request, response) => {
    const handled = handle(request, response).catch((error: unknown) => {
      options.onLog(`receiver error: ${errorText(error)}`);
      if (!response.headersSent) reply(response, 'json', 500, Buffer.from(JSON.stringify({ code: 13, message: 'internal error' })));
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  // A client that opens a connection and sends nothing holds no memory for long.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  // A request Node cannot parse. An OTLP/gRPC exporter (Python's and Go's default) opens with
  // HTTP/2's preface: the one thing to tell its user is which exporter to use instead, once,
  // since it retries. Otherwise the answer is Node's own (400, 408, 431).
  let spokeHttp2 = false;
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (error.rawPacket?.subarray(0, HTTP2_PREFACE.length).toString('latin1') === HTTP2_PREFACE) {
      if (!spokeHttp2) options.onLog(GRPC_HINT);
      spokeHttp2 = true;
      socket.destroy();
      return;
    }
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const encoding = encodingOf(request.headers['content-type']);
    try {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== '/v1/traces') throw new Refusal(404, `no such endpoint ${path}: this receiver takes traces at POST /v1/traces`);
      if (request.method !== 'POST')
        throw new Refusal(405, `${request.method} is not allowed: send traces with POST /v1/traces`, { Allow: 'POST' });
      if (!encoding)
        throw new Refusal(
          415,
          `unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}: send application/x-protobuf or application/json`,
        );
      const contentEncoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
      if (contentEncoding !== 'gzip' && contentEncoding !== 'identity')
        throw new Refusal(415, `unsupported content encoding "${contentEncoding}": send gzip or no encoding`);
      if (sealed) throw new Refusal(400, 'the run is sealed: the command it recorded has exited, and no more spans are taken');

      const body = await readBody(request, maxBody);
      const bytes = contentEncoding === 'gzip' ? await inflate(body, maxBody) : body;
      const payload = decode(bytes, encoding);
      const spans = countSpans(payload);
      if (options.traces.full(spans))
        throw new Refusal(503, `the receiver holds too many spans of unfinished traces; retry shortly`, { 'Retry-After': '1' });
      let result;
      try {
        result = options.traces.add(payload, `OTLP request ${options.traces.counts.requests + 1}`);
      } catch (error) {
        if (error instanceof FileFormatError) throw new Refusal(400, error.message);
        throw error;
      }
      const partial: PartialSuccess | undefined =
        result.rejected > 0 ? { rejectedSpans: result.rejected, errorMessage: result.message ?? '' } : undefined;
      reply(
        response,
        encoding,
        200,
        encoding === 'protobuf' ? encodeTraceResponse(partial) : Buffer.from(JSON.stringify(partial ? { partialSuccess: partial } : {})),
      );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      options.onLog(`refused a request (${error.status}): ${error.message}`);
      // The gRPC code the Status carries: INVALID_ARGUMENT for bad data, UNAVAILABLE to retry.
      const code = error.status === 503 ? 14 : error.status === 413 ? 8 : 3;
      const as = encoding ?? 'json';
      reply(
        response,
        as,
        error.status,
        as === 'protobuf' ? encodeStatus(code, error.message) : Buffer.from(JSON.stringify({ code, message: error.message })),
        error.headers,
      );
      // The rest of a refused body is not read: close the connection rather than drain it.
      if (!request.complete) response.once('finish', () => request.destroy());
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const sweeper = setInterval(() => options.traces.sweep(), options.sweepMs ?? 200);
  sweeper.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      clearInterval(sweeper);
      await Promise.all([...inFlight]);
      options.traces.flush();
      sealed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests after the seal are answered (400) while the server winds down; then it closes.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
    },
  };
}

function encodingOf(header: string | undefined): Encoding | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

function reply(response: ServerResponse, encoding: Encoding, status: number, body: Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'Content-Length': String(body.byteLength),
    ...headers,
  });
  response.end(body);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new Refusal(413, `the body is ${declared} bytes, over the receiver's limit of ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Refusal(413, `the body is over the receiver's limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function inflate(body: Buffer, limit: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new Refusal(413, `the body inflates to more than the receiver's limit of ${limit} bytes`);
    throw new Refusal(400, `the body is not valid gzip: ${errorText(error)}`);
  }
}

function decode(bytes: Buffer, encoding: Encoding): unknown {
  if (encoding === 'protobuf') {
    try {
      return decodeTraceRequest(bytes);
    } catch (error) {
      if (error instanceof ProtobufDecodeError) throw new Refusal(400, error.message);
      throw error;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Refusal(400, `the body is not JSON: ${errorText(error)}`);
  }
  try {
    checkInputBounds(value, 'OTLP request');
  } catch (error) {
    throw new Refusal(400, errorText(error));
  }
  return value;
}

/** Spans in a decoded request, counted before they are held. */
function countSpans(request: unknown): number {
  let count = 0;
  const resourceSpans = (request as { resourceSpans?: unknown })?.resourceSpans;
  if (!Array.isArray(resourceSpans)) return 0;
  for (const resource of resourceSpans) {
    const scopes = (resource as { scopeSpans?: unknown })?.scopeSpans;
    if (!Array.isArray(scopes)) continue;
    for (const scope of scopes) {
      const spans = (scope as { spans?: unknown })?.spans;
      if (Array.isArray(spans)) count += spans.length;
    }
  }
  return count;
}
