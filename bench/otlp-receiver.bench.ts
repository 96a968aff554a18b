// Issue #17: 100,000 spans sent by the official OpenTelemetry protobuf exporter from an agent
// under `labbook run` (received, assembled, written, sealed), against the same agent and
// exporter sending to a receiver that answers 200 and discards (goal: within 2×), and the peak
// memory of the `labbook run` process (goal: under 300 MB). Span attributes vary per trace
// (questions, answers, token counts) so nothing is flattered by repetition.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compiledCli } from './compiled-cli.ts';

const REPO = resolve(import.meta.dirname, '..');

const AGENT = `
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
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
  // Paced as a real agent is (model calls take time): the exporter's queue never overflows, so
  // every span reaches the receiver in both measurements.
  if (t % 500 === 499) await provider.forceFlush();
}
await provider.shutdown();
`;

export async function benchOtlpReceiver(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const traces = options.quick ? 2_000 : 10_000; // 10 spans each
  const dir = mkdtempSync(join(tmpdir(), 'labbook-bench-otlp-'));
  try {
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'agent.mjs'), AGENT);
    writeFileSync(join(dir, 'agent.yaml'), 'model: gpt-4o-mini\n');
    mkdirSync(join(dir, 'experiments'));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TRACES: String(traces), GITHUB_ACTIONS: '' };

    // The peer: the same agent and exporter, to a receiver that reads each body and discards it.
    let received = 0;
    const server = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
        response.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const peerOnce = async () => {
      received = 0;
      const start = performance.now();
      // Spawned without blocking: the discarding receiver answers from this process's event loop.
      const peer = await new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['agent.mjs'], {
          cwd: dir,
          env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: url },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => done({ status, stderr }));
      });
      if (peer.status !== 0) throw new Error(`the agent failed against the discarding receiver: ${peer.stderr}`);
      return (performance.now() - start) / 1000;
    };

    // labbook as installed (compiled), not the checkout's TypeScript through tsx: see compiled-cli.ts.
    const cli = compiledCli();
    // Each round a new experiment, so every measured run is its experiment's first, as in round one.
    const runOnce = (round: number) => {
      const start = performance.now();
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          'maxrss_kb=%M',
          process.execPath,
          cli,
          'run',
          '--experiment',
          `bench-${round}`,
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
      const summary = /received (\d+) spans in (\d+) requests → (\d+) traces/.exec(run.stderr);
      if (run.status !== 0 || !summary) throw new Error(`labbook run failed: ${run.stdout}\n${run.stderr}`);
      return { seconds, summary, rssMb: Number(/maxrss_kb=(\d+)/.exec(run.stderr)![1]) / 1024 };
    };

    // The machine is shared: the two are measured in turn, several times, and each pair's ratio
    // kept, so a burst of load elsewhere moves one pair rather than the figure.
    const rounds = options.quick ? 1 : 3;
    const peers: number[] = [];
    const runs: Array<ReturnType<typeof runOnce>> = [];
    for (let round = 0; round < rounds; round++) {
      peers.push(await peerOnce());
      runs.push(runOnce(round));
    }
    await new Promise<void>((done) => server.close(() => done()));
    const ratios = runs.map((run, i) => run.seconds / peers[i]!);
    const peerSeconds = median(peers);
    const runSeconds = median(runs.map((run) => run.seconds));
    const { summary } = runs[0]!;
    const rssMb = Math.max(...runs.map((run) => run.rssMb));
    return {
      'spans sent (protobuf exporter)': traces * 10,
      'bytes on the wire to the peer (MB)': (received / 1e6).toFixed(1),
      [`agent → discarding receiver (s, median of ${rounds})`]: peerSeconds.toFixed(2),
      [`labbook run: received, assembled, written, sealed (s, median of ${rounds})`]: runSeconds.toFixed(2),
      'ratio to the discarding receiver, median of the pairs (goal ≤ 2×)': median(ratios).toFixed(2),
      'each pair': ratios.map((ratio) => ratio.toFixed(2)).join(', '),
      'spans received / traces written': `${summary[1]} / ${summary[3]}`,
      'peak RSS of labbook run (MB, goal < 300)': rssMb.toFixed(0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
