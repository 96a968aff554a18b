// The aggregator alone (what finishing a run spends beyond parsing): 100,000 traces of 10
// spans folded into metrics.json. Traces are parsed once into a pool of 1,000 and fed round
// robin, so the figure excludes generation and parsing; the aggregator keeps no trace object.
import { traceSchema, type Trace } from '../schemas/trace.ts';
import { createAggregator } from '../src/aggregate/aggregator.ts';
import { seeded, syntheticTrace } from './generators/trace-lines.ts';

export async function benchAggregate(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const traces = options.quick ? 10_000 : 100_000;
  const spans = 10;
  const random = seeded(3);
  const pool: Trace[] = Array.from({ length: 1_000 }, (_, i) => traceSchema.parse(syntheticTrace(i, spans, random)));

  const warm = createAggregator();
  for (const t of pool) warm.add(t);
  warm.result();

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const aggregator = createAggregator();
  for (let i = 0; i < traces; i++) aggregator.add(pool[i % pool.length]!);
  const added = performance.now();
  const metrics = aggregator.result();
  const done = performance.now();
  const used = process.cpuUsage(cpu);
  const heapAfter = process.memoryUsage().heapUsed;

  return {
    traces,
    'spans per trace': spans,
    'add ms': Math.round(added - started),
    'result() ms': Math.round(done - added),
    'traces/s': Math.round(traces / ((done - started) / 1000)),
    'CPU ms': Math.round((used.user + used.system) / 1000),
    'heap growth MB (approx.)': +((heapAfter - heapBefore) / 1e6).toFixed(1),
    'scores summarized': Object.keys(metrics.scores).length,
  };
}
