import { describe, expect, it } from 'vitest';
import { ciSourceFromEnv, sourceFromEnv } from './source-from-env.ts';

const JOB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/agent',
  GITHUB_RUN_ID: '7',
  GITHUB_SHA: 'c0ffee',
  GITHUB_WORKFLOW: 'evaluate',
  GITHUB_EVENT_NAME: 'push',
};

describe('sourceFromEnv', () => {
  it('is a CI job when the runner’s variables are there, with the job’s URL', () => {
    expect(ciSourceFromEnv(JOB)).toMatchObject({
      kind: 'ci',
      repository: 'acme/agent',
      workflowRunId: '7',
      runUrl: 'https://github.com/acme/agent/actions/runs/7/attempts/1',
    });
    expect(ciSourceFromEnv(JOB)).not.toHaveProperty('simulated');
  });

  it('labels a simulated job only when LABBOOK_SIMULATED_CI is "true"', () => {
    expect(ciSourceFromEnv({ ...JOB, LABBOOK_SIMULATED_CI: 'true' })).toMatchObject({ kind: 'ci', simulated: true });
    expect(ciSourceFromEnv({ ...JOB, LABBOOK_SIMULATED_CI: '0' })).not.toHaveProperty('simulated');
  });

  it('is local without the runner, whatever LABBOOK_SIMULATED_CI says', () => {
    expect(sourceFromEnv({ LABBOOK_SIMULATED_CI: 'true' })).toMatchObject({ kind: 'local' });
  });
});
