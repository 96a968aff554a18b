import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../compare/canonical-json.ts';
import type { FileFormatError } from '../errors/index.ts';
import { RUN_FILES } from '../store/layout.ts';
import { streamTraces } from '../store/run-reader.ts';
import { type Bin, histogram, scoreDistribution, type ScoreDistribution } from './distribution-bins.ts';
import type { SiteExperiment, SiteRun } from './load-site.ts';
import { commitUrl, runRepo, repoUrl, workflowRunUrl, type RepoRef } from './repo-links.ts';
import type { RecordedPlan } from '../plan/plan-context.ts';
import { RunEvidenceAccumulator, type RunEvidence } from './run-evidence.ts';
import { readRecordedPlan } from '../plan/read-recorded-plan.ts';
import type { ColumnMeta, RunMeta } from './run-meta.ts';
import { runDataPaths } from './run-meta.ts';
import type { RunAnnotationsFile } from './run-annotations-file.ts';
import { type ColumnHints, type RowAnnotations, RunRowsBuilder, type TraceIndex } from './run-rows.ts';

export interface ChunkOptions {
  /** A chunk is closed once it holds this many bytes of trace JSON… */
  targetBytes: number;
  /** …or this many traces, whichever comes first. A single huge trace gets a chunk of its own. */
  maxTraces: number;
}

/** About 256 KB per fetch: one trace opens fast, and neighbours (n/p) are often in the same chunk. */
export const DEFAULT_CHUNKS: ChunkOptions = { targetBytes: 256 * 1024, maxTraces: 100 };

/** What the pages need to know about a run's data once it is written. */
export interface RunDataSummary {
  experiment: string;
  run: string;
  traces: number;
  chunks: number;
  bytesIn: number;
  bytesOut: number;
  columns: ColumnMeta[];
  distributions: Record<string, ScoreDistribution>;
  latency: Bin[];
  /** Lines of traces.jsonl that were not valid traces (skipped, named in `warnings`). */
  badLines: number;
  warnings: string[];
  /** Trials per example, and with a cluster key the clusters and the primary metric's design effect. */
  evidence: RunEvidence;
  /** The eval plan the run recorded (null: none, or unreadable, named in `warnings`). */
  plan: RecordedPlan | null;
}

/**
 * Streams one run's traces once and writes its site data under `dataRoot` (the site's `data/`
 * parent): `rows.json` for the table, `index.json` (trace id → chunk), `traces-<k>.json`
 * chunks with the full traces, and `meta.json`. Memory holds the table columns and one chunk,
 * never the run.
 */
export async function writeRunData(
  experiment: SiteExperiment,
  run: SiteRun,
  dataRoot: string,
  options: { chunks?: ChunkOptions; siteRepo?: RepoRef | null; annotations?: { rows: RowAnnotations; file: RunAnnotationsFile } } = {},
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
  const evidence = new RunEvidenceAccumulator(plan?.plan.cluster ?? definition.cluster ?? null, definition.primaryMetric ?? definition.metrics[0]?.name ?? plan?.plan.metrics[0]?.name ?? null);
  let badLines = 0;
  let bytesOut = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  let chunkCount = 0;

  const write = async (path: string, text: string) => {
    await writeFile(join(dataRoot, path), text);
    bytesOut += Buffer.byteLength(text);
  };
  const flush = async () => {
    if (pending.length === 0) return;
    await write(paths.chunk(chunkCount++), `[${pending.join(',')}]`);
    pending = [];
    pendingBytes = 0;
  };

  const tracesFile = join(run.dir, RUN_FILES.traces);
  const bytesIn = await stat(tracesFile).then((s) => s.size, () => 0);
  if (bytesIn > 0) {
    const onError = (error: FileFormatError) => {
      badLines++;
      if (warnings.length < 20) warnings.push(`skipped: ${error.message}`);
    };
    for await (const trace of streamTraces(tracesFile, { onError, uniqueIds: true })) {
      if (pending.length === 0) index.chunkStarts.push(index.ids.length);
      index.ids.push(trace.id);
      builder.add(trace);
      evidence.add(trace);
      const json = JSON.stringify(trace);
      pending.push(json);
      pendingBytes += json.length;
      if (pendingBytes >= chunking.targetBytes || pending.length >= chunking.maxTraces) await flush();
    }
    await flush();
  }
  if (badLines > warnings.length) warnings.push(`… ${badLines - warnings.length} more invalid lines in ${tracesFile}`);

  const rows = builder.finish();
  // What the compare page needs to pair trials and cluster examples as labbook compare does.
  if (evidence.trials.length === rows.count) {
    if (evidence.trials.some((t) => t !== null)) rows.trial = evidence.trials;
    if (evidence.clusterKey) rows.cluster = { key: evidence.clusterKey, values: evidence.clusterValues };
  }
  const columns: ColumnMeta[] = rows.scores.map(({ values: _values, ...meta }) => meta);
  await write(paths.rows, JSON.stringify(rows));
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
  await write(paths.annotations, JSON.stringify(annotations));

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
  };
}

/** Creates the parent folder of a file under `root` and writes it. */
export async function writeDataFile(root: string, path: string, text: string): Promise<number> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return Buffer.byteLength(text);
}

/** 64 bits of sha256 over canonical JSON: enough to tell values apart within a comparison. */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
