import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import type { NameAgreement, RunNameSummary } from '#lib/annotations/summarize-annotations.ts';
import type { JudgesAndPeople } from '#lib/annotations/judges-and-people.ts';

/**
 * `data/<experiment>/<run>/annotations.json`: what the trace view shows under a trace (every
 * judgement with its author, time and note) and what the compare page hands the compare engine.
 * Written for every run, empty when nobody annotated it. Values are data: the pages render them
 * as text only.
 */
export interface RunAnnotationsFile {
  v: 1;
  /** Valid entries of this run, in file then line order. */
  entries: AnnotationEntry[];
  /** Per name over the run: a metric's mean, a label's counts. */
  names: RunNameSummary[];
  /** Per name: how far the people who judged the same traces agree (kappa, spread). */
  agreement: NameAgreement[];
  /** Trace and name pairs the annotators disagree on. */
  disagreements: { trace: string; name: string }[];
  /** The run's automated judges beside these annotations (the compare page shows them per run). */
  judges?: JudgesAndPeople;
}
