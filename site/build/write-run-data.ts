import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '#lib/json/canonical-json.ts';
import type { FileFormatError } from '#lib/errors/index.ts';
import type { Trace } from '#schemas/trace.ts';
import { readRecordedPlan } from '#lib/plan/read-recorded-plan.ts';
import { streamTraces } from '#lib/store/run-reader.ts';
import { plainTraceBytes } from '#lib/store/trace-storage.ts';
import { histogram, scoreDistribution, type ScoreDistribution } from '#site/view/distribution-bins.ts';
import type { RunDataSummary, SiteExperiment, SiteRun } from '#site/view/site-source.ts';
import { commitUrl, runRepo, repoUrl, workflowRunUrl, type RepoRef } from '#site/view/repo-links.ts';
import { RunEvidenceAccumulator } from '#site/view/run-evidence.ts';
import { JudgeScoreCollector } from '#lib/annotations/judges-and-people.ts';
import type { ColumnMeta, RunMeta } from '#site/view/run-meta.ts';
import { rowsPageFile, runDataPaths } from '#site/view/run-meta.ts';
import { splitRowsIntoPages } from '#site/view/run-rows-pages.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import { type ColumnHints, type RowAnnotations, RunRowsBuilder, type TraceIndex } from '#site/view/run-rows.ts';

export interface ChunkOptions {
  /** A chunk is closed once it holds this many bytes of trace JSON… */
  targetBytes: number;
  /** …or this many traces, whichever comes first. A single huge trace gets a chunk of its own. */
  maxTraces: number;
}

/** About 256 KB per fetch: one trace opens fast, and neighbours (n/p) are often in the same chunk. */
const DEFAULT_CHUNKS: ChunkOptions = { targetBytes: 256 * 1024, maxTraces: 100 };

/**
 * Streams one run's traces once and writes its site data under `dataRoot` (the site's `data/`
 * parent): the table in pages (`rows-<k>.json.gz`, see run-rows-pages.ts), `index.json` (trace id → chunk), `traces-<k>.json`
 * chunks with the full traces, and `meta.json`. Memory holds the table columns and one chunk,
 * never the run.
 */
