import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnnotationRules } from '#schemas/experiment.ts';
import type { QueueFile } from '#lib/annotations/queue-file.ts';
import { queueProblems, queueScoreNames, type QueueProblem } from '#lib/annotations/check-queue.ts';
import { runDataPaths } from '#site/view/run-meta.ts';
import type { TraceIndex } from '#site/view/run-rows.ts';
import type { SiteExperiment, SiteRun, SiteSource } from '#site/view/site-source.ts';

/*
 * Which review queues the site offers: those `labbook validate` accepts, by the same rule
 * (src/annotations/check-queue.ts). A queue whose page could not work (a form that would refuse
 * every answer, an overlap beyond its reviewers, a `fails` score the run lacks, listed traces it
 * does not hold) is left out with a warning naming its file and first problem. Two steps, because
 * the facts come in two: experiment.yaml and each run's metrics.json are read with the site, the
 * run's trace ids only by the data pass, which streams the traces anyway.
 */

/**
 * At load: every check but the listed traces. `rules` is undefined when experiment.yaml could not
 * be read (its own warning says so): names are then not judged, as validate does not judge them.
 */
export function offeredQueues(
  queues: readonly QueueFile[],
  rules: AnnotationRules | undefined,
  runs: readonly SiteRun[],
  warn: (message: string) => void,
): QueueFile[] {
  return queues.filter((queue) => {
    const run = runs.find((r) => r.manifest.id === queue.queue.run);
    const facts = run ? { traceIds: null, scores: queueScoreNames(run.metrics) } : undefined;
    return offered(queue, queueProblems(queue.queue, rules, facts), warn);
  });
}

/**
 * After the data pass: a queue that lists traces, against the ids that pass wrote in its run's
 * `index.json` (read once per run, and only for such a queue; the traces are not read again).
 * Everything else was judged at load (offeredQueues), so no rules and no scores are passed here.
 */
export async function skipQueuesWithMissingTraces(
  site: SiteSource,
  dataRoot: string,
  warn: (message: string) => void,
): Promise<SiteSource> {
  const experiments: SiteExperiment[] = [];
  for (const experiment of site.experiments) {
    const ids = new Map<string, ReadonlySet<string>>();
    const queues: QueueFile[] = [];
    for (const queue of experiment.queues) {
      const { run } = queue.queue;
      if ('traces' in queue.queue.select && experiment.runs.some((r) => r.manifest.id === run)) {
        if (!ids.has(run)) ids.set(run, await writtenTraceIds(dataRoot, experiment.name, run));
        if (!offered(queue, queueProblems(queue.queue, undefined, { traceIds: ids.get(run)!, scores: null }), warn)) continue;
      }
      queues.push(queue);
    }
    experiments.push({ ...experiment, queues });
  }
  return { ...site, experiments };
}

function offered(queue: QueueFile, problems: readonly QueueProblem[], warn: (message: string) => void): boolean {
  if (problems.length === 0) return true;
  warn(`review queue skipped: ${queue.file}: ${problems[0]!.message} ("labbook validate" lists every problem)`);
  return false;
}

/** The trace ids of a run as the data pass wrote them (the ids the queue page selects from). */
async function writtenTraceIds(dataRoot: string, experiment: string, run: string): Promise<ReadonlySet<string>> {
  const index = JSON.parse(await readFile(join(dataRoot, runDataPaths(experiment, run).index), 'utf8')) as TraceIndex;
  return new Set(index.ids);
}
