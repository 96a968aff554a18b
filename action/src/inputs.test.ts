import { describe, expect, it } from 'vitest';
import { InputError } from './input-error.ts';
import { parseInputs, type InputName } from './inputs.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

const reader = (values: Partial<Record<InputName, string>>) => (name: InputName) => values[name] ?? '';
const base = { experiment: 'demo', config: 'examples/configs/baseline.yaml' };

function error(values: Partial<Record<InputName, string>>): string {
  try {
    parseInputs(reader(values));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return errorMessage(e);
  }
  throw new Error('expected an InputError');
}

describe('parseInputs', () => {
  it('reads an evaluation with defaults filled in', () => {
    expect(parseInputs(reader({ ...base, command: 'node evaluate.js', shard: '2/4', comment: 'False' }))).toEqual({
      mode: 'evaluate',
      experiment: 'demo',
      config: 'examples/configs/baseline.yaml',
      name: undefined,
      dataPath: 'experiments',
      dataBranch: undefined,
      baseline: undefined,
      comment: false,
      failOnRegression: false,
      gate: 'regression',
      token: undefined,
      work: { kind: 'command', command: 'node evaluate.js' },
      dataset: undefined,
      shard: { index: 2, count: 4 },
      otlp: true,
    });
    expect(parseInputs(reader({ ...base, command: 'x', otlp: 'false' }))).toMatchObject({ otlp: false });
    expect(error({ ...base, command: 'x', otlp: 'no' })).toMatch(/^input "otlp" \("no"\)/);
  });

  it('reads the gate and the trials, and names the input when they are wrong', () => {
    expect(parseInputs(reader({ ...base, command: 'x', gate: 'non-inferiority', trials: '3' }))).toMatchObject({
      gate: 'non-inferiority',
      trials: 3,
    });
    expect(error({ ...base, command: 'x', gate: 'strict' })).toMatch(/^input "gate" \("strict"\): .*non-inferiority/);
    expect(error({ ...base, command: 'x', trials: '0' })).toBe('input "trials" ("0"): expected a whole number from 1 to 10000');
    expect(error({ ...base, traces: 't.jsonl', trials: '3' })).toContain('input "trials" ("3"): applies to "command"');
    expect(error({ ...base, mode: 'merge', trials: '3' })).toContain('is not used in merge mode');
  });

  it('reads report-html, an .html path inside the workspace, in evaluate and merge modes only', () => {
    expect(parseInputs(reader({ ...base, command: 'x', 'report-html': 'reports/labbook.html' }))).toMatchObject({
      reportHtml: 'reports/labbook.html',
    });
    expect(parseInputs(reader({ ...base, mode: 'merge', 'report-html': 'r.htm' }))).toMatchObject({ mode: 'merge', reportHtml: 'r.htm' });
    expect(parseInputs(reader({ ...base, command: 'x' }))).not.toHaveProperty('reportHtml');
    expect(error({ ...base, command: 'x', 'report-html': '../out.html' })).toMatch(
      /^input "report-html" \("\.\.\/out\.html"\).*inside the workspace/,
    );
    expect(error({ ...base, command: 'x', 'report-html': '/tmp/out.html' })).toMatch(/^input "report-html" .*inside the workspace/);
    expect(error({ ...base, command: 'x', 'report-html': 'report.pdf' })).toMatch(
      /^input "report-html" \("report\.pdf"\).*must name an \.html file/,
    );
    expect(error({ mode: 'deploy', run: 'abcdef', environment: 'prod', 'github-token': 't', 'report-html': 'r.html' })).toMatch(
      /^input "report-html" .*is not used in deploy mode/,
    );
    expect(error({ mode: 'gc', 'report-html': 'r.html' })).toMatch(/^input "report-html" .*is not used in gc mode/);
  });

  it('reads a merge and an ingestion', () => {
    expect(parseInputs(reader({ ...base, mode: 'merge', 'data-branch': 'labbook-data' }))).toMatchObject({
      mode: 'merge',
      dataBranch: 'labbook-data',
    });
    expect(parseInputs(reader({ ...base, traces: 'out/traces.jsonl', 'fail-on-regression': 'true' }))).toMatchObject({
      work: { kind: 'traces', file: 'out/traces.jsonl' },
      failOnRegression: true,
    });
  });

  it('names the input and the value for bad input', () => {
    expect(error({ ...base, command: 'x', shard: '3/2' })).toBe('input "shard" ("3/2"): the shard index must be between 1 and 2');
    expect(error({ ...base, command: 'x', shard: '0/4' })).toBe('input "shard" ("0/4"): the shard index must be between 1 and 4');
    expect(error({ ...base, command: 'x', shard: 'two' })).toContain('input "shard" ("two"): expected i/n');
    expect(error({ ...base, mode: 'deploy-all' })).toBe('input "mode" ("deploy-all"): must be one of evaluate, merge, deploy, gc');
    expect(error({ mode: 'gc', config: 'configs/a.yaml' })).toBe('input "config" ("configs/a.yaml"): is not used in gc mode');
    expect(error({ ...base, apply: 'true' })).toBe('input "apply" ("true"): is not used in evaluate mode (only gc mode removes runs)');
    expect(error({ mode: 'gc', apply: 'yes' })).toBe('input "apply" ("yes"): expected true or false');
    // The runner passes action.yml's default otlp: "true" to every step; only another value is refused in gc mode.
    expect(parseInputs(reader({ mode: 'gc', otlp: 'true', apply: 'true' }))).toMatchObject({ mode: 'gc', apply: true });
    expect(error({ mode: 'gc', otlp: 'false' })).toBe('input "otlp" ("false"): is not used in gc mode');
    expect(error({ config: 'c.yaml', command: 'x' })).toBe('input "experiment": is required in evaluate mode');
    expect(error({ ...base, experiment: 'My Exp', command: 'x' })).toMatch(/^input "experiment" \("My Exp"\): /);
    expect(error({ ...base })).toContain('input "command": evaluate mode needs "command"');
    expect(error({ ...base, command: 'x', traces: 't.jsonl' })).toContain('not both');
    expect(error({ ...base, command: 'x', 'fail-on-regression': 'yes' })).toBe(
      'input "fail-on-regression" ("yes"): expected true or false',
    );
    expect(error({ ...base, command: 'x', 'data-path': '../elsewhere' })).toContain(
      'input "data-path" ("../elsewhere"): must be a path inside the workspace',
    );
    expect(error({ ...base, command: 'x', 'data-branch': 'a..b' })).toContain('input "data-branch" ("a..b")');
    expect(error({ ...base, mode: 'merge', shard: '1/2' })).toContain('input "shard" ("1/2"): is not used in merge mode');
  });

  it('reads a deploy with its defaults, and refuses what deploy mode does not use', () => {
    const deploy = { mode: 'deploy', run: '20261127-042452-baseline-3f9a1c', environment: 'production', 'github-token': 'ghs_x' };
    expect(parseInputs(reader({ ...deploy, 'fail-on-regression': 'false', 'data-path': 'experiments' }))).toEqual({
      mode: 'deploy',
      run: '20261127-042452-baseline-3f9a1c',
      environment: 'production',
      experiment: undefined,
      deployCommand: undefined,
      workflow: '.github/workflows/evaluate.yml',
      allowedEvents: ['push', 'workflow_dispatch', 'schedule', 'merge_group'],
      allowedBranches: undefined,
      requireAttestation: false,
      dataPath: 'experiments',
      dataBranch: undefined,
      token: 'ghs_x',
    });
    expect(
      parseInputs(
        reader({
          ...deploy,
          'allowed-events': 'push,\nschedule, push',
          'require-attestation': 'TRUE',
          'deploy-command': '  ./ship.sh  ',
          workflow: '.github/workflows/eval.yaml',
        }),
      ),
    ).toMatchObject({
      allowedEvents: ['push', 'schedule'],
      requireAttestation: true,
      deployCommand: '  ./ship.sh  ',
      workflow: '.github/workflows/eval.yaml',
    });
    expect(parseInputs(reader({ ...deploy, 'allowed-branches': 'main, release/*' }))).toMatchObject({
      allowedBranches: ['main', 'release/*'],
    });
    expect(parseInputs(reader({ ...deploy, 'allowed-branches': '*' }))).toMatchObject({ allowedBranches: null });
    expect(error({ ...deploy, 'allowed-branches': 'main; true' })).toContain(
      'input "allowed-branches" ("main; true"): "main;" is not a branch name or pattern',
    );
    expect(error({ ...deploy, run: undefined })).toBe('input "run": is required in deploy mode');
    expect(error({ ...deploy, 'github-token': '' })).toBe('input "github-token": is required in deploy mode');
    expect(error({ ...deploy, config: 'c.yaml' })).toBe('input "config" ("c.yaml"): is not used in deploy mode');
    expect(error({ ...deploy, environment: 'prod/eu' })).toMatch(/^input "environment" \("prod\/eu"\): must match/);
    expect(error({ ...deploy, 'allowed-events': ',' })).toContain('input "allowed-events" (","): names no event');
    expect(error({ ...deploy, 'require-attestation': 'yes' })).toBe('input "require-attestation" ("yes"): expected true or false');
    expect(error({ ...base, command: 'x', run: 'abc' })).toBe('input "run" ("abc"): is not used in evaluate mode');
    expect(error({ ...base, mode: 'merge', environment: 'production' })).toBe(
      'input "environment" ("production"): is not used in merge mode',
    );
  });
});
