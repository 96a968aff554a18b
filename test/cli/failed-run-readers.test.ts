import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { scriptRepository } from '../helpers/script-repository.ts';

// Six traces, one of them (BAD=1) a torn line, as a script in any language might write.
const SCRIPT = `
const fs = require('node:fs'); const path = require('node:path');
const file = path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl');
const s = Date.now();
for (let i = 0; i < 6; i++) {
  const line = JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: i, output: 'o', start: s, end: s + 5 + i, durationMs: 5 + i,
    spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: s, end: s + 5 + i, model: 'm1' }], scores: [{ name: 'correct', value: i % 2 === 0 }] });
  fs.appendFileSync(file, (process.env.BAD === '1' && i === 3 ? line.slice(0, 40) : line) + '\\n');
}
`;

const { repo, run: runScript } = scriptRepository('labbook-failed-readers-', SCRIPT);
const run = async (bad: boolean) => {
  const { id, status } = await runScript({ env: { BAD: bad ? '1' : '0' } });
  return [id, status] as const;
};

describe('a run sealed failed for an invalid trace line', () => {
  it('is compared and queried on its good traces, with the bad line named, as report and export do', async () => {
    const [good, goodStatus] = await run(false);
    const [failed, failedStatus] = await run(true);
    expect([goodStatus, failedStatus]).toEqual(['completed', 'failed']);

    const compare = await runCli(['compare', good, failed], { cwd: repo });
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stderr).toMatch(/^warning: skipped: .*00000\.jsonl\.gz:4:\d+: /m);
    expect(compare.stdout).toMatch(/n = 5/);

    const query = await runCli(['query', '--run', failed, '--by', 'model'], { cwd: repo });
    expect(query.code, query.stderr).toBe(0);
    expect(query.stderr).toMatch(/^warning: skipped: .*:4:\d+: /m);
    expect(query.stdout).toMatch(/m1\s+5\b/);
  });
});
