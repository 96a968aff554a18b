// Issue #8: importing 1,000,000 OTLP spans (goal under 10 s). The spans are written as JSON
// Lines of ExportTraceServiceRequests, as the OpenTelemetry Collector's file exporter writes
// them, shaped like a GenAI agent's (OpenInference root, GenAI chat and tool spans). The floor
// is reading and JSON.parse-ing the same lines; the import adds decoding, the conventions,
// grouping by trace and the tree checks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importOtlp } from '../src/interop/otlp/read-otlp-files.ts';
import { importRun } from '../src/interop/import-run.ts';
import { readJsonlLines } from '../src/store/jsonl-reader.ts';
import { writeOtlpJsonl } from './generators/otlp.ts';

export async function benchInterop(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const spans = options.quick ? 100_000 : 1_000_000;
  const spansPerTrace = 10;
  const dir = await mkdtemp(join(tmpdir(), 'labbook-bench-interop-'));
  try {
    const file = join(dir, 'spans.jsonl');
    const generated = await writeOtlpJsonl(file, { spans, spansPerTrace, spansPerRequest: 1000 });

    const floorStart = performance.now();
    let parsed = 0;
    for await (const entry of readJsonlLines(file)) {
      if (entry.text === undefined) continue;
      const request = JSON.parse(entry.text) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
      parsed += request.resourceSpans[0]!.scopeSpans[0]!.spans.length;
    }
    const floorMs = performance.now() - floorStart;

    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const importRss = sampleRss();
    const importStart = performance.now();
    const { traces, report } = await importOtlp(file);
    const importMs = performance.now() - importStart;
    const peakRss = importRss.stop();
    collectGarbage();
    const heapHeld = process.memoryUsage().heapUsed - heapBefore;
    if (traces.length !== generated.traces || report.mapped.spans !== spans || parsed !== spans) {
      throw new Error(`expected ${generated.traces} traces and ${spans} spans, got ${traces.length} traces and ${report.mapped.spans} spans (floor read ${parsed})`);
    }
    traces.length = 0;
    collectGarbage();

    // The whole command: import, validate and write the run, then seal it (metrics, digests).
    await writeFile(join(dir, 'agent.yaml'), 'model: gpt-4o-mini\n');
    const runRss = sampleRss();
    const runStart = performance.now();
    const run = await importRun({ format: 'otlp', paths: [file], dataDir: join(dir, 'experiments'), rootDir: dir, cwd: dir, env: {}, experiment: 'bench', configPath: 'agent.yaml' });
    const runMs = performance.now() - runStart;
    const runPeakRss = runRss.stop();
    if (run.finished.manifest.counts.spans !== spans) throw new Error(`the run holds ${run.finished.manifest.counts.spans} spans, not ${spans}`);

    const label = spans.toLocaleString('en-US');
    return {
      [`OTLP spans (${spansPerTrace} per trace, JSON Lines)`]: label,
      'file size (MB)': Math.round(generated.bytes / 1e6),
      'floor: read + JSON.parse (s)': (floorMs / 1000).toFixed(2),
      [`import ${label} spans → traces (s, goal < 10${options.quick ? ' for 1,000,000' : ''})`]: (importMs / 1000).toFixed(2),
      'import ÷ floor': (importMs / floorMs).toFixed(2),
      'import per span (µs)': ((importMs * 1000) / spans).toFixed(2),
      'heap held by the traces (MB)': Math.round(heapHeld / 1e6),
      'peak RSS during import (MB)': Math.round(peakRss / 1e6),
      'labbook import into a run, end to end (s)': (runMs / 1000).toFixed(2),
      'peak RSS, end to end (MB, same process, after the import above)': Math.round(runPeakRss / 1e6),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Samples the resident set size every 50 ms until `stop()`, which returns the largest seen. */
function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** A full collection, so "heap held" counts what the traces hold and not garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
