// Issue #17: 100,000 spans sent by the official OpenTelemetry protobuf exporter from an agent
// under `labbook run` (received, assembled, written, sealed), against the same agent and
// exporter sending to a receiver that answers 200 and discards (goal: within 2×), and the peak
// memory of the `labbook run` process (goal: under 300 MB). Span attributes vary per trace
// (questions, answers, token counts) so nothing is flattered by repetition. The goal's agent makes
// spans with no pause and waits for the receiver every 500 traces, its worst case; the same is
// measured for an agent that waits a millisecond per trace, as one waiting on a model would, and
// for the same agent with the official OTLP/gRPC exporter against a gRPC receiver that discards.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compiledCli } from './compiled-cli.ts';

const REPO = resolve(import.meta.dirname, '..');

const AGENT = `
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
const { OTLPTraceExporter } = process.env.EXPORTER === 'grpc' ? await import('@opentelemetry/exporter-trace-otlp-grpc') : await import('@opentelemetry/exporter-trace-otlp-proto');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { maxQueueSize: 20000, maxExportBatchSize: 1000, scheduledDelayMillis: 100 })] });
const tracer = provider.getTracer('bench-agent');
const traces = Number(process.env.TRACES);
const words = ['refund', 'warranty', 'tent', 'boots', 'order', 'shipping', 'size', 'return', 'stove', 'jacket'];
for (let t = 0; t < traces; t++) {
  const question = Array.from({ length: 8 + (t % 7) }, (_, i) => words[(t * 7 + i * 3) % words.length] + (t % 13)).join(' ');
  tracer.startActiveSpan('agent', (root) => {
    root.setAttributes({ 'labbook.example.id': 'q' + t, 'labbook.example.input': JSON.stringify({ question }) });
    for (let s = 0; s < 9; s++) {
      tracer.startActiveSpan(s % 3 === 0 ? 'chat gpt-4o-mini' : 'tool ' + words[s], (span) => {
        span.setAttributes(s % 3 === 0
          ? { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 100 + ((t * 31 + s) % 400), 'gen_ai.usage.output_tokens': 10 + ((t + s) % 90) }
          : { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': words[s], 'tool.args': question.slice(0, 20 + s) });
        span.end();
      });
    }
    root.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'correct', 'gen_ai.evaluation.score.value': t % 3 === 0 ? 0 : 1 });
    root.end();
  });
  // Paced so that the exporter's queue never overflows and every span reaches the receiver in
  // both measurements. 'flush': no time between traces, a forceFlush (which waits for the
  // receiver's answers) every 500; 'model': a millisecond's wait per trace, as for a model call,
  // the exporter sending in the background as it does in a real agent.
  if (process.env.PACING === 'model') await new Promise((resolve) => setTimeout(resolve, 1));
  else if (t % 500 === 499) await provider.forceFlush();
}
await provider.shutdown();
`;

export async function benchOtlpReceiver(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'labbook-bench-otlp-'));
  const server = await discardingReceiver();
  try {
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'agent.mjs'), AGENT);
    writeFileSync(join(dir, 'agent.yaml'), 'model: gpt-4o-mini\n');
    mkdirSync(join(dir, 'experiments'));
    // labbook as installed (compiled), not the checkout's TypeScript through tsx: see compiled-cli.ts.
    const cli = compiledCli();
    // The goal's figure takes five pairs: on a shared machine one pair's ratio moves by a fifth.
    const goalRounds = options.quick ? 1 : 5;
    const rounds = options.quick ? 1 : 3;
    const flushed = await measurePairs({ dir, cli, server, pacing: 'flush', traces: options.quick ? 2_000 : 10_000, rounds: goalRounds }); // 10 spans each
    const waiting = await measurePairs({ dir, cli, server, pacing: 'model', traces: options.quick ? 500 : 2_000, rounds });
    // The same agent with the official gRPC exporter, against a gRPC receiver that discards.
    const grpcServer = await discardingGrpcReceiver();
    let grpc;
    try {
      grpc = await measurePairs({
        dir,
        cli,
        server: grpcServer,
        pacing: 'flush',
        traces: options.quick ? 2_000 : 10_000,
        rounds,
        exporter: 'grpc',
      });
    } finally {
      await new Promise<void>((done) => grpcServer.close(() => done()));
    }
    return {
      'spans sent (protobuf exporter)': flushed.spans,
      'bytes on the wire to the peer (MB)': (flushed.bytes / 1e6).toFixed(1),
      [`agent → discarding receiver (s, median of ${goalRounds})`]: flushed.peerSeconds.toFixed(2),
      [`labbook run: received, assembled, written, sealed (s, median of ${goalRounds})`]: flushed.runSeconds.toFixed(2),
      'ratio to the discarding receiver, median of the pairs (goal ≤ 2×)': flushed.ratio.toFixed(2),
      'each pair': flushed.pairs,
      'spans received / traces written': flushed.received,
      'peak RSS of labbook run (MB, goal < 300)': flushed.rssMb.toFixed(0),
      [`the same ${grpc.spans.toLocaleString('en-US')} spans over OTLP/gRPC (the official gRPC exporter): ratio (pairs)`]: `${grpc.ratio.toFixed(2)} (${grpc.pairs}; labbook run ${grpc.runSeconds.toFixed(2)} s against ${grpc.peerSeconds.toFixed(2)} s)`,
      [`the same, ${waiting.spans.toLocaleString('en-US')} spans from an agent waiting 1 ms per trace: ratio (pairs)`]: `${waiting.ratio.toFixed(2)} (${waiting.pairs}; labbook run ${waiting.runSeconds.toFixed(2)} s against ${waiting.peerSeconds.toFixed(2)} s)`,
    };
  } finally {
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface DiscardingReceiver {
  url: string;
  /** Bytes of request bodies read since the last reset. */
  received(reset?: boolean): number;
  close(done: () => void): void;
}

/** The peer: a receiver that reads each body, answers 200 and keeps nothing. */
function discardingReceiver(): Promise<DiscardingReceiver> {
  const bytes = { received: 0 };
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes.received += chunk.length));
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
      response.end();
    });
  });
  return listening(server, bytes);
}

