import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { errorMessage as errorText } from '../../errors/error-message.ts';
import { FileFormatError } from '../../errors/index.ts';
import type { PartialSuccess } from '../otlp/protobuf-codec.ts';
import { checkInputBounds } from '../read-json-input.ts';
import type { LiveTraces } from '../otlp/live-traces.ts';
import { GrpcFrameError, grpcFrame, grpcMessageHeader, readGrpcMessage } from './grpc-frame.ts';
import { sniffHttp2 } from './protocol-sniffer.ts';

const gunzipAsync = promisify(gunzip);

type Codec = typeof import('./receiver-codec.ts');

/** What the receiver does with the traces it collects (whatever each is prepared into). */
type ReceiverTraces = Pick<
  LiveTraces,
  'counts' | 'enqueue' | 'full' | 'drainOne' | 'prepareAhead' | 'hasWorkAhead' | 'sweep' | 'flushInTurns' | 'rehearse'
>;

interface OtlpReceiverOptions {
  /** Where received spans go: made on the first request (or `prepare`), not before. */
  traces: () => Promise<ReceiverTraces>;
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
   * Starts loading what reading requests needs (the codec, and `traces`), which the first
   * request would otherwise wait for: `labbook run` calls it once its command is spawned.
   */
  prepare(): void;
  /**
   * The command has exited: finish the requests in flight, write every trace still open, then
   * refuse anything more (a client that keeps sending hears that the run is sealed) and close.
   */
  stop(): Promise<void>;
}

type Encoding = 'protobuf' | 'json';

/** How long no request must have been open before a request answered on its framing is decoded. */
const QUIET_MS = 2;

/** The one method of OTLP/gRPC's trace service (opentelemetry/proto/collector/trace/v1/trace_service.proto). */
const GRPC_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/**
 * What the OTLP specification calls the request's failure, as an HTTP status and a message; over
 * gRPC, the status code it stands for (`grpcCode` where the two protocols part).
 */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly grpcCode?: number,
  ) {
    super(message);
  }

  /** The gRPC status code: INVALID_ARGUMENT for bad data, RESOURCE_EXHAUSTED for too much, UNAVAILABLE to retry. */
  get code(): number {
    if (this.grpcCode !== undefined) return this.grpcCode;
    return this.status === 503 ? 14 : this.status === 413 ? 8 : this.status === 404 || this.status === 405 ? 12 : 3;
  }
}

