// Issue 2's figures: validating + aggregating 100,000 traces of 10 spans against the floor of
// reading the same file with JSON.parse, and peak memory while doing it. Each measurement runs
// in its own child process, so peak RSS belongs to that work alone.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTraceLines } from './generators/trace-lines.ts';

const ROOT = join(import.meta.dirname, '..');

interface ChildResult {
  ms: number;
  maxRssMb: number;
  traces: number;
}

function child(mode: string, file: string): ChildResult {
  const out = execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'tsx.js'), join(ROOT, 'bench', 'foundation.bench.ts'), '--child', mode, file],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

export async function benchFoundation(options: { traces?: number } = {}): Promise<Record<string, string | number>> {
  const traces = options.traces ?? 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'labbook-bench-'));
  try {
    const file = join(dir, 'traces.jsonl');
    const bytes = await writeTraceLines(file, traces, 10);
    const floor = child('parse', file);
    const finish = child('finish', file);
    return {
      traces,
      'file MB': +(bytes / 1e6).toFixed(1),
      'JSON.parse floor ms': Math.round(floor.ms),
      'validate+aggregate+seal ms': Math.round(finish.ms),
      'ratio to floor (goal ≤ 3)': +(finish.ms / floor.ms).toFixed(2),
      'µs per trace': +((finish.ms * 1000) / traces).toFixed(1),
      'peak RSS MB (goal < 300)': Math.round(finish.maxRssMb),
      'floor peak RSS MB': Math.round(floor.maxRssMb),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runChild(mode: string, file: string): Promise<void> {
  const started = performance.now();
  let count = 0;
  if (mode === 'parse') {
    const { readJsonlLines } = await import('../src/store/jsonl-reader.ts');
    for await (const entry of readJsonlLines(file)) {
      if (entry.text) JSON.parse(entry.text);
      count++;
    }
  } else {
    const { createRun } = await import('../src/store/run-writer.ts');
    const { finishRun } = await import('../src/store/finish-run.ts');
    const data = mkdtempSync(join(tmpdir(), 'labbook-bench-run-'));
    const config = join(data, 'bench.yaml');
    writeFileSync(config, 'model: bench\n');
    const { dir } = await createRun({
      dataDir: data,
      experiment: 'bench',
      configPath: config,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    mkdirSync(dir, { recursive: true });
    linkSync(file, join(dir, 'traces.jsonl'));
    const started2 = performance.now();
    const result = await finishRun(dir);
    count = result.manifest.counts.traces;
    const ms = performance.now() - started2;
    rmSync(data, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, traces: count })}\n`);
    return;
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, traces: count })}\n`);
  void statSync;
}

const childIndex = process.argv.indexOf('--child');
if (childIndex !== -1) await runChild(process.argv[childIndex + 1]!, process.argv[childIndex + 2]!);
