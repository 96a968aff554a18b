import { describe, expect, it } from 'vitest';
import { agreementText, kappaWords } from './agreement-text.ts';

describe('agreement between people in words', () => {
  it('reads kappa in Landis and Koch bands', () => {
    expect([-0.1, 0, 0.2, 0.21, 0.4, 0.5, 0.61, 0.81, 1].map(kappaWords)).toEqual([
      'worse than chance',
      'slight',
      'slight',
      'fair',
      'fair',
      'moderate',
      'substantial',
      'almost perfect',
      'almost perfect',
    ]);
  });

  it("says which kappa and Krippendorff's alpha, over how many shared traces and people, or why there is none", () => {
    const label = { kind: 'label', name: 'v', observed: 0.7, expected: 0.47, raters: 2, items: 10, alphaInterval: null } as const;
    expect(agreementText({ ...label, method: 'cohen', kappa: 0.4302, alpha: 0.7123 })).toBe(
      "Cohen's κ = 0.43 (moderate), Krippendorff's α = 0.712 (tentative) over 10 traces judged by 2 people",
    );
    // With its interval (five shared traces or more), which the reading does not use.
    expect(agreementText({ ...label, method: 'cohen', kappa: 0.4302, alpha: 0.7123, alphaInterval: [0.41, 0.9] })).toBe(
      "Cohen's κ = 0.43 (moderate), Krippendorff's α = 0.712 [0.41, 0.9] (tentative) over 10 traces judged by 2 people",
    );
    expect(agreementText({ ...label, method: 'fleiss', kappa: 0.85, alpha: 0.8, raters: 3 })).toBe(
      "Fleiss' κ = 0.85 (almost perfect), Krippendorff's α = 0.8 (reliable) over 10 traces judged by 3 people",
    );
    expect(agreementText({ ...label, method: 'fleiss', kappa: null, alpha: null, raters: 3, items: 1 })).toBe(
      "Fleiss' κ undefined (everyone used one label) over 1 trace judged by 3 people",
    );
    const none = { ...label, method: null, kappa: null, alpha: null, observed: null, expected: null, items: 0 };
    expect(agreementText(none)).toBe('no trace judged by two people yet');
    expect(agreementText({ ...none, raters: 1 })).toBe('one judge: no agreement to measure');
    expect(agreementText(undefined)).toBe('one judge: no agreement to measure');
    const metric = {
      kind: 'metric',
      name: 'm',
      raters: 2,
      items: 3,
      meanRange: 0.15,
      maxRange: 0.4,
      meanStd: 0.1,
      tolerance: 0.2,
      alphaInterval: null,
    } as const;
    expect(agreementText({ ...metric, alpha: 0.3 })).toBe(
      "Krippendorff's α = 0.3 (unreliable); spread: mean range 0.15, largest 0.4 over 3 traces judged by 2 people",
    );
    expect(agreementText({ ...metric, alpha: 0.3, alphaInterval: [-0.25, 0.61], items: 8 })).toBe(
      "Krippendorff's α = 0.3 [-0.25, 0.61] (unreliable); spread: mean range 0.15, largest 0.4 over 8 traces judged by 2 people",
    );
    expect(agreementText({ ...metric, alpha: null, meanRange: 0, maxRange: 0 })).toBe(
      "Krippendorff's α undefined (everyone gave one score); spread: mean range 0, largest 0 over 3 traces judged by 2 people",
    );
  });
});
