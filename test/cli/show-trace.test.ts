import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { scriptRepository } from '../helpers/script-repository.ts';

// Three traces as a script in any language writes them: a nested tree with an erroring tool,
// and one example run twice (trials), whose output tries to clear the reader's terminal.
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const start = Date.UTC(2026, 11, 6, 9, 30, 0);
const span = (id, parentId, name, type, from, to, extra = {}) => ({ id, parentId, name, type, start: start + from, end: start + to, ...extra });
const traces = [
  { id: 't1', exampleId: 'refund-1', input: { question: 'Can I return boots?' }, output: 'Yes, within 30 days.\\nAsk for a label.', expected: 'yes',
    start, end: start + 1250, durationMs: 1250,
    spans: [
      span('root', null, 'agent', 'AGENT', 0, 1250),
      span('plan', 'root', 'chat gpt-4o-mini', 'LLM', 10, 400, { model: 'gpt-4o-mini', usage: { input: 120, output: 30 }, cost: { total: 0.000036 } }),
      span('tools', 'root', 'tools', 'CHAIN', 400, 900),
      span('search', 'tools', 'search orders', 'TOOL', 410, 600),
      span('policy', 'tools', 'read policy', 'TOOL', 600, 890, { status: 'error', error: 'timeout after 250 ms' }),
      span('answer', 'root', 'chat gpt-4o', 'LLM', 900, 1240, { model: 'gpt-4o', usage: { input: 300, output: 12 } }),
    ],
    scores: [{ name: 'correct', value: true }, { name: 'tone', value: 0.8, label: 'polite', source: 'llm_judge', rationale: 'friendly and short' }] },
  ...[1, 2].map((trial) => ({ id: 't2-' + trial, exampleId: 'tricky', trial, input: 'hi', output: 'bye\\u001b[2J', start, end: start + 0.5, durationMs: 0.5,
    spans: [span('only', null, 'agent', 'AGENT', 0, 0.5)], scores: [] })),
];
// A line no reader accepts (no durationMs): the run is sealed failed, the line kept.
traces.push({ id: 'broken', exampleId: 'broken', input: 'x', start, end: start + 1, spans: [] });
for (const trace of traces) fs.appendFileSync(path.join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'), JSON.stringify(trace) + '\\n');
`;

const repository = scriptRepository('labbook-show-trace-', SCRIPT);
let runId = '';
beforeAll(async () => {
  runId = (await repository.run()).id;
});
const show = (...args: string[]) => runCli(['show', ...args], { cwd: repository.repo });

describe('labbook show <run> <trace>', () => {
  it('prints the trace, its scores and its span tree in the order the site draws it', async () => {
    const result = await show(runId, 't1');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(result.stdout).toMatch(/^example +refund-1$/m);
    expect(result.stdout).toMatch(/^time +2026-12-06 09:30:00\.000 UTC · 1\.25 s$/m);
    // Input, output and expected value whole, as blocks: JSON indented, text with its line breaks.
    expect(result.stdout).toContain(
      'input\n  {\n    "question": "Can I return boots?"\n  }\n\noutput\n  Yes, within 30 days.\n  Ask for a label.\n\nexpected\n  yes',
    );
    expect(result.stdout).toMatch(/tone\s+0\.8 \(polite\)\s+llm_judge\s+friendly and short/);
    const header = lines.findIndex((line) => line.startsWith('spans (6)'));
    const tree = lines.slice(header + 2).filter((line) => line !== '');
    const typeColumn = lines[header]!.indexOf('type');
    expect(tree.map((line) => line.slice(0, typeColumn).trimEnd())).toEqual([
      'agent',
      '├─ chat gpt-4o-mini',
      '├─ tools',
      '│  ├─ search orders',
      '│  └─ read policy',
      '└─ chat gpt-4o',
    ]);
    expect(tree[1]).toMatch(/llm\s+390 ms\s+gpt-4o-mini · 120 in \/ 30 out tokens · \$0\.000036$/);
    expect(tree[4]).toMatch(/tool\s+290 ms\s+✗ timeout after 250 ms$/);
  });

  it("finds a trace by its example's id, and asks for a trace id when the example ran more than once", async () => {
    expect((await show(runId, 'refund-1')).stdout).toMatch(/^trace +t1$/m);
    const trials = await show(runId, 'tricky');
    expect(trials.code).toBe(1);
    expect(trials.stderr).toContain('example "tricky" ran 2 times');
    expect(trials.stderr).toContain('t2-1, t2-2');
  });

  it("writes a trace's control characters as escapes, so its text cannot drive the terminal", async () => {
    const result = await show(runId, 't2-1');
    expect(result.stdout).toContain('output\n  bye\\u001b[2J');
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toMatch(/example +tricky \(trial 1\)/);
    expect(result.stdout).toContain('0.5 ms');
  });

  it('shows what people said of the trace beside its scores, and names an annotation file it cannot read', async () => {
    const annotate = await runCli(
      ['annotate', '--run', runId, '--trace', 'refund-1', '--metric', 'helpful=0.9', '--author', 'Ada', '--note', 'clear answer'],
      { cwd: repository.repo },
    );
    expect(annotate.code, annotate.stderr).toBe(0);
    writeFileSync(join(repository.repo, 'experiments', 'qa', 'annotations', 'broken.yaml'), '- run: [unclosed\n');
    const result = await show(runId, 't1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/helpful\s+0\.9\s+Ada, \d{4}-\d{2}-\d{2}\s+clear answer/);
    expect(result.stderr).toContain('broken.yaml');
    // Another trace's view has none of them.
    expect((await show(runId, 't2-1')).stdout).not.toContain('helpful');
  });

  it('prints the whole trace as JSON with --json', async () => {
    const { trace, annotations } = JSON.parse((await show(runId, 't1', '--json')).stdout);
    expect(trace).toMatchObject({ id: 't1', exampleId: 'refund-1' });
    expect(trace.spans).toHaveLength(6);
    expect(annotations).toEqual([
      expect.objectContaining({ run: runId, trace: 't1', name: 'helpful', value: 0.9, author: 'Ada', line: 1 }),
    ]);
  });

  it('names a few traces that exist when the reference names none, and refuses a third argument', async () => {
    const missing = await show(runId, 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no trace or example "nope"');
    expect(missing.stderr).toContain('t1 (example refund-1)');
    // A trace whose line is not valid is not shown, and the message says such lines exist.
    const refused = await show(runId, 'broken');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('one of its lines is not a valid trace and may hold it ("labbook validate" says what is wrong)');
    const extra = await show(runId, 't1', 'more');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('"more"');
  });
});
