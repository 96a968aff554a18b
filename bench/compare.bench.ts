// Issue 3's figure: the engine's records made from the traces, alignment and every statistic of
// `compareRuns` on 4 runs × 10,000 traces,
// single-threaded (the engine has no parallelism), and the bootstrap's share of that time.
// Wall time is the median of 3 runs after a warm-up; CPU time (user + system) shows what the
// work costs when other processes share the machine.
import { syntheticRuns } from './generators/synthetic-runs.ts';
import { compareRecordsFromTraces } from '../src/compare/compare-record.ts';
import { compareRuns } from '../src/compare/compare-runs.ts';
import { pairedBootstrapMeans } from '../src/stats/paired-bootstrap.ts';

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed(work: () => void): Timing {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function median(timings: Timing[]): Timing {
  const by = (key: keyof Timing) => [...timings].sort((a, b) => a[key] - b[key])[Math.floor(timings.length / 2)]![key];
  return { wallMs: by('wallMs'), cpuMs: by('cpuMs') };
}

export async function benchCompare(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const runCount = 4;
  const traces = options.quick ? 2_000 : 10_000;
  const repeats = options.quick ? 1 : 3;
  const { experiment, runs } = syntheticRuns(runCount, traces);
  // What `labbook compare` does once the traces are read: records from traces, then the engine.
  const compare = () =>
    compareRuns({
      runs: runs.map((run) => ({ manifest: run.manifest, records: compareRecordsFromTraces(run.traces), config: run.config })),
      experiment,
    });

  let comparison = compare(); // warm-up (JIT), not measured
  const total = median(Array.from({ length: repeats }, () => timed(() => (comparison = compare()))));

  // The bootstrap alone, on columns of the same shape as the engine's: one per numeric delta.
  const { resamples, seed } = comparison.settings.bootstrap;
  const columns = comparison.metrics
    .filter((m) => m.kind !== 'label')
    .flatMap((m) => m.deltas.filter((d) => d.ci !== null).map(() => Float64Array.from({ length: m.n }, (_, i) => (i % 7) - 3)));
  const bootstrap = median(Array.from({ length: repeats }, () => timed(() => pairedBootstrapMeans(columns, { resamples, seed }))));

  return {
    runs: runCount,
    'traces per run': traces,
    metrics: comparison.metrics.length,
    'tests (Holm family)': comparison.settings.tests,
    'bootstrap resamples': resamples,
    'compare wall ms (goal < 1000)': Math.round(total.wallMs),
    'compare CPU ms': Math.round(total.cpuMs),
    'bootstrap wall ms': Math.round(bootstrap.wallMs),
    'bootstrap share of compare': `${Math.round((100 * bootstrap.cpuMs) / total.cpuMs)}%`,
  };
}
