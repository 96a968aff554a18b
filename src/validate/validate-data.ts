import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NotFoundError } from '../errors/index.ts';
import { RUN_FILES } from '../store/layout.ts';
import { TRACE_CHUNKS_DIR } from '../store/trace-storage.ts';
import { listRunIds } from '../store/store.ts';
import { readExperiment, listExperiments } from '../store/experiments.ts';
import { runDir, experimentFile, planFile } from '../store/layout.ts';
import { parsePlan } from '../plan/parse-plan.ts';
import { checkAnnotations } from '../annotations/check-annotations.ts';
import { loadQueues, queuesDir } from '../annotations/load-queues.ts';
import { annotationsDir } from '../store/layout.ts';
import { problemFrom, type Problem } from '../errors/problem.ts';
import { validateRun } from './validate-run.ts';
import { queueProblems, queueScoreNames } from '../annotations/check-queue.ts';
import { yamlPathPositions } from '../store/yaml-path-positions.ts';
import { readRunMetrics } from '../store/run-reader.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';

interface ValidationReport {
  problems: Problem[];
  experiments: number;
  runs: number;
  traces: number;
}

/**
 * Validates what `path` is: a data folder (every experiment), an experiment folder, a run
 * folder, or a `traces.jsonl` file's run. Collects every problem rather than stopping at one.
 */
export async function validatePath(path: string): Promise<ValidationReport> {
  const target = resolve(path);
  if (!existsSync(target)) throw new NotFoundError('file', path);
  const report: ValidationReport = { problems: [], experiments: 0, runs: 0, traces: 0 };
  const isDir = statSync(target).isDirectory();
  const parent = isDir ? target : dirname(target);
  // A chunk path (runs/<id>/traces/00000.jsonl.gz) stands for its run, as traces.jsonl does.
  const folder = basename(parent) === TRACE_CHUNKS_DIR && existsSync(join(dirname(parent), RUN_FILES.manifest)) ? dirname(parent) : parent;

  if (existsSync(join(folder, RUN_FILES.manifest))) {
    await addRun(report, folder);
  } else if (existsSync(join(folder, 'experiment.yaml'))) {
    await addExperiment(report, dirname(folder), basename(folder));
  } else {
    for (const experiment of await listExperiments(folder)) await addExperiment(report, folder, experiment);
    // Nothing checked is not "ok": a wrong path (the repository root, a typo'd data folder)
    // would otherwise pass in CI without checking a single file.
    if (report.experiments === 0) {
      report.problems.push({
        severity: 'error',
        file: path,
        message: `holds no experiment: no experiment.yaml, run.json or experiment folders (<name>/experiment.yaml) here; "labbook init" sets one up`,
      });
    }
  }
  report.problems = distinct(report.problems);
  return report;
}

/**
 * Each problem once: a broken experiment.yaml is met both by the experiment's own check and by
 * the annotation check, which reads the same file for its rules.
 */
function distinct(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify([problem.severity, problem.file, problem.line, problem.column, problem.field, problem.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function addExperiment(report: ValidationReport, dataDir: string, experiment: string): Promise<void> {
  report.experiments++;
  let rules: AnnotationRules | undefined;
  try {
    rules = (await readExperiment(dataDir, experiment)).annotations;
  } catch (error) {
    report.problems.push(problemFrom(error, experimentFile(dataDir, experiment)));
  }
  // The committed eval plan, if any: valid before any run is made under it.
  const plan = planFile(dataDir, experiment);
  if (existsSync(plan)) {
    try {
      parsePlan(await readFile(plan, 'utf8'), plan);
    } catch (error) {
      report.problems.push(problemFrom(error, plan));
    }
  }
  const runIds = await listRunIds(dataDir, experiment);
  const traceIds = new Map<string, Set<string>>();
  for (const id of runIds) traceIds.set(id, await addRun(report, runDir(dataDir, experiment, id), experiment));
  // Review queues: each file readable, naming a run of this experiment, and usable on the site.
  for (const queue of await loadQueues(dataDir, experiment, (error) =>
    report.problems.push(problemFrom(error, queuesDir(dataDir, experiment))),
  )) {
    const { run } = queue.queue;
    if (!runIds.includes(run)) {
      report.problems.push({
        severity: 'error',
        file: queue.file,
        field: 'run',
        message: `no run ${run} in experiment ${experiment} (copy the run's full id from "labbook ls ${experiment}")`,
      });
    }
    const facts = runIds.includes(run)
      ? { traceIds: traceIds.get(run)!, scores: await scoreNames(runDir(dataDir, experiment, run)) }
      : undefined;
    const problems = queueProblems(queue.queue, rules, facts);
    if (problems.length === 0) continue;
    const locate = await yamlPathPositions(await readFile(queue.file, 'utf8'));
    for (const { path, message } of problems)
      report.problems.push({ severity: 'error', file: queue.file, ...locate(path), field: path.join('.'), message });
  }
  const annotations = annotationsDir(dataDir, experiment);
  if (existsSync(annotations)) {
    // Annotations are checked as `labbook annotations check` does: every file, run and trace they name.
    const checked = await checkAnnotations([annotations], { dataDir, cwd: process.cwd() });
    report.problems.push(...checked.problems);
  }
}

async function addRun(report: ValidationReport, dir: string, experiment?: string): Promise<Set<string>> {
  report.runs++;
  const { problems, traceIds } = await validateRun(dir, { experiment });
  report.traces += traceIds.size;
  report.problems.push(...problems);
  return traceIds;
}

/** The automated scores a run has, as its metrics.json names them; null when it has none to read. */
async function scoreNames(dir: string): Promise<ReadonlySet<string> | null> {
  try {
    return queueScoreNames(await readRunMetrics(dir));
  } catch {
    return null; // a running run has no metrics.json yet; a broken one is reported by validateRun
  }
}
