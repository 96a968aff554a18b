// Issue 2's SDK figure: the cost the SDK adds per span (goal: under 20 µs), measured as the
// time to record traces of 10 nested spans into a real run, minus the same async work done
// without the SDK. Traces run one after another so the figure is CPU cost, not overlap.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { span, startRun, type Run } from '../src/sdk/index.ts';
import type { SpanType } from '../schemas/span.ts';

const DEPTH = 10;
const TYPES: SpanType[] = ['AGENT', 'CHAIN', 'RETRIEVER', 'TOOL', 'CHAIN', 'RERANKER', 'PARSER', 'TOOL', 'CHAIN', 'LLM'];

/** The agent's own work at each level: an await and a small result, the same with or without the SDK. */
async function work(level: number, input: number): Promise<number> {
  await null;
  return input * 31 + level;
}

async function plain(level: number, input: number): Promise<number> {
  if (level === DEPTH) return input;
  const inner = await plain(level + 1, input);
  return work(level, inner);
}

async function traced(level: number, input: number): Promise<number> {
  if (level === DEPTH) return input;
  return span(`step-${level}`, TYPES[level]!, async (s) => {
    s.setInputs({ level, input });
    const inner = await traced(level + 1, input);
    const result = await work(level, inner);
    if (level === DEPTH - 1) s.setModel('bench-model').setUsage({ input: 120, output: 30, simulated: true });
    else s.setAttributes({ level });
    s.setOutputs(result);
    return result;
  });
}

async function timeBaseline(traces: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < traces; i++) await plain(0, i);
  return performance.now() - started;
}

async function timeSdk(run: Run, traces: number, withSpans: boolean, offset: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < traces; i++) {
    await run.trace({ id: `q-${offset + i}`, input: { i } }, () => (withSpans ? traced(0, i) : plain(0, i)));
  }
  return performance.now() - started;
}

export async function benchSdk(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const traces = options.quick ? 300 : 2000;
  const rounds = options.quick ? 2 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'labbook-bench-sdk-'));
  try {
    const configPath = join(dir, 'bench.yaml');
    writeFileSync(configPath, 'model: bench-model\n');
    const run = await startRun({ experiment: 'bench', configPath, dataDir: join(dir, 'experiments'), env: {}, handleCrashes: false });
    let offset = 0;
    // Warm up the JIT on every path, then keep the best round of each (the least disturbed).
    await timeBaseline(200);
    await timeSdk(run, 200, true, (offset += 200));
    let baseline = Infinity;
    let sdk = Infinity;
    let tracesOnly = Infinity;
    const tracesFile = join(run.dir, 'traces.jsonl');
    let bytes = 0;
    for (let round = 0; round < rounds; round++) {
      baseline = Math.min(baseline, await timeBaseline(traces));
      const before = statSync(tracesFile).size;
      sdk = Math.min(sdk, await timeSdk(run, traces, true, (offset += traces)));
      bytes = statSync(tracesFile).size - before;
      tracesOnly = Math.min(tracesOnly, await timeSdk(run, traces, false, (offset += traces)));
    }
    await run.finish();
    const spans = traces * DEPTH;
    const perSpan = ((sdk - baseline) * 1000) / spans;
    return {
      traces,
      'spans per trace': DEPTH,
      'baseline, no SDK ms': +baseline.toFixed(1),
      'with SDK ms': +sdk.toFixed(1),
      'overhead per span µs (goal < 20)': +perSpan.toFixed(2),
      'of which per-trace cost µs (validate + append, spread over its spans)': +(((tracesOnly - baseline) * 1000) / spans).toFixed(2),
      'trace without spans µs': +(((tracesOnly - baseline) * 1000) / traces).toFixed(1),
      'bytes per trace of 10 spans': Math.round(bytes / traces),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