/** The gRPC peer: an HTTP/2 server that reads each Export call, answers OK and keeps nothing. */
function discardingGrpcReceiver(): Promise<DiscardingReceiver> {
  const bytes = { received: 0 };
  const server = createHttp2Server();
  server.on('stream', (stream) => {
    stream.on('data', (chunk: Buffer) => (bytes.received += chunk.length));
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.alloc(5)); // an empty ExportTraceServiceResponse, framed
    });
  });
  return listening(server, bytes);
}

/** `server` listening on a free loopback port, as a peer that counts the bytes it was sent. */
async function listening(server: Server, bytes: { received: number }): Promise<DiscardingReceiver> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received(reset = false) {
      const count = bytes.received;
      if (reset) bytes.received = 0;
      return count;
    },
    close: (done) => server.close(() => done()),
  };
}

/**
 * The same agent against the discarding receiver and under `labbook run`, in turn, `rounds`
 * times: the machine is shared, so each pair's ratio is kept and a burst of load elsewhere moves
 * one pair rather than the figure.
 */
async function measurePairs(options: {
  dir: string;
  cli: string;
  server: DiscardingReceiver;
  pacing: 'flush' | 'model';
  traces: number;
  rounds: number;
  exporter?: 'proto' | 'grpc';
}) {
  const { dir, cli, server, pacing, traces, rounds } = options;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TRACES: String(traces),
    PACING: pacing,
    GITHUB_ACTIONS: '',
    EXPORTER: options.exporter ?? 'proto',
  };
  let bytes = 0;
  const peerOnce = async () => {
    server.received(true);
    const start = performance.now();
    // Spawned without blocking: the discarding receiver answers from this process's event loop.
    const peer = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['agent.mjs'], {
        cwd: dir,
        env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: server.url },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => done({ status, stderr }));
    });
    if (peer.status !== 0) throw new Error(`the agent failed against the discarding receiver: ${peer.stderr}`);
    bytes = server.received();
    return (performance.now() - start) / 1000;
  };
  const runOnce = (round: number) => {
    const start = performance.now();
    // Each round a new experiment, so every measured run is its experiment's first, as in round one.
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'maxrss_kb=%M',
        process.execPath,
        cli,
        'run',
        '--experiment',
        `bench-${pacing}-${env.EXPORTER}-${round}`,
        '--create',
        '--config',
        'agent.yaml',
        '--quiet',
        '--',
        process.execPath,
        'agent.mjs',
      ],
      { cwd: dir, env, encoding: 'utf8' },
    );
    const seconds = (performance.now() - start) / 1000;
    // Counts as the summary writes them: "received 100,000 spans in 100 requests → 10,000 traces".
    const summary = /received ([\d,]+) spans in ([\d,]+) requests → ([\d,]+) traces/.exec(run.stderr.replaceAll(/(\d),(\d)/g, '$1$2'));
    if (run.status !== 0 || !summary) throw new Error(`labbook run failed: ${run.stdout}\n${run.stderr}`);
    // A span the exporter dropped (its queue full) would flatter the figure: every one must arrive.
    if (Number(summary[1]) !== traces * 10)
      throw new Error(`labbook run received ${summary[1]} of ${traces * 10} spans (${pacing} pacing)`);
    return { seconds, summary, rssMb: Number(/maxrss_kb=(\d+)/.exec(run.stderr)![1]) / 1024 };
  };
  const peers: number[] = [];
  const runs: Array<ReturnType<typeof runOnce>> = [];
  for (let round = 0; round < rounds; round++) {
    // Which of the two goes first alternates: what one leaves behind (the kernel writing out the
    // run's files, a burst of load elsewhere) falls on the other as often as not.
    if (round % 2 === 0) {
      peers.push(await peerOnce());
      runs.push(runOnce(round));
    } else {
      runs.push(runOnce(round));
      peers.push(await peerOnce());
    }
  }
  const ratios = runs.map((run, i) => run.seconds / peers[i]!);
  const { summary } = runs[0]!;
  return {
    spans: traces * 10,
    bytes,
    peerSeconds: median(peers),
    runSeconds: median(runs.map((run) => run.seconds)),
    ratio: median(ratios),
    pairs: ratios.map((ratio) => ratio.toFixed(2)).join(', '),
    received: `${summary[1]} / ${summary[3]}`,
    rssMb: Math.max(...runs.map((run) => run.rssMb)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
