import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_EXPERIMENT_YAML,
  makeAnnotationFixture,
  makeSealedRuns,
  type AnnotationFixture,
} from '../../../test/helpers/annotation-fixture.ts';
import { makeTrace } from '../../../test/helpers/make-trace.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { checkAnnotations } from '../../annotations/check-annotations.ts';
import { main } from '../main.ts';

const root = tempDir('labbook-annotate-');
let fx: AnnotationFixture;

beforeAll(async () => {
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['config', 'user.name', 'Grace Hopper'], { cwd: root });
  fx = await makeAnnotationFixture(root, 'experiments');
});

async function annotate(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(['annotate', ...args], { cwd: root, env, stdout: (t) => (out += `${t}\n`), stderr: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('labbook annotate', () => {
  it("appends to the author's own file (author from git config), and the file passes the check", async () => {
    const first = await annotate([
      '--run',
      fx.runs[0],
      '--trace',
      't1',
      '--label',
      'verdict=needs review',
      '--note',
      'cites the "wrong" manual\nsee step 2',
    ]);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(
      /^added verdict = "needs review" to trace t1 of run .* in experiments\/demo\/annotations\/grace-hopper\.yaml:1$/m,
    );
    const file = join(fx.annotations, 'grace-hopper.yaml');
    const before = readFileSync(file, 'utf8');
    // a run id prefix is enough; two names at once
    const second = await annotate([
      '--run',
      fx.runs[1].slice(0, 17),
      '--trace',
      't2',
      '--metric',
      'reviewer_score=0.25',
      '--label',
      'verdict=approved',
    ]);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/grace-hopper\.yaml:8$/m);
    expect(second.out).toMatch(/grace-hopper\.yaml:14$/m);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const report = await checkAnnotations([file], { dataDir: fx.dataDir, cwd: root });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, entries: 3 });
  });

  it("never rewrites others' entries: appends after a hand-written file without a final newline", async () => {
    const file = join(fx.annotations, 'ada.yaml');
    const hand = `# Ada's notes\n- run: ${fx.runs[0]}\n  trace: t3\n  name: verdict\n  value: approved\n  author: Ada\n  at: 2026-01-31T12:00:00Z`;
    writeFileSync(file, hand);
    const result = await annotate(['--run', fx.runs[0], '--trace', 't4', '--label', 'verdict=hallucination', '--author', 'Ada']);
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8').startsWith(`${hand}\n- run:`)).toBe(true);
    expect((await checkAnnotations([file], { dataDir: fx.dataDir, cwd: root })).ok).toBe(true);
  });

  it('refuses a second judgement of the same trace and name by the same author', async () => {
    const result = await annotate(['--run', fx.runs[0], '--trace', 't1', '--label', 'verdict=approved']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /Grace Hopper already annotated "verdict" of trace t1 \("needs review"\) in experiments\/demo\/annotations\/grace-hopper\.yaml:1; edit that entry instead/,
    );
  });

  it('refuses a name as a label when the experiment already has it as a metric (and so the check would), flags or --from', async () => {
    expect((await annotate(['--run', fx.runs[0], '--trace', 't2', '--metric', 'tone=0.5'])).code).toBe(0);
    const asLabel = await annotate(['--run', fx.runs[0], '--trace', 't3', '--label', 'tone=warm']);
    expect(asLabel.code).toBe(2);
    expect(asLabel.err).toMatch(
      /"tone" is a metric at experiments\/demo\/annotations\/grace-hopper\.yaml:\d+, so it cannot be a label here: use --metric tone=…, or another name/,
    );
    const file = join(root, 'mixed-kinds.yaml');
    const entry = (trace: string, name: string, value: string | number) =>
      `- run: ${fx.runs[1]}\n  trace: ${trace}\n  name: ${name}\n  value: ${typeof value === 'string' ? JSON.stringify(value) : value}\n  author: Kind Checker\n  at: "2026-02-01T10:00:00Z"\n`;
    writeFileSync(file, `${entry('t1', 'tone', 'warm')}${entry('t1', 'pace', 1)}${entry('t2', 'pace', 'slow')}`);
    const fromFile = await annotate(['--from', file]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.err).toMatch(
      /mixed-kinds\.yaml:4:\d+: value: "tone" is a metric at experiments\/demo\/annotations\/grace-hopper\.yaml:\d+ but a label here/,
    );
    expect(fromFile.err).toMatch(/mixed-kinds\.yaml:16:\d+: value: "pace" is a metric at mixed-kinds\.yaml:7 but a label here/);
    expect(existsSync(join(fx.annotations, 'kind-checker.yaml'))).toBe(false);
  });

  it('names --note when the note hides characters (a bidirectional override), whichever name it came with', async () => {
    const result = await annotate(['--run', fx.runs[0], '--trace', 't4', '--metric', 'reviewer_score=0.5', '--note', 'fine\u202Etxt.exe']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--note: contains control or bidirectional-override characters (line breaks and tabs are fine)');
  });

  it('says a metric expects a number when given a word (no quotes were typed), refuses an empty author and names --note past its limit', async () => {
    const word = await annotate(['--run', fx.runs[0], '--trace', 't4', '--label', 'reviewer_score=high']);
    expect(word.code).toBe(2);
    expect(word.err).toContain('"reviewer_score" is a metric: the value must be a number in [0, 1] (got the text "high")');
    expect(word.err).not.toContain('quotes');
    const empty = await annotate(['--run', fx.runs[0], '--trace', 't4', '--metric', 'reviewer_score=0.5', '--author', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--author is empty');
    const long = await annotate(['--run', fx.runs[0], '--trace', 't4', '--metric', 'reviewer_score=0.5', '--note', 'x'.repeat(5001)]);
    expect(long.code).toBe(2);
    expect(long.err).toContain('--note is 5,001 characters; the limit is 5,000');
    expect(long.err).not.toMatch(/Too big/);
  });

  it('refuses an author that looks like someone else, before writing anything', async () => {
    const result = await annotate(['--run', fx.runs[0], '--trace', 't4', '--metric', 'reviewer_score=0.5', '--author', 'Gr\u0430ce']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--author: mixes Latin and Cyrillic letters in "Grаce" (Cyrillic: "а" U+0430)');
    expect(existsSync(join(fx.annotations, 'grace.yaml'))).toBe(false);
  });

  it('refuses a file it cannot append to without touching it', async () => {
    const file = join(fx.annotations, 'linus.yaml');
    const flow = `[{run: ${fx.runs[0]}, trace: t1, name: verdict, value: approved, author: Linus, at: "2026-01-31T12:00:00Z"}]\n`;
    writeFileSync(file, flow);
    const result = await annotate(['--run', fx.runs[0], '--trace', 't2', '--label', 'verdict=approved', '--author', 'Linus']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/cannot append to .*linus\.yaml: it is not written as a list of "- " items/);
    expect(readFileSync(file, 'utf8')).toBe(flow);
  });

  it.each([
    [['--trace', 't1', '--label', 'verdict=approved'], 2, /name the run and the trace: labbook annotate <run> <trace>/],
    [['RUN', '--label', 'verdict=approved'], 2, /name the trace of run .* to annotate/],
    [['RUN', 't1', 'extra', '--label', 'verdict=approved'], 2, /unexpected argument "extra": give a run and a trace/],
    [['RUN', 't1', '--run', 'RUN', '--label', 'verdict=approved'], 2, /the run is given twice/],
    [['RUN', 't1', '--trace', 't2', '--label', 'verdict=approved'], 2, /the trace is given twice \("t1" and --trace t2\)/],
    [['--run', 'RUN', '--trace', 't1'], 2, /give at least one --metric/],
    [['--run', 'no-such-run', '--trace', 't1', '--label', 'verdict=approved'], 1, /run not found: no-such-run/],
    [
      ['--run', 'RUN', '--trace', 't1', '--label', 'verdict=great'],
      2,
      /--label verdict=great: value: "great" is not an allowed "verdict" label; use one of "approved", "needs review", "hallucination"/,
    ],
    [['--run', 'RUN', '--trace', 't1', '--metric', 'reviewer_score=1.5'], 2, /1\.5 is outside the range of "reviewer_score" in \[0, 1\]/],
    [['--run', 'RUN', '--trace', 't1', '--metric', 'reviewer_score=NaN'], 2, /a metric is a finite number/],
    [['--run', 'RUN', '--trace', 't1', '--metric', 'reviewer_score=0x10'], 2, /a metric is a finite number/],
    [['--run', 'RUN', '--trace', 't1', '--label', 'noequals'], 2, /write name=value/],
    [
      ['--run', 'RUN', '--trace', 't404', '--label', 'verdict=approved'],
      1,
      /trace not found: t404 \(no trace or example "t404" in run .*; it has 5 traces, such as t1 \(example ex1\), t2 \(example ex2\), t3 \(example ex3\); the site shows each trace's id\)/,
    ],
  ])('rejects %j', async (args, code, message) => {
    const result = await annotate(
      args.map((a) => (a === 'RUN' ? fx.runs[0] : a)),
      { USER: 'someone' },
    );
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
  });

  it('takes the example id a reviewer knows from the dataset, and records the trace id', async () => {
    const added = await annotate(['--run', fx.runs[1], '--trace', 'ex5', '--label', 'verdict=approved', '--author', 'Ex Reviewer']);
    expect(added.err).toBe('');
    expect(added.out).toMatch(/^added verdict = "approved" to trace t5 \(example ex5\) of run /m);
    expect(readFileSync(join(fx.annotations, 'ex-reviewer.yaml'), 'utf8')).toMatch(/trace: t5\n/);
  });

  it('takes the run and trace as arguments, as show does, or one of them with its flag', async () => {
    const both = await annotate([fx.runs[1], 't3', '--label', 'verdict=approved', '--author', 'Arg Reviewer']);
    expect(both.err).toBe('');
    expect(both.out).toMatch(/^added verdict = "approved" to trace t3 of run /m);
    const flagged = await annotate(['--run', fx.runs[1], 't4', '--label', 'verdict=approved', '--author', 'Arg Reviewer']);
    expect(flagged.out).toMatch(/^added verdict = "approved" to trace t4 of run /m);
    expect(readFileSync(join(fx.annotations, 'arg-reviewer.yaml'), 'utf8')).toMatch(/trace: t3\n[\s\S]*trace: t4\n/);
  });

  it('asks for a trace id when the example ran several times (trials)', async () => {
    const trialsRoot = tempDir('labbook-annotate-trials-');
    const dataDir = join(trialsRoot, 'experiments');
    const [run] = await makeSealedRuns({
      root: trialsRoot,
      dataDir,
      experimentYaml: DEMO_EXPERIMENT_YAML,
      configFile: 'trials.yaml',
      traces: () => [1, 2].map((i) => ({ ...makeTrace(i), exampleId: 'ex1' })),
    });
    const result = await annotate(['--data', dataDir, '--run', run!, '--trace', 'ex1', '--label', 'verdict=approved', '--author', 'x']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('example "ex1" ran 2 times in run');
    expect(result.err).toContain('(trials): give one trace id: t1, t2');
  });

  it("--from adds every entry of a file (a review queue's), all or nothing", async () => {
    const file = join(root, 'queue-judgements.yaml');
    const entry = (trace: string, name: string, value: string | number, author = 'Queue Reviewer') =>
      `- run: ${fx.runs[1]}\n  trace: ${trace}\n  name: ${name}\n  value: ${typeof value === 'string' ? JSON.stringify(value) : value}\n  author: ${author}\n  at: "2026-02-01T10:00:00Z"\n`;
    writeFileSync(
      file,
      `# from a queue\n${entry('t3', 'verdict', 'approved')}${entry('t3', 'reviewer_score', 0.5)}${entry('t4', 'verdict', 'hallucination')}`,
    );
    const added = await annotate(['--from', file]);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^added 3 annotations by Queue Reviewer to experiments\/demo\/annotations\/queue-reviewer\.yaml$/m);
    expect((await checkAnnotations([join(fx.annotations, 'queue-reviewer.yaml')], { dataDir: fx.dataDir, cwd: root })).ok).toBe(true);

    // The same file again: every entry was judged already; nothing more is written.
    const before = readFileSync(join(fx.annotations, 'queue-reviewer.yaml'), 'utf8');
    const again = await annotate(['--from', file]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /^error: queue-judgements\.yaml:4:\d+: name: Queue Reviewer already annotated "verdict" of trace t3 in experiments\/demo\/annotations\/queue-reviewer\.yaml:1$/m,
    );
    expect(again.err).toMatch(/nothing was added; fix the 3 problems above/);
    expect(readFileSync(join(fx.annotations, 'queue-reviewer.yaml'), 'utf8')).toBe(before);

    // A bad value and an unknown trace are named with their lines; the good entry is not added alone.
    writeFileSync(
      file,
      `${entry('t2', 'verdict', 'great')}${entry('no-such-trace', 'verdict', 'approved')}${entry('t1', 'verdict', 'approved')}`,
    );
    const bad = await annotate(['--from', file]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/queue-judgements\.yaml:4:\d+: value: "great" is not an allowed "verdict" label/);
    expect(bad.err).toMatch(/queue-judgements\.yaml:8:\d+: trace: no trace "no-such-trace"/);
    expect(readFileSync(join(fx.annotations, 'queue-reviewer.yaml'), 'utf8')).toBe(before);

    // The path once, and what --from wants, not "file not found: <path> (no file <path>)".
    expect((await annotate(['--from', join(root, 'nope.yaml')])).err.trim()).toBe(
      `labbook annotate: file not found: ${join(root, 'nope.yaml')} (--from takes an annotation file (YAML), such as the one a review queue on the site makes)`,
    );
    expect((await annotate(['--from', file, '--run', 'x'])).code).toBe(2);
  });
});
