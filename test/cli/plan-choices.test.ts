import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { scriptRepository } from '../helpers/script-repository.ts';

// Writes 6 traces whose `correct` is true for the first RIGHT of them.
const SCRIPT = `
const s = Date.now();
const right = Number(process.env.RIGHT);
for (let i = 0; i < 6; i++) require('node:fs').appendFileSync(require('node:path').join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'),
  JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: i, output: 'o', start: s, end: s + 1, durationMs: 1, scores: [{ name: 'correct', value: i < right }] }) + '\\n');
`;

const { repo, run: runScript } = scriptRepository('labbook-plan-choices-', SCRIPT);
const run = async (right: number | null) => {
  const result = await runScript(right === null ? { command: ['true'] } : { env: { RIGHT: String(right) } });
  expect(result.status).toBe(right === null ? 'failed' : 'completed'); // a command that recorded nothing failed
  return result.id;
};

describe('labbook plan without --run', () => {
  it('takes the newest completed run that has traces, and says when nothing can be planned', async () => {
    const varied = await run(3);
    await run(null); // newer, but its command recorded no trace
    const plan = await runCli(['plan', '--metric', 'correct', '--mde', '0.2', '--experiment', 'qa'], { cwd: repo });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`correct in ${varied}: 6 examples`);

    const constant = await run(6);
    const flat = await runCli(['plan', '--metric', 'correct', '--mde', '0.2', '--experiment', 'qa'], { cwd: repo });
    expect(flat.stdout).toContain(`correct in ${constant}`);
    expect(flat.stdout).toContain('cannot plan: the score does not vary');
    expect(flat.stdout).not.toContain('plan.yaml');
    expect(flat.code).toBe(1);
  });

  it('names an unknown experiment as every command does', async () => {
    const result = await runCli(['plan', '--metric', 'correct', '--mde', '0.2', '--experiment', 'nope'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/experiment not found: nope/);
  });
});
