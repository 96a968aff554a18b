import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Five examples, the same in every run, scored by the config's accuracy.
const SCRIPT = `
const fs = require('node:fs'); const path = require('node:path');
const s = Date.now();
for (let i = 0; i < 5; i++) fs.appendFileSync(path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'),
  JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: i, output: 'o', start: s, end: s + 1, durationMs: 1, scores: [{ name: 'correct', value: i % 2 === 0 }] }) + '\\n');
`;

const repo = tempDir('labbook-export-compare-');
const run = async (experiment: string) => {
  const result = await runCli(['run', '-e', experiment, '--create', '-c', 'agent.yaml', '--', 'node', 'eval.cjs'], { cwd: repo });
  expect(result.code, result.stderr).toBe(0);
  return /run (\S+) completed/.exec(result.stderr + result.stdout)![1]!;
};

beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  writeFileSync(join(repo, 'agent.yaml'), 'model: m\n');
});

describe('export csv --compare with runs of two experiments', () => {
  it('compares them as labbook compare does, and holds them to --experiment only when one is given', async () => {
    const a = await run('support-bot');
    const b = await run('imported');
    const both = await runCli(['export', 'csv', '--compare', `${a},${b}`, '-o', 'cmp.csv'], { cwd: repo });
    expect(both.code, both.stderr).toBe(0);
    expect(readFileSync(join(repo, 'cmp.csv'), 'utf8').trim().split('\n')).toHaveLength(6); // a header and five examples

    const held = await runCli(['export', 'csv', '--experiment', 'support-bot', '--compare', `${a},${b}`, '-o', 'held.csv'], { cwd: repo });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`run ${b} belongs to experiment "imported", not "support-bot" (the --experiment given)`);
    expect(held.stderr).not.toContain('not found');
  });
});
