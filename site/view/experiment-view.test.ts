import { describe, expect, it } from 'vitest';
import { CI_SOURCE } from '../../test/helpers/analysis-store.ts';
import { sourceBadges } from './experiment-view.ts';

const run = (source: unknown) =>
  ({ manifest: { source, code: { commit: 'c0ffee', branch: 'main', dirty: false } } }) as unknown as Parameters<typeof sourceBadges>[0];

describe('sourceBadges', () => {
  it('says CI, linking to the job', () => {
    expect(sourceBadges(run(CI_SOURCE))).toEqual([
      { kind: 'ci', text: 'CI', title: 'eval #4242 (push)', href: 'https://github.com/acme/agent/actions/runs/4242' },
    ]);
  });

  it('says simulated CI for a simulated job, and why in the title', () => {
    const [badge] = sourceBadges(run({ ...CI_SOURCE, simulated: true }));
    expect(badge).toMatchObject({
      kind: 'ci',
      text: 'simulated CI',
      title: expect.stringMatching(/^eval #4242 \(push\): the action run locally against a stand-in for GitHub/),
    });
  });
});