/**
 * A loopback OTLP receiver on one port, for both of OTLP's transports
 * (https://opentelemetry.io/docs/specs/otlp/). OTLP/HTTP: `POST /v1/traces` in protobuf or JSON,
 * gzip or not, over HTTP/1.1 or HTTP/2; it answers 200 with an `ExportTraceServiceResponse` (with
 * `partial_success` when spans were refused), 400 for a body that is not OTLP, 413 for one too
 * large, 415 for an encoding it does not speak, 503 with `Retry-After` when it holds too many
 * spans, each error with a `google.rpc.Status` body in the request's encoding. OTLP/gRPC:
 * `TraceService/Export` over HTTP/2 without TLS, gzip or not, with the same outcomes as gRPC
 * status codes (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAVAILABLE to retry). It listens on
 * 127.0.0.1 only, on a port the system picks.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const inFlight = new Set<Promise<void>>();
  let sealed = false;

  // Listening needs none of the decoding: it loads once asked for (see OtlpReceiver.prepare).
  let traces: ReceiverTraces | undefined;
  let codec: Codec | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let ready: Promise<void> | undefined;
  const prepare = () =>
    (ready ??= Promise.all([options.traces(), import('./receiver-codec.ts')]).then(([made, loaded]) => {
      traces = made;
      codec = loaded;
      sweeper = setInterval(() => {
        made.sweep(); // which decodes what is queued: its traces are then to build ahead
        scheduleIdleWork();
      }, options.sweepMs ?? 200);
      sweeper.unref();
      rehearse(loaded, made, () => !sealed && open === 0 && made.counts.requests === 0);
    }));

  // Requests being read or answered. A request answered on its framing (see ingest) is decoded
  // once none has been open for QUIET_MS, so that a client waiting for its answers waits for the
  // framing alone: an exporter's flush sends its batches one after another, each as soon as the
  // one before is answered, and a decode between two would hold up the second. Then, still
  // while none is open, traces are built ahead of their writing (LiveTraces.prepareAhead).
  let open = 0;
  let lastClosedAt = 0;
  let quietTimer: NodeJS.Timeout | undefined;
  let nextStep: NodeJS.Immediate | undefined;
  const idleStep = () => {
    quietTimer = nextStep = undefined;
    if (open > 0) return; // the last request to close schedules the next step
    const quietFor = performance.now() - lastClosedAt;
    if (quietFor < QUIET_MS) {
      quietTimer = setTimeout(idleStep, QUIET_MS - quietFor);
      return;
    }
    if (traces!.drainOne() || traces!.prepareAhead()) scheduleIdleWork();
  };
  const scheduleIdleWork = () => {
    if (quietTimer || nextStep || open > 0 || !traces?.hasWorkAhead) return;
    // The next step once the connections with something to read have been read (the poll phase
    // comes first), not a timer's millisecond later: the work ahead got half as far that way.
    nextStep = setImmediate(idleStep);
  };

  const onRequest = (request: Request, response: Response) => {
    open++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      lastClosedAt = performance.now();
      scheduleIdleWork();
    };
    response.once('finish', close);
    response.once('close', close);
    const grpc = request.httpVersionMajor === 2 && /^application\/grpc/i.test(request.headers['content-type'] ?? '');
    const handled = (grpc ? handleGrpc(request, response) : handle(request, response)).catch((error: unknown) => {
      options.onLog(`receiver error: ${errorText(error)}`);
      if (response.headersSent) return;
      if (grpc) replyGrpc(response, 13, 'internal error');
      else reply(response, 'json', 500, Buffer.from(JSON.stringify({ code: 13, message: 'internal error' })));
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  };
  const server = createServer(onRequest);
  // A client that opens a connection and sends nothing holds no memory for long.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  const http2 = createHttp2Server({ maxSessionMemory: 64 });
  http2.on('request', onRequest);
  const sessions = new Set<Http2Session>();
  http2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.setTimeout(60_000, () => session.destroy()); // a connection idle for a minute holds nothing
    session.on('error', () => {}); // a client that goes away mid-stream: its streams are answered or gone
  });
  // A request Node cannot parse: Node's own answer (400, 408, 431).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
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

  /**
   * What every request comes to once its body is read: answered once its framing and its
   * spans' trace ids are read, and collected after (LiveTraces.enqueue). A protobuf request's
   * framing is read without decoding it; a JSON one is parsed whole, since parsing is how its
   * framing is read.
   */
  function ingest(bytes: Buffer, encoding: Encoding): PartialSuccess | undefined {
    const live = traces!;
    const { decodeTraceRequestSalvaging, readSpanTraceIds, spanTraceIdsOf } = codec!;
    const source = `OTLP request ${live.counts.requests + 1}`;
    let result;
    if (encoding === 'protobuf') {
      const traceIds = refusingMalformed(() => readSpanTraceIds(bytes));
      refuseWhenFull(traceIds.length);
      result = live.enqueue(traceIds, () => decodeTraceRequestSalvaging(bytes), source);
    } else {
      const payload = parseJson(bytes);
      const traceIds = refusingMalformed(() => spanTraceIdsOf(payload, { file: source }));
      refuseWhenFull(traceIds.length);
      result = live.enqueue(traceIds, () => ({ request: payload, failures: [], failedSpans: 0 }), source);
    }
    return result.rejected > 0 ? { rejectedSpans: result.rejected, errorMessage: result.message ?? '' } : undefined;
  }

  function refuseWhenFull(spans: number): void {
    if (traces!.full(spans))
      throw new Refusal(503, `the receiver holds too many spans of unfinished traces; retry shortly`, { 'Retry-After': '1' });
  }

  const sealedRefusal = () =>
    // FAILED_PRECONDITION over gRPC: not a code its exporters retry.
    new Refusal(400, 'the run is sealed: the command it recorded has exited, and no more spans are taken', {}, 9);

  /** What `read` gives, or the 400 for a body that is not an OTLP request (its framing broken, or not OTLP's shape). */
  function refusingMalformed<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof codec!.ProtobufDecodeError || error instanceof FileFormatError) throw new Refusal(400, error.message);
      throw error;
    }
  }

  async function handle(request: Request, response: Response): Promise<void> {
    await prepare();
    const { encodeStatus, encodeTraceResponse } = codec!;
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
      if (sealed) throw sealedRefusal();

      const body = await readBody(request, maxBody);
      const bytes = contentEncoding === 'gzip' ? await inflate(body, maxBody) : body;
      const partial = ingest(bytes, encoding);
      reply(
        response,
        encoding,
        200,
        encoding === 'protobuf' ? encodeTraceResponse(partial) : Buffer.from(JSON.stringify(partial ? { partialSuccess: partial } : {})),
      );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      options.onLog(`refused a request (${error.status}): ${error.message}`);
      const { code } = error;
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

  /** An OTLP/gRPC `Export` call: one framed ExportTraceServiceRequest, answered with gRPC's status in trailers. */
  async function handleGrpc(request: Request, response: Response): Promise<void> {
    await prepare();
    const { encodeTraceResponse } = codec!;
    try {
      const path = request.url ?? '/';
      if (path !== GRPC_EXPORT) throw new Refusal(404, `no such method ${path}: this receiver implements ${GRPC_EXPORT}`);
      if (sealed) throw sealedRefusal();
      const { compressed, message } = framed(await readBody(request, maxBody + 5));
      let bytes = message;
      if (compressed) {
        const encoding = String(request.headers['grpc-encoding'] ?? 'identity').toLowerCase();
        if (encoding !== 'gzip') throw new Refusal(415, `unsupported grpc-encoding "${encoding}": send gzip or no compression`, {}, 12);
        bytes = await inflate(message, maxBody);
      }
      const partial = ingest(bytes, 'protobuf');
      (response as ServerResponse).writeHead(200, { 'content-type': 'application/grpc', 'grpc-accept-encoding': 'gzip' });
      (response as ServerResponse).write(grpcFrame(encodeTraceResponse(partial)));
      response.addTrailers({ 'grpc-status': '0' });
      response.end();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      options.onLog(`refused a gRPC call (status ${error.code}): ${error.message}`);
      replyGrpc(response, error.code, error.message);
      if (!request.complete) response.once('finish', () => request.destroy());
    }
  }

  sniffHttp2(server, http2);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    prepare: () => void prepare().catch(() => {}), // a failure to load is each request's 500, logged
    async stop() {
      clearInterval(sweeper);
      clearTimeout(quietTimer);
      clearImmediate(nextStep);
      // Until none is open: a request that came while others were awaited is awaited too, or its
      // spans, answered 200, would be collected after the last traces were written.
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      // Sealed first: a request arriving while the last traces are written (in turns) is refused
      // as one after them would be.
      sealed = true;
      // Loading may still be under way (then its sweeper starts late: stopped again); never
      // asked for, there is nothing to write and nothing to load.
      await ready?.catch(() => {});
      clearInterval(sweeper);
      await traces?.flushInTurns();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests after the seal are answered (400, or FAILED_PRECONDITION) while the servers
        // wind down; then every connection closes.
        setTimeout(() => {
          server.closeAllConnections();
          for (const session of sessions) session.destroy();
        }, 1000).unref();
      });
    },
  };
}

