import type { Deployment, DeploymentCheck } from '#schemas/deployment.ts';
import type { AnnotationRules, Experiment } from '#schemas/experiment.ts';
import type { RunMetrics } from '#schemas/metrics.ts';
import type { RunManifest } from '#schemas/run-manifest.ts';
import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import type { QueueFile } from '#lib/annotations/queue-file.ts';
import type { AnnotationSummary } from '#lib/annotations/summarize-annotations.ts';
import type { RecordedPlan } from '#lib/plan/plan-context.ts';
import type { JudgesAndPeople } from '#lib/annotations/judges-and-people.ts';
import type { Bin, ScoreDistribution } from './distribution-bins.ts';
import type { ColumnMeta } from './run-meta.ts';
import type { RunEvidence } from './run-evidence.ts';

/*
 * What the build hands the pages: the data folder as read (SiteSource) and what the data pass
 * wrote (SiteDataSummary). Types (and the run key), so view models depend on them and not on
 * the loaders.
 */

export interface SiteRun {
  manifest: RunManifest;
  /** Null while a run is still `running` (metrics.json is written when it finishes). */
  metrics: RunMetrics | null;
  /** `config.yaml` exactly as stored. */
  configText: string;
  /** The parsed config, or null when the stored file is not a YAML mapping. */
  config: Record<string, unknown> | null;
  dir: string;
  /** The deploy checks that need no GitHub API (run state, CI source, SHA256SUMS). */
  eligibility: { eligible: boolean; checks: DeploymentCheck[] };
}

export interface SiteExperiment {
  name: string;
  definition: Experiment;
  /** Oldest first. */
  runs: SiteRun[];
  /** The valid annotations of these runs (bad files and entries are left out, with a warning). */
  annotations: SiteAnnotations;
  /** Every deployment attempt recorded in `deployments/`, oldest first. */
  deployments: Deployment[];
  /**
   * Review queues (`queues/*.yaml`) the site offers: an unreadable file, or one `labbook validate`
   * refuses, is left out with a warning (site/build/site-queues.ts; listed traces are judged only
   * after the data pass).
   */
  queues: QueueFile[];
}

export interface SiteSource {
  dataDir: string;
  experiments: SiteExperiment[];
  /** Files that were skipped or read partially, each naming the file. */
  warnings: string[];
}

/** The valid annotations of an experiment's runs, summarised once per build. */
export interface SiteAnnotations {
  rules: AnnotationRules;
  /** Entries of the experiment's runs, in file then line order. */
  entries: AnnotationEntry[];
  /** Per run (in the order the runs were given), per trace, per name; agreement over all runs. */
  summary: AnnotationSummary;
}

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
  /** Automated judges beside the run's annotations; absent in summaries cached before it existed. */
  judges?: JudgesAndPeople;
}

/** The data pass's result, kept as JSON so pages rendered in another module can read it. */
export interface SiteDataSummary {
  v: 1;
  /** By `<experiment>/<run>`. */
  runs: Record<string, RunDataSummary>;
  bytesIn: number;
  bytesOut: number;
  warnings: string[];
}

export const runKey = (experiment: string, run: string) => `${experiment}/${run}`;
