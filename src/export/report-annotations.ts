import type { Annotation } from '../../schemas/annotation.ts';
import { agreementText } from '../annotations/agreement-text.ts';
import { agreementOverRuns } from '../annotations/agreement-over-runs.ts';
import { formatNumber } from './report-format.ts';

export interface AnnotationSummaryView {
  /** Annotations of the compared runs. */
  total: number;
  authors: string[];
  names: Array<{
    name: string;
    kind: 'metric' | 'label';
    /** One cell per compared run, in run order. */
    runs: Array<{ count: number; summary: string }>;
    /** How far people agree on it over the compared runs together (κ, Krippendorff's α, spread), as the site says it. */
    agreement: string;
  }>;
}

/**
 * What experts said about the compared runs, per annotation name and run: for a metric the
 * mean and range of the values given, for a label the count of each label. Every judgement
 * counts here (the comparison reduces several judgements of one trace to one value; this
 * summary shows how many were made).
 */
export function summarizeAnnotations(annotations: readonly Annotation[], runIds: readonly string[]): AnnotationSummaryView {
  const wanted = new Set(runIds);
  const relevant = annotations.filter((a) => wanted.has(a.run));
  const names = [...new Set(relevant.map((a) => a.name))].sort();
  const agreement = agreementOverRuns(relevant, runIds);
  return {
    total: relevant.length,
    authors: [...new Set(relevant.map((a) => a.author))].sort(),
    names: names.map((name) => {
      const ofName = relevant.filter((a) => a.name === name);
      const numbers = ofName.filter((a) => typeof a.value === 'number').length;
      const kind = numbers >= ofName.length - numbers ? 'metric' : 'label';
      return {
        name,
        kind,
        runs: runIds.map((run) => {
          const values = ofName.filter((a) => a.run === run).map((a) => a.value);
          if (values.length === 0) return { count: 0, summary: '–' };
          if (kind === 'metric') {
            const nums = values.filter((v): v is number => typeof v === 'number');
            const mean = nums.reduce((s, v) => s + v, 0) / nums.length;
            const others = values.length - nums.length;
            const range = nums.length > 1 ? ` (${formatNumber(Math.min(...nums))}–${formatNumber(Math.max(...nums))})` : '';
            return { count: values.length, summary: `mean ${formatNumber(mean)}${range}${others ? ` · ${others} labels` : ''}` };
          }
          const counts = new Map<string, number>();
          for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
          const parts = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([label, n]) => `${label} ${n}`);
          return { count: values.length, summary: parts.join(' · ') };
        }),
        agreement: agreementText(agreement.find((a) => a.name === name)),
      };
    }),
  };
}
