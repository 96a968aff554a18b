import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleIdOf } from '../../src/sdk/example.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { plainTracesSync, readAllTraces } from '../helpers/run-traces.ts';

// docs/sdk.md's Python script, with a dataset whose ids are numbers: `"exampleId": example["id"]`
// writes 1, 2, 3 into traces.jsonl.
const PYTHON = `
import json, os, time, uuid
with open(os.environ["LABBOOK_DATASET"], encoding="utf-8") as dataset:
    examples = [json.loads(line) for line in dataset if line.strip()]
run_dir = os.environ["LABBOOK_RUN_DIR"]
with open(os.path.join(run_dir, "traces.jsonl"), "a", encoding="utf-8") as traces:
    for example in examples:
        start = time.time() * 1000
        end = start + 1
        trace = {"id": uuid.uuid4().hex, "exampleId": example["id"], "input": example["input"], "output": "4",
                 "expected": example["expected"], "start": start, "end": end, "durationMs": end - start,
                 "scores": [{"name": "exact_match", "value": example["expected"] == "4"}]}
        traces.write(json.dumps(trace) + "\\n")
`;
// The same examples written with their ids as text, as a JavaScript script would.
const NODE = `
const fs = require('node:fs');
const path = require('node:path');
const lines = fs.readFileSync(process.env.LABBOOK_DATASET, 'utf8').split('\\n').filter(Boolean).map((line) => JSON.parse(line));
for (const example of lines) {
  const start = Date.now();
  const trace = { id: 't' + example.id, exampleId: String(example.id), input: example.input, output: '4', start, end: start + 1, durationMs: 1, scores: [{ name: 'exact_match', value: true }] };
  fs.appendFileSync(path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'), JSON.stringify(trace) + '\\n');
}
`;

const hasPython = spawnSync('python3', ['--version']).status === 0;
const repo = tempDir('labbook-numeric-ids-');
beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.py'), PYTHON);
  writeFileSync(join(repo, 'eval.cjs'), NODE);
  writeFileSync(
    join(repo, 'data.jsonl'),
    [1, 2, 3].map((id) => JSON.stringify({ id, input: { q: `${id}+${4 - id}` }, expected: '4' })).join('\n') + '\n',
  );
  writeFileSync(join(repo, 'agent.yaml'), 'model: m1\n');
  mkdirSync(join(repo, 'experiments', 'numbers'), { recursive: true });
  writeFileSync(join(repo, 'experiments', 'numbers', 'experiment.yaml'), 'name: numbers\n');
  execFileSync('git', ['-C', repo, 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
});

describe('numeric example ids (a dataset with "id": 3)', () => {
  it.skipIf(!hasPython)(
    'a Python script writing "exampleId": 3 makes a completed run whose traces say "3", paired with a run that wrote "3"',
    async () => {
      const python = await runCli(
        ['run', '-e', 'numbers', '-c', 'agent.yaml', '--dataset', 'data.jsonl', '--name', 'python', '--', 'python3', 'eval.py'],
        { cwd: repo },
      );
      expect(python.code).toBe(0);
      expect(python.stdout).toMatch(/run \S+ completed/);
      const node = await runCli(
        ['run', '-e', 'numbers', '-c', 'agent.yaml', '--dataset', 'data.jsonl', '--name', 'node', '--', 'node', 'eval.cjs'],
        { cwd: repo },
      );
      expect(node.code).toBe(0);

      const validate = await runCli(['validate'], { cwd: repo });
      expect(validate.stdout).toMatch(/^ok: 1 experiment, 2 runs/);
      expect(validate.code).toBe(0);

      const runsDir = join(repo, 'experiments', 'numbers', 'runs');
      const [pythonRun, nodeRun] = [python, node].map((result) => /run (\S+) completed/.exec(result.stdout)![1]!);
      // The Python run's file holds the numbers as written (its digests cover those bytes) …
      expect(plainTracesSync(join(runsDir, pythonRun!))).toContain('"exampleId": 1,');
      // … and every reader sees the text form, the SDK's form of the same id.
      const pythonIds = (await readAllTraces(join(runsDir, pythonRun!))).map((trace) => trace.exampleId).sort();
      const nodeIds = (await readAllTraces(join(runsDir, nodeRun!))).map((trace) => trace.exampleId).sort();
      expect(pythonIds).toEqual(['1', '2', '3']);
      expect(pythonIds).toEqual(nodeIds);
      expect([1, 2, 3].map((id) => exampleIdOf({ id, input: {} }))).toEqual(pythonIds);

      const compare = await runCli(['compare', nodeRun!, pythonRun!, '--format', 'json', '--traces'], { cwd: repo });
      expect(compare.code).toBe(0);
      const report = JSON.parse(compare.stdout) as { perTrace?: unknown[] };
      expect(report.perTrace).toHaveLength(3); // the three examples pair across the two runs
    },
  );

  it('a line whose exampleId is neither text nor a number names the field', async () => {
    const script = `require('node:fs').appendFileSync(process.env.LABBOOK_RUN_DIR + '/traces.jsonl', JSON.stringify({ id: 'a', exampleId: true, input: 1, start: 0, end: 1, durationMs: 1 }) + '\\n');`;
    const result = await runCli(['run', '-e', 'numbers', '-c', 'agent.yaml', '--name', 'bad', '--', 'node', '-e', script], { cwd: repo });
    expect(result.code).toBe(1);
    // Sealed, the line lives in the run's first chunk, and the error names it there.
    expect(`${result.stdout}${result.stderr}`).toContain(
      'traces/00000.jsonl.gz:1: exampleId: expected a string (1 to 500 characters) or a number (got true)',
    );
  });
});
