import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inShard } from '../../src/sdk/shard.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { installLabbook, REPO, scriptCommand } from '../docs/labbook-package.ts';
import { userRepository } from './init-project.ts';
import { plainTracesSync } from '../helpers/run-traces.ts';

/**
 * The scripts `labbook init` writes, run the way its next steps say: under `labbook run` in the
 * user's project (a real process, `labbook/sdk` resolving to this checkout), then checked by
 * `labbook validate`.
 */
const root = tempDir('labbook-init-run-');
const LABBOOK = [process.execPath, join(REPO, 'bin', 'labbook.js')];
const RUN_ARGS = ['--config', 'agent.yaml', '--dataset', 'data.jsonl'];

function labbook(cwd: string, args: string[]) {
  const result = spawnSync(LABBOOK[0]!, [...LABBOOK.slice(1), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '', LABBOOK_RUN_DIR: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type RecordedTrace = { exampleId: string; scores: Array<{ name: string; value: unknown }> };

/** The traces of each run of an experiment, keyed by its shard (`all` for an unsharded run). */
function runTraces(project: string, experiment: string): Record<string, RecordedTrace[]> {
  const runs = join(project, 'experiments', experiment, 'runs');
  return Object.fromEntries(
    readdirSync(runs).map((id) => {
      const { shard } = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { shard?: { index: number; count: number } };
      const traces = plainTracesSync(join(runs, id))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RecordedTrace);
      return [shard ? `${shard.index}/${shard.count}` : 'all', traces];
    }),
  );
}

describe('the evaluation scripts labbook init writes', () => {
  it('eval.mjs records one trace per example with the declared metrics, and validates', () => {
    const project = userRepository(root, 'js-project');
    expect(labbook(project, ['init', '--experiment', 'qa', '--metric', 'correct:higher', '--metric', 'length:lower']).code).toBe(0);
    installLabbook(project);
    const run = labbook(project, ['run', '--experiment', 'qa', ...RUN_ARGS, '--', ...scriptCommand('eval.mjs')]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/completed/);
    const traces = runTraces(project, 'qa').all;
    expect(traces).toHaveLength(5); // no example traced twice
    expect(new Set(traces!.map((t) => t.exampleId)).size).toBe(5);
    for (const trace of traces!) expect(trace.scores.map((s) => s.name).sort()).toEqual(['correct', 'length']);
    expect(traces!.filter((t) => t.scores.find((s) => s.name === 'correct')!.value === true)).toHaveLength(2);
    const validate = labbook(project, ['validate']);
    expect(validate.stdout).toContain('0 errors, 0 warnings');
    expect(validate.code).toBe(0);
  });

  it('eval.ts type-checks strictly against labbook/sdk and records the same run', () => {
    const project = userRepository(root, 'ts-project');
    expect(labbook(project, ['init', '--lang', 'ts', '--experiment', 'qa']).code).toBe(0);
    installLabbook(project);
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        extends: join(REPO, 'tsconfig.json'),
        compilerOptions: { typeRoots: [join(REPO, 'node_modules', '@types')] },
        include: ['eval.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
    const run = labbook(project, ['run', '--experiment', 'qa', ...RUN_ARGS, '--', ...scriptCommand('eval.ts')]);
    expect(run.code, run.stderr).toBe(0);
    expect(runTraces(project, 'qa').all).toHaveLength(5);
  });

  it('eval.py (standard library only) appends traces that validate, and shards like the SDK', () => {
    const project = userRepository(root, 'py-project');
    expect(labbook(project, ['init', '--experiment', 'qa']).code).toBe(0);
    const whole = labbook(project, ['run', '--experiment', 'qa', ...RUN_ARGS, '--', 'python3', 'eval.py']);
    expect(whole.stderr).not.toMatch(/Traceback|error/i);
    expect(whole.code).toBe(0);
    for (const shard of ['1/2', '2/2']) {
      expect(labbook(project, ['run', '--experiment', 'qa', ...RUN_ARGS, '--shard', shard, '--', 'python3', 'eval.py']).code).toBe(0);
    }
    const { all, '1/2': first, '2/2': second } = runTraces(project, 'qa');
    expect(all).toHaveLength(5);
    const ids = all!.map((t) => t.exampleId);
    expect(first!.map((t) => t.exampleId)).toEqual(ids.filter((id) => inShard(id, { index: 1, count: 2 })));
    expect(second!.map((t) => t.exampleId)).toEqual(ids.filter((id) => inShard(id, { index: 2, count: 2 })));
    const validate = labbook(project, ['validate']);
    expect(validate.stdout).toContain('0 errors, 0 warnings');
    expect(validate.code).toBe(0);
  });
});
