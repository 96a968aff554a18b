import type { Bin, ScoreDistribution } from './distribution-bins.ts';
import { formatNumber } from './format.ts';

/**
 * What a distribution chart draws, in words: the chart's accessible name. The drawing is hidden
 * from screen readers (Chart.astro), and these counts are on no other part of the run page.
 * A histogram lists only its non-empty ranges, so a 20-bin chart stays one sentence.
 */
export function distributionText(name: string, distribution: ScoreDistribution): string {
  const missing = distribution.missing > 0 ? `; ${distribution.missing} without a value` : '';
  switch (distribution.kind) {
    case 'number':
      return `${histogramText(`distribution of ${name}`, distribution.bins)}${missing}`;
    case 'boolean':
      return `distribution of ${name}: ${distribution.pass} pass, ${distribution.fail} fail${missing}`;
    case 'label':
      return `distribution of ${name}: ${distribution.counts.map((c) => `${c.label} ${c.count}`).join(', ')}${missing}`;
  }
}

/** `<title>, traces per range: 0.3 to 0.4: 6; 0.4 to 0.5: 6`: the non-empty bins of a histogram. */
export function histogramText(title: string, bins: readonly Bin[]): string {
  const filled = bins.filter((b) => b.count > 0);
  if (filled.length === 0) return `${title}: no traces`;
  return `${title}, traces per range: ${filled.map((b) => `${formatNumber(b.start)} to ${formatNumber(b.end)}: ${b.count}`).join('; ')}`;
}
