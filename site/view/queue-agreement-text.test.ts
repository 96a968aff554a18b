import { describe, expect, it } from 'vitest';
import { queueAgreementText } from './queue-agreement-text.ts';

describe("a queue's agreement so far in words", () => {
  it('gives κ, the share of agreeing pairs and α for labels', () => {
    const kappa = { kappa: -1 / 3, observed: 0.5, expected: 0.625, items: 2 };
    expect(
      queueAgreementText({ name: 'verdict', kind: 'label', items: 2, kappa, meanAbsoluteDifference: null, alpha: 0, alphaInterval: null }),
    ).toBe("Fleiss' κ -0.333 over 2 traces, 50% agreement, Krippendorff's α = 0 (unreliable)");
    const undefinedKappa = { kappa: null, observed: 1, expected: 1, items: 1 };
    expect(
      queueAgreementText({
        name: 'verdict',
        kind: 'label',
        items: 1,
        kappa: undefinedKappa,
        meanAbsoluteDifference: null,
        alpha: null,
        alphaInterval: null,
      }),
    ).toBe("Fleiss' κ — over 1 trace, 100% agreement");
  });

  it('gives the mean difference and α for metrics, or says nothing is shared yet', () => {
    expect(
      queueAgreementText({
        name: 'score',
        kind: 'metric',
        items: 4,
        kappa: null,
        meanAbsoluteDifference: 0.05,
        alpha: 0.91,
        alphaInterval: [0.8, 0.97],
      }),
    ).toBe("mean absolute difference 0.05 over 4 traces, Krippendorff's α = 0.91 [0.8, 0.97] (reliable)");
    expect(
      queueAgreementText({
        name: 'score',
        kind: 'metric',
        items: 0,
        kappa: null,
        meanAbsoluteDifference: null,
        alpha: null,
        alphaInterval: null,
      }),
    ).toBe('no trace judged by two people yet');
  });
});