/** Made-up requests read at most by `rehearse`, of 80 spans each. */
const REHEARSAL_REQUESTS = 40;
let rehearsed = false;

/**
 * Reads made-up requests (rehearsal.ts), one per turn of the event loop, while `waiting` holds:
 * the first thousands of spans a process reads cost it ten times what later ones do (V8 compiles
 * the decoder and the mapping meanwhile), and while the command starts, this process has
 * nothing to do. Once per process (a warm one gains nothing), and only where a core is free for
 * it beside the command's start.
 */
function rehearse(codec: Codec, traces: ReceiverTraces, waiting: () => boolean): void {
  if (rehearsed || availableParallelism() < 2) return;
  rehearsed = true;
  let bytes: Uint8Array | undefined;
  let left = REHEARSAL_REQUESTS;
  const step = () => {
    if (left-- <= 0 || !waiting()) return;
    try {
      bytes ??= codec.encodeTraceRequest(codec.rehearsalRequest());
      codec.readSpanTraceIds(bytes);
      traces.rehearse(codec.decodeTraceRequestSalvaging(bytes).request);
    } catch {
      return; // a defect, on made-up spans: real ones are read all the same, and show it there
    }
    setImmediate(step).unref();
  };
  setImmediate(step).unref();
}

function encodingOf(header: string | undefined): Encoding | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

function reply(response: Response, encoding: Encoding, status: number, body: Uint8Array, headers: Record<string, string> = {}): void {
  (response as ServerResponse).writeHead(status, {
    'Content-Type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'Content-Length': String(body.byteLength),
    ...headers,
  });
  response.end(body);
}

/** A gRPC call's status, after any headers already sent: HTTP 200, the status in trailers. */
function replyGrpc(response: Response, code: number, message: string): void {
  if (!response.headersSent) (response as ServerResponse).writeHead(200, { 'content-type': 'application/grpc' });
  response.addTrailers({ 'grpc-status': String(code), 'grpc-message': grpcMessageHeader(message) });
  response.end();
}

function framed(body: Buffer): ReturnType<typeof readGrpcMessage> {
  try {
    return readGrpcMessage(body);
  } catch (error) {
    if (error instanceof GrpcFrameError) throw new Refusal(400, error.message);
    throw error;
  }
}

async function readBody(request: Request, limit: number): Promise<Buffer> {
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

function parseJson(bytes: Buffer): unknown {
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