export async function writeRunData(
  experiment: SiteExperiment,
  run: SiteRun,
  dataRoot: string,
  options: {
    chunks?: ChunkOptions;
    siteRepo?: RepoRef | null;
    annotations?: { rows: RowAnnotations; file: RunAnnotationsFile };
    /** Sees each trace the pass reads, for work the build would otherwise read the traces again for. */
    onTrace?: (trace: Trace) => void;
  } = {},
): Promise<RunDataSummary> {
  const chunking = options.chunks ?? DEFAULT_CHUNKS;
  const { manifest } = run;
  const paths = runDataPaths(manifest.experiment, manifest.id);
  const outDir = join(dataRoot, paths.dir);
  await mkdir(outDir, { recursive: true });

  const hints: ColumnHints = { kinds: {}, directions: {} };
  for (const [name, summary] of Object.entries(run.metrics?.scores ?? {})) hints.kinds![name] = summary.kind;
  for (const metric of experiment.definition.metrics) hints.directions![metric.name] = metric.direction;
  const builder = new RunRowsBuilder(manifest.experiment, manifest.id, shortHash, hints, options.annotations?.rows ?? null);

  const index: TraceIndex = { v: 1, ids: [], chunkStarts: [] };
  const warnings: string[] = [];
  const plan = await readRecordedPlan(run.dir, manifest).catch((error: Error) => {
    warnings.push(`${error.message} (the run is shown without its plan)`);
    return null;
  });
  // The cluster key in force for this run: its recorded plan's, else experiment.yaml's (as compare decides).
  const definition = experiment.definition;
  const evidence = new RunEvidenceAccumulator(
    plan?.plan.cluster ?? definition.cluster ?? null,
    definition.primaryMetric ?? definition.metrics[0]?.name ?? plan?.plan.metrics[0]?.name ?? null,
  );
  // Only annotated traces' automated scores are kept: memory follows the annotations, not the run.
  const judgeScores = new JudgeScoreCollector(options.annotations?.file.entries ?? []);
  let badLines = 0;
  let bytesOut = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  let chunkCount = 0;

  const write = async (path: string, data: string | Buffer) => {
    await writeFile(join(dataRoot, path), data);
    bytesOut += Buffer.byteLength(data);
  };
  const flush = async () => {
    if (pending.length === 0) return;
    // Shipped gzip-compressed: a site's stored size is what GitHub Pages' 1 GB limit counts.
    await write(paths.chunk(chunkCount++), await gzipText(`[${pending.join(',')}]`));
    pending = [];
    pendingBytes = 0;
  };

  const bytesIn = await plainTraceBytes(run.dir, manifest);
  if (bytesIn > 0) {
    const onError = (error: FileFormatError) => {
      badLines++;
      if (warnings.length < 20) warnings.push(`skipped: ${error.message}`);
    };
    for await (const trace of streamTraces(run.dir, { manifest, onError, uniqueIds: true })) {
      if (pending.length === 0) index.chunkStarts.push(index.ids.length);
      index.ids.push(trace.id);
      builder.add(trace);
      evidence.add(trace);
      judgeScores.add(trace);
      options.onTrace?.(trace);
      const json = JSON.stringify(trace);
      pending.push(json);
      pendingBytes += json.length;
      if (pendingBytes >= chunking.targetBytes || pending.length >= chunking.maxTraces) await flush();
    }
    await flush();
  }
  if (badLines > warnings.length) warnings.push(`… ${badLines - warnings.length} more invalid trace lines in ${run.dir}`);

  const rows = builder.finish();
  // What the compare page needs to pair trials and cluster examples as labbook compare does.
  if (evidence.trials.length === rows.count) {
    if (evidence.trials.some((t) => t !== null)) rows.trial = evidence.trials;
    if (evidence.clusterKey) rows.cluster = { key: evidence.clusterKey, values: evidence.clusterValues };
  }
  const judges = judgeScores.finish(experiment.annotations.rules);
  if (judges.disagreeing.length > 0) {
    const disagreeing = new Set(judges.disagreeing);
    rows.judgeDisagreements = index.ids.flatMap((id, row) => (disagreeing.has(id) ? [row] : []));
  }
  const columns: ColumnMeta[] = rows.scores.map(({ values: _values, ...meta }) => meta);
  // The table in pages, gzip-compressed like the chunks: the run page shows the first page while the rest arrives.
  for (const [k, page] of splitRowsIntoPages(rows, rowsPageFile).entries())
    await write(paths.rowsPage(k), await gzipText(JSON.stringify(page)));
  await write(paths.index, JSON.stringify(index));

  const repo = runRepo(manifest, options.siteRepo ?? null);
  const meta: RunMeta = {
    v: 1,
    manifest,
    metrics: run.metrics,
    configText: run.configText,
    config: run.config,
    experiment: {
      name: experiment.name,
      metrics: experiment.definition.metrics,
      primaryMetric: experiment.definition.primaryMetric ?? null,
      annotations: experiment.annotations.rules,
      cluster: experiment.definition.cluster ?? null,
    },
    plan,
    columns,
    traces: rows.count,
    links: { repo: repo ? repoUrl(repo) : null, commit: commitUrl(repo, manifest.code.commit), workflowRun: workflowRunUrl(manifest) },
  };
  await write(paths.meta, JSON.stringify(meta));
  const annotations: RunAnnotationsFile = options.annotations?.file ?? { v: 1, entries: [], names: [], agreement: [], disagreements: [] };
  await write(paths.annotations, JSON.stringify(judges.state === 'none' ? annotations : { ...annotations, judges }));

  // The overview's distributions are the evaluators'; annotations have a section of their own.
  const distributions: Record<string, ScoreDistribution> = {};
  for (const column of rows.scores) if (column.source === 'score') distributions[column.key] = scoreDistribution(column);
  return {
    experiment: manifest.experiment,
    run: manifest.id,
    traces: rows.count,
    chunks: chunkCount,
    bytesIn,
    bytesOut,
    columns,
    distributions,
    latency: histogram(rows.latency),
    badLines,
    warnings,
    evidence: evidence.finish(),
    plan,
    judges,
  };
}

/** Creates the parent folder of a file under `root` and writes it. */
const gzipAsync = promisify(gzip);

/** gzip on libuv's threads, so the next traces parse while a chunk compresses. */
function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(text, { level: 6 });
}

export async function writeDataFile(root: string, path: string, text: string): Promise<number> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return Buffer.byteLength(text);
}

/** 64 bits of sha256 over canonical JSON: enough to tell values apart within a comparison. */
function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
