import type { AnnotationRules } from '../../schemas/experiment.ts';
import type { AnnotationEntry } from '../annotations/annotation-entry.ts';
import { annotationsForRuns } from '../annotations/annotations-for-runs.ts';
import { loadAnnotations } from '../annotations/load-annotations.ts';
import { reducedValues, summarizeAnnotations, type AnnotationSummary, type RunAnnotationSummary } from '../annotations/summarize-annotations.ts';
import { formatProblem, type Problem } from '../errors/problem.ts';
import type { RowAnnotations } from './run-rows.ts';
import type { RunAnnotationsFile } from './run-annotations-file.ts';

/** The valid annotations of an experiment's runs, summarised once per build. */
export interface SiteAnnotations {
  rules: AnnotationRules;
  /** Entries of the experiment's runs, in file then line order. */
  entries: AnnotationEntry[];
  /** Per run (in the order the runs were given), per trace, per name; agreement over all runs. */
  summary: AnnotationSummary;
}

export const NO_RULES: AnnotationRules = { labels: {}, metrics: {} };

/**
 * Reads an experiment's `annotations/*.yaml` for the site. A bad file or entry becomes a warning
 * naming its file and line and is left out; the good ones always come through. With `rules`
 * null (experiment.yaml could not be read) entries are read against no rules rather than lost.
 */
export async function loadSiteAnnotations(
  dataDir: string,
  experiment: string,
  runIds: readonly string[],
  rules: AnnotationRules | null,
  warn: (message: string) => void,
): Promise<SiteAnnotations> {
  const onProblem = (problem: Problem) => warn(`annotations: ${formatProblem(problem)}${problem.severity === 'error' ? ' (left out)' : ''}`);
  if (rules) {
    const found = await annotationsForRuns(dataDir, experiment, runIds, { onProblem });
    return { rules: found.rules, entries: found.entries, summary: { runs: found.runs, agreement: found.agreement, disagreements: found.disagreements } };
  }
  const wanted = new Set(runIds);
  const entries = (await loadAnnotations(dataDir, experiment, { rules: NO_RULES, onProblem })).filter((e) => wanted.has(e.run));
  return { rules: NO_RULES, entries, summary: summarizeAnnotations(entries, { runIds, rules: NO_RULES }) };
}

/** One run's share of an experiment's annotations (an empty summary when it has none). */
export function runAnnotationSummary(annotations: SiteAnnotations, runId: string): RunAnnotationSummary {
  return annotations.summary.runs.find((r) => r.run === runId) ?? { run: runId, traces: [], names: [], agreement: [] };
}

/** The traces table's annotation columns of a run: one reduced value per trace and name. */
export function rowAnnotations(run: RunAnnotationSummary, rules: AnnotationRules): RowAnnotations {
  const reduced = reducedValues(run);
  const disagreements = new Set(run.traces.filter((t) => t.names.some((n) => n.disagreement)).map((t) => t.trace));
  return {
    columns: run.names.map((n) => ({
      name: n.name,
      kind: n.kind === 'metric' ? 'number' : 'label',
      direction: n.kind === 'metric' ? (Object.hasOwn(rules.metrics, n.name) ? rules.metrics[n.name]!.direction : 'higher') : null,
    })),
    get: reduced.get,
    disagreements,
  };
}

/** `annotations.json` of a run: its entries, per-name summaries, agreement and disagreements. */
export function runAnnotationsFile(annotations: SiteAnnotations, run: RunAnnotationSummary): RunAnnotationsFile {
  return {
    v: 1,
    entries: annotations.entries.filter((e) => e.run === run.run),
    names: run.names,
    agreement: run.agreement,
    disagreements: run.traces.flatMap((t) => t.names.filter((n) => n.disagreement).map((n) => ({ trace: t.trace, name: n.name }))),
  };
}
