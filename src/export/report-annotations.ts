import type { Annotation } from '../../schemas/annotation.ts';
import { agreementText } from '../annotations/agreement-text.ts';
import { agreementOverRuns } from '../annotations/agreement-over-runs.ts';
import { authorKey } from '../annotations/cross-check.ts';
import { formatNumber } from './report-format.ts';
import { indexAnnotations } from '../compare/annotation-index.ts';

export interface AnnotationSummaryView {
  /** Annotations of the compared runs. */
  total: number;
  authors: string[];
  names: Array<{
    name: string;
    kind: 'metric' | 'label';
    /** One cell per compared run, in run order: `count` traces annotated, from `judgements` entries. */
    runs: Array<{ count: number; judgements: number; summary: string }>;
    /** How far people agree on it over the compared runs together (κ, Krippendorff's α, spread), as the site says it. */
    agreement: string;
  }>;
}

/**
 * What experts said about the compared runs, per annotation name and run, counted as
 * `labbook compare` counts them: several judgements of one trace and name are first reduced to
 * one value (indexAnnotations: the mean, or the most frequent label), so a metric shows the
 * mean and range over traces and a label the number of traces that got it. `count` is those
 * traces; `judgements` how many entries they reduce from.
 */
export function summarizeAnnotations(annotations: readonly Annotation[], runIds: readonly string[]): AnnotationSummaryView {
  const wanted = new Set(runIds);
  const relevant = annotations.filter((a) => wanted.has(a.run));
  const names = [...new Set(relevant.map((a) => a.name))].sort();
  const agreement = agreementOverRuns(relevant, runIds);
  const index = indexAnnotations(relevant);
  return {
    total: relevant.length,
    // one name per person, as the agreement counts them ("Grace" and "grace " are one)
    authors: [...new Map(relevant.map((a) => [authorKey(a.author), a.author] as const)).values()].sort(),
    names: names.map((name) => {
      const ofName = relevant.filter((a) => a.name === name);
      const info = index.names.get(name);
      const kind = info && info.numbers >= info.labels ? 'metric' : 'label';
      return {
        name,
        kind,
        runs: runIds.map((run) => {
          const entries = ofName.filter((a) => a.run === run);
          const traces = [...new Set(entries.map((a) => a.trace))];
          const values = traces.map((trace) => index.get(run, trace)!.get(name)!);
          const cell = { count: traces.length, judgements: entries.length };
          if (values.length === 0) return { ...cell, summary: '–' };
          if (kind === 'metric') {
            const nums = values.filter((v): v is number => typeof v === 'number');
            const others = values.length - nums.length;
            if (nums.length === 0) return { ...cell, summary: `${others} labels` };
            const mean = nums.reduce((sum, v) => sum + v, 0) / nums.length;
            const range = nums.length > 1 ? ` (${formatNumber(Math.min(...nums))}–${formatNumber(Math.max(...nums))})` : '';
            return { ...cell, summary: `mean ${formatNumber(mean)}${range}${others ? ` · ${others} labels` : ''}` };
          }
          const counts = new Map<string, number>();
          for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
          const parts = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([label, n]) => `${label} ${n}`);
          return { ...cell, summary: parts.join(' · ') };
        }),
        agreement: agreementText(agreement.find((a) => a.name === name)),
      };
    }),
  };
}
