import { alphaWords } from '../stats/krippendorff-alpha.ts';
import { formatNumber } from '../text/format-table.ts';
import type { NameAgreement } from './summarize-annotations.ts';

/*
 * How far people agree on one annotation name, in words: one phrasing for the site's pages
 * (some of it in the browser: no Node imports here) and the report. Escaping is the renderer's.
 */

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
const traces = (n: number) => `${n} trace${n === 1 ? '' : 's'}`;

/**
 * Agreement over the traces at least two people judged: for labels Cohen's or Fleiss' κ and
 * Krippendorff's α (nominal); for metrics Krippendorff's α (interval) and the spread between
 * judges; or why it cannot be measured.
 */
export function agreementText(agreement: NameAgreement | undefined): string {
  if (!agreement || agreement.items === 0)
    return agreement && agreement.raters > 1 ? 'no trace judged by two people yet' : 'one judge: no agreement to measure';
  const over = `over ${traces(agreement.items)} judged by ${people(agreement.raters)}`;
  if (agreement.kind === 'metric') {
    const alpha =
      agreement.alpha === null
        ? "Krippendorff's α undefined (everyone gave one score)"
        : alphaText(agreement.alpha, agreement.alphaInterval);
    return `${alpha}; spread: mean range ${formatNumber(agreement.meanRange)}, largest ${formatNumber(agreement.maxRange)} ${over}`;
  }
  const method = agreement.method === 'cohen' ? "Cohen's κ" : "Fleiss' κ";
  if (agreement.kappa === null) return `${method} undefined (everyone used one label) ${over}`;
  const alpha = agreement.alpha === null ? '' : `, ${alphaText(agreement.alpha, agreement.alphaInterval)}`;
  return `${method} = ${formatNumber(agreement.kappa)} (${kappaWords(agreement.kappa)})${alpha} ${over}`;
}

/** α with its 95% interval (where there is one) and Krippendorff's own reading of the estimate. */
export function alphaText(alpha: number, interval: readonly [number, number] | null = null): string {
  const range = interval ? ` [${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : '';
  return `Krippendorff's α = ${formatNumber(alpha)}${range} (${alphaWords(alpha)})`;
}

/** Landis & Koch's (1977) conventional bands: a reading aid, not a verdict. */
export function kappaWords(kappa: number): string {
  if (kappa < 0) return 'worse than chance';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
