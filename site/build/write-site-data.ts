import { TraceColumnScan } from '#lib/export/traces-csv.ts';
import type { Trace } from '#schemas/trace.ts';
import type { CachedSiteData } from './site-cache/cached-site-data.ts';
import { runKey, type RunDataSummary, type SiteDataSummary, type SiteSource } from '#site/view/site-source.ts';
import type { RepoRef } from '#site/view/repo-links.ts';
import { rowAnnotations, runAnnotationsFile, runAnnotationSummary } from '#site/view/site-annotations.ts';
import { RUNS_INDEX_PATH, type RunsIndex } from '#site/view/run-meta.ts';
import { type ChunkOptions, writeDataFile, writeRunData } from './write-run-data.ts';

interface WriteSiteDataOptions {
  siteRepo?: RepoRef | null;
  chunks?: ChunkOptions;
  /** Called after each run, for progress output. */
  onRun?: (summary: RunDataSummary, done: number, total: number) => void;
  /** The per-run cache (src/site-cache): an unchanged run's folder is linked in, its traces not read. */
  cache?: CachedSiteData;
  /**
   * Filled with each run's CSV columns (by `runKey`) as its traces are read here, so the CSV pass
   * reads a run's traces once more, not twice.
   */
  csvColumns?: Map<string, TraceColumnScan>;
}

/**
 * Writes the data files of every run (see writeRunData) and `data/runs.json` under `dataRoot`.
 * Runs are written one after another: each is a single streaming pass bound by JSON parsing,
 * and memory stays at one run's table.
 */
export async function writeSiteData(site: SiteSource, dataRoot: string, options: WriteSiteDataOptions = {}): Promise<SiteDataSummary> {
  const summary: SiteDataSummary = { v: 1, runs: {}, bytesIn: 0, bytesOut: 0, warnings: [...site.warnings] };
  const index: RunsIndex = { v: 1, runs: [] };
  const total = site.experiments.reduce((n, e) => n + e.runs.length, 0);
  let done = 0;
  for (const experiment of site.experiments) {
    for (const run of experiment.runs) {
      const judged = runAnnotationSummary(experiment.annotations, run.manifest.id);
      const annotations = {
        rows: rowAnnotations(judged, experiment.annotations.rules),
        file: runAnnotationsFile(experiment.annotations, judged),
      };
      const cached = await options.cache?.reuse(experiment, run, annotations);
      let onTrace: ((trace: Trace) => void) | undefined;
      if (!cached && options.csvColumns) {
        const scan = new TraceColumnScan();
        options.csvColumns.set(runKey(experiment.name, run.manifest.id), scan);
        onTrace = (trace) => scan.add(trace);
      }
      const result =
        cached ??
        (await writeRunData(experiment, run, dataRoot, {
          chunks: options.chunks,
          siteRepo: options.siteRepo ?? null,
          annotations,
          onTrace,
        }));
      if (!cached) await options.cache?.built(experiment, run, annotations, result);
      summary.runs[runKey(experiment.name, run.manifest.id)] = result;
      summary.bytesIn += result.bytesIn;
      summary.bytesOut += result.bytesOut;
      summary.warnings.push(...result.warnings);
      const { manifest } = run;
      index.runs.push({
        id: manifest.id,
        experiment: experiment.name,
        name: manifest.name,
        createdAt: manifest.createdAt,
        status: manifest.status,
        traces: result.traces,
        commit: manifest.code.commit,
      });
      options.onRun?.(result, ++done, total);
    }
  }
  summary.bytesOut += await writeDataFile(dataRoot, RUNS_INDEX_PATH, JSON.stringify(index));
  return summary;
}
