import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { scriptRepository } from '../helpers/script-repository.ts';

// Five examples, the same in every run, scored by the config's accuracy.
const SCRIPT = `
const fs = require('node:fs'); const path = require('node:path');
const s = Date.now();
for (let i = 0; i < 5; i++) fs.appendFileSync(path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'),
  JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: i, output: 'o', start: s, end: s + 1, durationMs: 1, scores: [{ name: 'correct', value: i % 2 === 0 }] }) + '\\n');
`;

const { repo, run: runScript } = scriptRepository('labbook-export-compare-', SCRIPT);
const run = async (experiment: string) => {
  const result = await runScript({ experiment });
  expect(result.status).toBe('completed');
  return result.id;
};

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
