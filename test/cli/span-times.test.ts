import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../src/sdk/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { plainTracesSync } from '../helpers/run-traces.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Spans as a script in any language writes them: the fourth (index 3) ends half a millisecond
// before it starts, as a writer subtracting the wrong clocks would make it.
const T = 1_700_000_000_000;
const spans = (lastEnd: number) => [
  { id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: T, end: T + 10 },
  { id: 'plan', parentId: 'root', name: 'plan', type: 'LLM', start: T + 1, end: T + 4 },
  { id: 'cache', parentId: 'root', name: 'cache hit', type: 'TOOL', start: T + 4, end: T + 4 }, // instantaneous: fine
  { id: 'tool', parentId: 'root', name: 'search', type: 'TOOL', start: T + 5, end: lastEnd },
];
const line = (id: string, lastEnd: number) =>
  JSON.stringify({ id, exampleId: id, input: { q: id }, start: T, end: T + 10, durationMs: 10, spans: spans(lastEnd) });
const GOOD = line('good', T + 6);
const BACKWARDS = line('backwards', T + 4.5);
const MESSAGE = `spans.3.end: earlier than the span's start, ${T + 5}; a span may end when it starts, never before (got ${T + 4.5})`;

const repo = tempDir('labbook-span-times-');
beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const script = `require('node:fs').appendFileSync(process.env.LABBOOK_RUN_DIR + '/traces.jsonl', ${JSON.stringify(`${GOOD}\n${BACKWARDS}\n`)});`;
  writeFileSync(join(repo, 'eval.cjs'), script);
  writeFileSync(join(repo, 'agent.yaml'), 'model: m1\n');
  mkdirSync(join(repo, 'experiments', 'times'), { recursive: true });
  writeFileSync(join(repo, 'experiments', 'times', 'experiment.yaml'), 'name: times\n');
  execFileSync('git', ['-C', repo, 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
});

describe('a span that ends before it starts', () => {
  it('fails the run of a script that wrote it, naming the file, line and field, and keeps the line as written', async () => {
    const result = await runCli(['run', '-e', 'times', '-c', 'agent.yaml', '--name', 'backwards', '--', 'node', 'eval.cjs'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain(`traces/00000.jsonl.gz:2: ${MESSAGE}`);
    const runId = /run (\S+) failed/.exec(result.stdout)![1]!;
    const runDir = join(repo, 'experiments', 'times', 'runs', runId);
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'))).toMatchObject({ status: 'failed' });
    // Sealing changed nothing: the bad line is kept byte for byte, beside the good one.
    expect(plainTracesSync(runDir)).toBe(`${GOOD}\n${BACKWARDS}\n`);

    const validate = await runCli(['validate'], { cwd: repo });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(`error: ${join(runDir, 'traces/00000.jsonl.gz')}:2: ${MESSAGE}`);
  });

  it('says what is wrong with the lines of a script whose every line is refused, not that it recorded nothing', async () => {
    writeFileSync(
      join(repo, 'only-bad.cjs'),
      `require('node:fs').appendFileSync(process.env.LABBOOK_RUN_DIR + '/traces.jsonl', ${JSON.stringify(`${BACKWARDS}\n`)});`,
    );
    const result = await runCli(['run', '-e', 'times', '-c', 'agent.yaml', '--', 'node', 'only-bad.cjs'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(MESSAGE);
    expect(result.stderr).not.toContain('recorded no traces');
    expect(result.stdout).toContain('0 traces, 0 errors');
  });

  it("is refused by the SDK's append with the same message, the trace kept as an error trace", async () => {
    const dataDir = join(repo, 'sdk-data');
    const run = await startRun({ experiment: 'sdk', configPath: join(repo, 'agent.yaml'), dataDir, handleCrashes: false });
    expect(run.append(JSON.parse(GOOD))).toMatchObject({ status: 'ok' });
    const appended = run.append(JSON.parse(BACKWARDS));
    expect(appended).toMatchObject({ id: 'backwards', status: 'error', spans: [] });
    expect(appended.error).toContain(`${join(run.dir, 'traces.jsonl')}:2: ${MESSAGE}`);
    await run.finish();
  });
});
