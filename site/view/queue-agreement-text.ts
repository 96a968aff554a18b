import type { NameAgreement } from '#lib/annotations/queue.ts';
import { alphaText } from '#lib/annotations/agreement-text.ts';
import { formatNumber } from './format.ts';

/**
 * A queue's agreement so far on one name, in words: Fleiss' κ and the share of agreeing
 * pairs for labels, the mean difference between two judges for metrics, and Krippendorff's α
 * for both; or that no trace has two judgements yet.
 */
export function queueAgreementText(agreement: NameAgreement): string {
  if (agreement.items === 0) return 'no trace judged by two people yet';
  const over = `over ${agreement.items} trace${agreement.items === 1 ? '' : 's'}`;
  const alpha = agreement.alpha === null ? '' : `, ${alphaText(agreement.alpha, agreement.alphaInterval)}`;
  if (agreement.kind === 'label') {
    const kappa = agreement.kappa?.kappa;
    const observed = agreement.kappa?.observed ?? 0;
    return `Fleiss' κ ${kappa === null || kappa === undefined ? '—' : formatNumber(kappa)} ${over}, ${formatNumber(observed * 100)}% agreement${alpha}`;
  }
  return `mean absolute difference ${formatNumber(agreement.meanAbsoluteDifference)} ${over}${alpha}`;
}
