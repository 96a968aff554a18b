import type { AnnotationRules, TrackedMetric } from '#schemas/experiment.ts';
import type { RunMetrics } from '#schemas/metrics.ts';
import type { RunManifest } from '#schemas/run-manifest.ts';
import type { RecordedPlan } from '#lib/plan/plan-context.ts';
import type { ColumnKind, ColumnSource, Direction } from './run-rows.ts';

/** A score or annotation column without its values: what the pages and meta files describe. */
export interface ColumnMeta {
  key: string;
  name: string;
  source: ColumnSource;
  kind: ColumnKind;
  direction: Direction | null;
}

/** Links of a run, already checked to be http(s) (see repo-links.ts). */
interface RunLinks {
  repo: string | null;
  commit: string | null;
  workflowRun: string | null;
}

/**
 * `data/<experiment>/<run>/meta.json`: one run as the compare page needs it (manifest,
 * metrics, config, the experiment's metric definitions and the table's columns).
 */
export interface RunMeta {
  v: 1;
  manifest: RunManifest;
  metrics: RunMetrics | null;
  configText: string;
  config: Record<string, unknown> | null;
  experiment: {
    name: string;
    metrics: TrackedMetric[];
    primaryMetric: string | null;
    annotations: AnnotationRules;
    cluster?: string | null;
  };
  /** The eval plan the run recorded (checked against run.json's digest), or null. */
  plan?: RecordedPlan | null;
  columns: ColumnMeta[];
  traces: number;
  links: RunLinks;
}

/** `data/runs.json`: every run on the site, so a compare URL needs only run ids. */
export interface RunsIndex {
  v: 1;
  runs: RunsIndexEntry[];
}

export interface RunsIndexEntry {
  id: string;
  experiment: string;
  name: string;
  createdAt: string;
  status: RunManifest['status'];
  traces: number;
  commit: string | null;
}

/** Page k of a run's traces table, gzip-compressed JSON (see run-rows-pages.ts). */
export const rowsPageFile = (k: number) => `rows-${k}.json.gz`;

/** Site-relative paths of a run's data files (no leading slash; prefix with the base). */
export const runDataPaths = (experiment: string, run: string) => {
  const dir = `data/${experiment}/${run}`;
  return {
    dir,
    /** The traces table's first page; it lists the others (run-rows-pages.ts). */
    rows: `${dir}/${rowsPageFile(0)}`,
    rowsPage: (k: number) => `${dir}/${rowsPageFile(k)}`,
    index: `${dir}/index.json`,
    meta: `${dir}/meta.json`,
    annotations: `${dir}/annotations.json`,
    /** Full traces, a JSON array gzip-compressed: the browser inflates it (scripts/fetch-gzip-json.ts). */
    chunk: (k: number) => `${dir}/traces-${k}.json.gz`,
    /** The run's traces as CSV (src/export), a static download. */
    tracesCsv: `${dir}/traces.csv`,
  };
};

/** Site-relative paths of an experiment's downloads. */
export const experimentDataPaths = (experiment: string) => ({
  /** One row per run (src/export), a static download. */
  runsCsv: `data/${experiment}/runs.csv`,
});

export const RUNS_INDEX_PATH = 'data/runs.json';
