import type { NameAgreement, RunNameSummary } from '#lib/annotations/summarize-annotations.ts';
import { formatNumber } from './format.ts';
import { agreementText } from '#lib/annotations/agreement-text.ts';

/**
 * Annotation summaries as text, for the run page's Annotations section and the compare page's
 * (which runs this in the browser: no Node imports here).
 */

/** One annotation name of a run: what people said and how far they agree. */
export interface AnnotationNameView {
  name: string;
  kind: 'metric' | 'label';
  /** Traces annotated with this name. */
  traces: number;
  /** Judgements counted (one per person and trace). */
  judgements: number;
  /** `mean 0.62 (0.2 – 1)` or `approved 3 · needs review 1`. */
  summary: string;
  /** Kappa or spread, or why there is none. */
  agreement: string;
  /** Traces where the judges disagree on this name. */
  disagreements: number;
}

/** The run's value of a name: the mean and range of a metric, the traces per label of a label. */
export function nameSummaryText(name: RunNameSummary): string {
  if (name.kind === 'metric') return `mean ${formatNumber(name.mean)} (${formatNumber(name.min)} – ${formatNumber(name.max)})`;
  const counts = name.counts.map((c) => `${c.value} ${c.count}`).join(' · ');
  return name.ties > 0 ? `${counts} (${name.ties} tied)` : counts;
}

/** Every name of a run (or of compared runs, with their joint agreement), in name order. */
export function annotationNameViews(
  names: readonly RunNameSummary[],
  agreement: readonly NameAgreement[],
  disagreements: readonly { name: string }[],
): AnnotationNameView[] {
  return names.map((n) => ({
    name: n.name,
    kind: n.kind,
    traces: n.traces,
    judgements: n.entries,
    summary: nameSummaryText(n),
    agreement: agreementText(agreement.find((a) => a.name === n.name)),
    disagreements: disagreements.filter((d) => d.name === n.name).length,
  }));
}
