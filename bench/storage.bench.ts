// Issue 16's storage figures on realistic agent traces (bench/generators/realistic-traces.ts):
// stored bytes against plain JSON Lines, the largest file of a 50,000-trace run, sealing (parse,
// aggregate, compress, verify) against reading the plain file, and validate + aggregate of the
// compressed run against decompressing and JSON.parse-ing it. Each timed step runs in its own
// child process, so its peak RSS is its own. A sample chunk also measures the alternatives:
// gzip levels, and a per-chunk string table for long repeated strings before gzip.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CHUNK_GZIP_LEVEL } from '../src/store/chunk-writer.ts';
import { writeRealisticTraces } from './generators/realistic-traces.ts';

const ROOT = join(import.meta.dirname, '..');

interface ChildResult {
  ms: number;
  maxRssMb: number;
  traces: number;
  dir?: string;
}

function child(mode: string, ...args: string[]): ChildResult {
  const out = execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'tsx.js'), join(ROOT, 'bench', 'storage.bench.ts'), '--child', mode, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

export async function benchStorage(options: { quick?: boolean; traces?: number } = {}): Promise<Record<string, string | number>> {
  const traces = options.traces ?? (options.quick ? 5_000 : 50_000);
  const work = mkdtempSync(join(tmpdir(), 'labbook-bench-storage-'));
  try {
    const plain = join(work, 'traces.jsonl');
    const plainBytes = await writeRealisticTraces(plain, traces);
    const floor = child('parse', plain);
    const sealedPlain = child('seal', work, plain, 'plain');
    const sealed = child('seal', work, plain, 'chunks');
    const sealedWritten = child('seal', work, plain, 'written');
    const sealedFollowed = child('seal', work, plain, 'followed');
    const compacted = child('compact', sealedPlain.dir!);
    const run = sealed.dir!;
    const chunkDir = join(run, 'traces');
    const chunkSizes = readdirSync(chunkDir).map((name) => statSync(join(chunkDir, name)).size);
    const stored = chunkSizes.reduce((a, b) => a + b, 0);
    const largest = Math.max(
      ...readdirSync(run, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => statSync(join(run, e.name)).size),
      ...chunkSizes,
    );
    const gunzipFloor = child('gunzip-parse', run);
    const validate = child('validate', run);
    const sample = sampleChunk(join(chunkDir, readdirSync(chunkDir).sort()[0]!));
    const pushed = await pushWithTheAction(plain);
    const site = await siteTraceChunks(work);
    return {
      traces,
      'plain JSONL MB': mb(plainBytes),
      'KB per trace (plain)': +(plainBytes / traces / 1024).toFixed(1),
      'stored MB (chunks)': mb(stored),
      'stored ÷ plain (goal ≤ 0.1)': +(stored / plainBytes).toFixed(3),
      'bytes per trace stored': Math.round(stored / traces),
      chunks: chunkSizes.length,
      'largest file MB (goal < 50)': mb(largest),
      'read plain floor ms (readJsonlLines + JSON.parse)': Math.round(floor.ms),
      'seal ms, plain (before: parse + aggregate + sums)': Math.round(sealedPlain.ms),
      'seal ms, a file nobody read while it was written (labbook repair): parse + gzip + checks': Math.round(sealed.ms),
      '  ÷ read floor': +(sealed.ms / floor.ms).toFixed(2),
      'seal ms, a run this process wrote (sums kept while writing; no second parse)': Math.round(sealedWritten.ms),
      '  ÷ read floor (goal ≤ 2), written by this process': +(sealedWritten.ms / floor.ms).toFixed(2),
      'seal ms, a file another process wrote, read while it was written (labbook run, the action)': Math.round(sealedFollowed.ms),
      '  ÷ read floor (goal ≤ 2), read while written': +(sealedFollowed.ms / floor.ms).toFixed(2),
      'seal peak RSS MB': Math.round(sealed.maxRssMb),
      'labbook compact ms (old plain run → chunks)': Math.round(compacted.ms),
      'compact ÷ read floor (goal ≤ 2)': +(compacted.ms / floor.ms).toFixed(2),
      'gunzip + JSON.parse floor ms': Math.round(gunzipFloor.ms),
      'validate + aggregate ms (compressed run)': Math.round(validate.ms),
      'validate ÷ gunzip+parse floor (goal ≤ 3)': +(validate.ms / gunzipFloor.ms).toFixed(2),
      'validate peak RSS MB': Math.round(validate.maxRssMb),
      'action: ingest + seal + push the run, s': +(pushed.ms / 1000).toFixed(1),
      'action: files of the run on the bare remote': pushed.files,
      'action: largest file pushed MB (goal < 50)': mb(pushed.largest),
      'site: trace chunks of 2,000 traces, plain MB': mb(site.plainBytes),
      'site: the same shipped gzip MB (÷ plain)': `${mb(site.gzBytes)} (${(site.gzBytes / site.plainBytes).toFixed(3)}×)`,
      'site: open a chunk, fetch-free: JSON.parse ms / inflate + parse ms': `${site.parseMs.toFixed(1)} / ${site.inflateMs.toFixed(1)}`,
      'site: data files + CSV downloads ÷ plain traces (goal ≤ 0.2)': `${(site.siteBytes / site.inputBytes).toFixed(3)} (${mb(site.siteBytes)} MB for ${mb(site.inputBytes)} MB)`,
      ...sample,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The bundled action as the runner runs it, ingesting the plain file as its `traces` input,
 * sealing and pushing the run to a bare remote; the pushed tree's blob sizes read back from git.
 */
async function pushWithTheAction(plain: string): Promise<{ ms: number; files: number; largest: number }> {
  const { createTestRepo, runAction, git } = await import('../test/action/harness.ts');
  const repo = await createTestRepo('labbook-bench-storage-action-');
  try {
    linkSync(plain, join(repo.workspace, 'traces.jsonl'));
    const started = performance.now();
    const run = await runAction({ repo, inputs: { experiment: 'bench', config: 'configs/baseline.yaml', traces: 'traces.jsonl' } });
    const ms = performance.now() - started;
    if (run.code !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`);
    const tree = git(repo.remote, 'ls-tree', '-r', '-l', 'master', `experiments/bench/runs/${run.outputs['run-id']}/`).trim().split('\n');
    const sizes = tree.map((line) => Number(line.split(/\s+/)[3]));
    return { ms, files: sizes.length, largest: Math.max(...sizes) };
  } finally {
    rmSync(repo.root, { recursive: true, force: true });
  }
}

/**
 * The site's per-trace detail for 2,000 realistic traces: its trace chunks as shipped (gzip)
 * against their JSON, and opening one chunk in a page's way (DecompressionStream, then parse)
 * against parsing it plain. Node's DecompressionStream is the same web API the browser has.
 */
async function siteTraceChunks(
  work: string,
): Promise<{ plainBytes: number; gzBytes: number; parseMs: number; inflateMs: number; siteBytes: number; inputBytes: number }> {
  const { finishRun } = await import('../src/store/finish-run.ts');
  const { loadSite } = await import('../site/build/load-site.ts');
  const { writeSiteData } = await import('../site/build/write-site-data.ts');
  const data = join(work, 'site-data');
  const run = await emptyRun(data, join(work, 'site.yaml'));
  await writeRealisticTraces(join(run.dir, 'traces.jsonl'), 2_000, 11);
  await finishRun(run.dir);
  const { writeSiteCsv } = await import('../site/build/write-site-csv.ts');
  const { measureFolder } = await import('../src/gc/storage-health.ts');
  const out = join(work, 'site-out');
  const loaded = await loadSite(data);
  await writeSiteData(loaded, out, {});
  await writeSiteCsv(loaded, out);
  const siteBytes = (await measureFolder(out)).bytes;
  const inputBytes = (await import('../src/store/trace-storage.ts')).plainTraceBytes(run.dir);
  const chunkDir = join(out, 'data', 'bench', run.manifest.id);
  const chunks = readdirSync(chunkDir)
    .filter((f) => f.endsWith('.json.gz'))
    .map((f) => readFileSync(join(chunkDir, f)));
  const plains = chunks.map((c) => gunzipSync(c));
  let parseMs = 0;
  let inflateMs = 0;
  for (const [i, gz] of chunks.entries()) {
    let started = performance.now();
    JSON.parse(plains[i]!.toString('utf8'));
    parseMs += performance.now() - started;
    started = performance.now();
    await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).json();
    inflateMs += performance.now() - started;
  }
  return {
    plainBytes: plains.reduce((n, p) => n + p.length, 0),
    gzBytes: chunks.reduce((n, c) => n + c.length, 0),
    parseMs: parseMs / chunks.length,
    inflateMs: inflateMs / chunks.length,
    siteBytes,
    inputBytes: await inputBytes,
  };
}

/**
 * On one chunk's plain bytes: gzip at levels 1, 4 (used), 6 and 9, and a string table (every
 * string of 256+ characters seen before in the chunk replaced by a reference) before gzip.
 */
function sampleChunk(file: string): Record<string, string | number> {
  const plain = gunzipSync(readFileSync(file));
  const timed = (level: number) => {
    const started = performance.now();
    const size = gzipSync(plain, { level }).length;
    return { size, ms: performance.now() - started };
  };
  const [l1, l4, l6, l9] = [timed(1), timed(CHUNK_GZIP_LEVEL), timed(6), timed(9)];
  const table = new Map<string, number>();
  const strings: string[] = [];
  const dedupe = (value: unknown): unknown => {
    if (typeof value === 'string' && value.length >= 256) {
      const seen = table.get(value);
      if (seen !== undefined) return { $s: seen };
      table.set(value, strings.length);
      strings.push(value);
      return value;
    }
    if (Array.isArray(value)) return value.map(dedupe);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dedupe(v)]));
    return value;
  };
  const lines = plain
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const deduped = Buffer.from(lines.map((l) => JSON.stringify(dedupe(JSON.parse(l)))).join('\n'));
  const withTable = gzipSync(deduped, { level: CHUNK_GZIP_LEVEL }).length;
  const ratio = (n: number) => +(n / plain.length).toFixed(4);
  return {
    'sample chunk MB (plain)': mb(plain.length),
    'gzip -1 ratio / MB/s': `${ratio(l1.size)} / ${Math.round(plain.length / 1e3 / l1.ms)}`,
    [`gzip -${CHUNK_GZIP_LEVEL} ratio / MB/s (used)`]: `${ratio(l4.size)} / ${Math.round(plain.length / 1e3 / l4.ms)}`,
    'gzip -6 ratio / MB/s': `${ratio(l6.size)} / ${Math.round(plain.length / 1e3 / l6.ms)}`,
    'gzip -9 ratio / MB/s': `${ratio(l9.size)} / ${Math.round(plain.length / 1e3 / l9.ms)}`,
    'string table (≥256 chars, per chunk) before table': `${(deduped.length / plain.length).toFixed(3)}× of the plain bytes`,
    [`string table + gzip -${CHUNK_GZIP_LEVEL} ratio (vs gzip alone)`]: `${ratio(withTable)} (${((withTable / l4.size - 1) * 100).toFixed(1)}%)`,
  };
}

/** A live run of the experiment `bench`, made locally in `dataDir`, with no traces yet. */
async function emptyRun(dataDir: string, config: string) {
  const { createRun } = await import('../src/store/run-writer.ts');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(config, 'model: bench\n');
  return createRun({
    dataDir,
    experiment: 'bench',
    configPath: config,
    source: { kind: 'local', host: 'h', user: 'u' },
    code: { commit: null, branch: null, dirty: false },
  });
}

async function runChild(mode: string, args: string[]): Promise<void> {
  // Modules load before the clock starts: every figure times the work alone.
  const { readJsonlLines } = await import('../src/store/jsonl-reader.ts');
  const { streamTraceLines, DEFAULT_CHUNK_BYTES } = await import('../src/store/trace-storage.ts');
  const { compactRun } = await import('../src/store/compact-run.ts');
  const { validateRun } = await import('../src/validate/validate-run.ts');
  const { TraceWriter } = await import('../src/store/trace-writer.ts');
  const { traceSchema } = await import('../schemas/trace.ts');
  const { TraceFollower } = await import('../src/store/trace-follower.ts');
  const { finishRun } = await import('../src/store/finish-run.ts');
  const started = performance.now();
  let count = 0;
  let dir: string | undefined;
  if (mode === 'parse') {
    for await (const entry of readJsonlLines(args[0]!)) {
      if (entry.text) JSON.parse(entry.text);
      count++;
    }
  } else if (mode === 'gunzip-parse') {
    for await (const { entry } of streamTraceLines(args[0]!)) {
      if (entry.text) JSON.parse(entry.text);
      count++;
    }
  } else if (mode === 'compact') {
    const outcome = await compactRun(args[0]!, { chunkBytes: DEFAULT_CHUNK_BYTES });
    if (outcome.kind !== 'compacted') throw new Error(`nothing compacted: ${outcome.reason}`);
    count = outcome.chunks;
  } else if (mode === 'validate') {
    const result = await validateRun(args[0]!);
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new Error(`the bench run does not validate: ${errors[0]!.file}: ${errors[0]!.message}`);
    count = result.traceIds.size;
  } else {
    const [work, file, form] = args as [string, string, 'plain' | 'chunks' | 'written' | 'followed'];
    const run = await emptyRun(join(work, `data-${form}`), join(work, 'bench.yaml'));
    let written: InstanceType<typeof TraceWriter> | undefined;
    let followed: InstanceType<typeof TraceFollower> | undefined;
    if (form === 'written') {
      // Written as an import or the OTLP receiver writes: each line with the trace it is (untimed).
      written = new TraceWriter(run.dir, { sum: true });
      for await (const entry of readJsonlLines(file))
        if (entry.text) written.appendLine(entry.text, traceSchema.parse(JSON.parse(entry.text)));
      written.close();
    } else if (form === 'followed') {
      // Appended in 8 MB pieces as a command writes it, read after each (untimed: the run).
      followed = new TraceFollower(join(run.dir, 'traces.jsonl'));
      const target = openSync(join(run.dir, 'traces.jsonl'), 'a');
      for await (const piece of createReadStream(file, { highWaterMark: 8 << 20 }) as AsyncIterable<Buffer>) {
        writeSync(target, piece);
        await followed.poll();
      }
      closeSync(target);
    } else {
      linkSync(file, join(run.dir, 'traces.jsonl'));
    }
    const sealStarted = performance.now();
    const result = await finishRun(run.dir, {
      chunking: form === 'plain' ? false : { chunkBytes: DEFAULT_CHUNK_BYTES },
      ...(written ? { written: written.written } : {}),
      ...(followed ? { followed } : {}),
    });
    count = result.manifest.counts.traces;
    dir = run.dir;
    process.stdout.write(
      `${JSON.stringify({ ms: performance.now() - sealStarted, maxRssMb: process.resourceUsage().maxRSS / 1024, traces: count, dir })}\n`,
    );
    return;
  }
  process.stdout.write(
    `${JSON.stringify({ ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, traces: count, dir })}\n`,
  );
}

const childIndex = process.argv.indexOf('--child');
if (childIndex !== -1) await runChild(process.argv[childIndex + 1]!, process.argv.slice(childIndex + 2));
