import type { AnnotationRules } from '#schemas/experiment.ts';
import { reducedValues, type RunAnnotationSummary } from '#lib/annotations/summarize-annotations.ts';
import type { RowAnnotations } from './run-rows.ts';
import type { RunAnnotationsFile } from './run-annotations-file.ts';
import type { SiteAnnotations } from './site-source.ts';

export const NO_RULES: AnnotationRules = { labels: {}, metrics: {} };

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
