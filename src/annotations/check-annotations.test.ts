import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryYaml, makeAnnotationFixture, type AnnotationFixture } from '../../test/helpers/annotation-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { main } from '../cli/main.ts';
import { checkAnnotations } from './check-annotations.ts';
import { loadAnnotations } from './load-annotations.ts';
import type { Problem } from '../errors/problem.ts';

const root = tempDir('labbook-annotations-');
let fx: AnnotationFixture;
let run: string;
const at = '2026-01-31T12:00:00Z';
const entry = (over: Record<string, string | number> = {}) =>
  entryYaml({ run, trace: 't1', name: 'verdict', value: 'approved', author: 'Ada', at, ...over });

beforeAll(async () => {
  fx = await makeAnnotationFixture(root, 'data');
  run = fx.runs[0];
});

/** A fresh annotations folder holding just these files. */
function files(contents: Record<string, string>): void {
  rmSync(fx.annotations, { recursive: true, force: true });
  mkdirSync(fx.annotations, { recursive: true });
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(fx.annotations, name), text);
}

const check = (paths: string[] = []) => checkAnnotations(paths, { dataDir: fx.dataDir, cwd: fx.dataDir });
const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

describe('labbook annotations check', () => {
  it('accepts valid files from several authors, labels and metrics, several judgements of one trace', async () => {
    files({
      'ada.yaml': entry() + entry({ name: 'reviewer_score', value: 0.9 }),
      'grace.yaml':
        entry({ author: 'Grace', value: 'needs review', note: 'the second step is unsupported' }) +
        entry({ author: 'Grace', trace: 't2', run: fx.runs[1] }),
    });
    const report = await check();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, files: 2, entries: 4, errors: 0 });
  });

  it('warns about a file whose name starts with a dot instead of ignoring it in silence; .gitkeep stays quiet', async () => {
    files({ 'ada.yaml': entry(), '.grace.yaml': entry({ author: 'Grace' }), '.notes.yml': entry(), '.hidden': 'x', '.gitkeep': '' });
    const report = await check();
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(1);
    expect(report.problems).toEqual([
      {
        severity: 'warning',
        file: 'demo/annotations/.grace.yaml',
        message: 'is not read: files whose names start with "." are skipped; rename it grace.yaml to have it read',
      },
      { severity: 'warning', file: 'demo/annotations/.hidden', message: 'is not read: files whose names start with "." are skipped' },
      {
        severity: 'warning',
        file: 'demo/annotations/.notes.yml',
        message: 'is not read: files whose names start with "." are skipped; rename it notes.yaml to have it read',
      },
    ]);
  });

  it('names the file, line and column of an unknown run and of an unknown trace', async () => {
    files({ 'ada.yaml': entry() + entry({ run: 'nope-run' }) + entry({ trace: 't99' }) });
    const report = await check();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        severity: 'error',
        file: 'demo/annotations/ada.yaml',
        line: 7,
        column: 8,
        field: 'run',
        message: expect.stringMatching(/no run nope-run in experiment demo/),
      },
      {
        severity: 'error',
        file: 'demo/annotations/ada.yaml',
        line: 14,
        column: 10,
        field: 'trace',
        message: expect.stringMatching(/no trace "t99" in run .* \(it has 5 traces/),
      },
    ]);
    expect(report.entries).toBe(1);
  });

  it('reports every problem of an entry: a bad time does not hide a quoted number, a bad value does not hide an unknown run', async () => {
    files({
      'ada.yaml':
        entry({ name: 'reviewer_score', value: '0.5', at: 'yesterday' }) + entry({ run: 'nope-run', trace: 't2', value: 'great' }),
    });
    const report = await check();
    expect(report.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [6, 'at', expect.stringMatching(/must be an ISO time/)],
      [4, 'value', expect.stringMatching(/"reviewer_score" is a metric: the value must be a number/)],
      [10, 'value', expect.stringMatching(/"great" is not an allowed "verdict" label/)],
      [7, 'run', expect.stringMatching(/no run nope-run in experiment demo/)],
    ]);
    expect(report.entries).toBe(0);
  });

  it('refuses an `at` more than an hour ahead of its clock, which would win over every later judgement', async () => {
    files({
      'ada.yaml':
        entry({ at: '2026-02-01T12:30:00Z' }) +
        entry({ trace: 't2', at: '2026-02-01T14:00:00Z' }) +
        entry({ trace: 't3', run: 'nope-run', at: '2999-01-01T00:00:00Z' }),
    });
    const report = await checkAnnotations([], { dataDir: fx.dataDir, cwd: fx.dataDir, now: new Date('2026-02-01T12:00:00Z') });
    expect(report.ok).toBe(false);
    expect(errors(report.problems).map((p) => [p.line, p.field, p.message])).toEqual([
      [
        12,
        'at',
        "2026-02-01T14:00:00Z is in the future (the check's clock says 2026-02-01T12:00:00.000Z): a later time wins over every judgement made before it",
      ],
      [18, 'at', expect.stringMatching(/^2999-01-01T00:00:00Z is in the future/)],
      [13, 'run', expect.stringMatching(/no run nope-run/)], // both problems of the entry
    ]);
  });

  it('suggests the full id when a run id is cut short', async () => {
    files({ 'ada.yaml': entry({ run: run.slice(0, 20) }) });
    expect((await check()).problems[0]!.message).toMatch(new RegExp(`did you mean ${run}`));
  });

  it('rejects one author judging the same trace and name twice (across files), not two authors', async () => {
    files({
      'ada.yaml': entry(),
      'ada-later.yaml': entry({ value: 'hallucination', at: '2026-02-01T00:00:00Z' }),
      'grace.yaml': entry({ author: 'Grace' }),
    });
    const report = await check();
    expect(errors(report.problems)).toEqual([
      expect.objectContaining({
        file: 'demo/annotations/ada-later.yaml',
        line: 1,
        field: 'author',
        message: expect.stringMatching(/"Ada" already annotated "verdict" of trace t1 .* at demo\/annotations\/ada\.yaml:1/),
      }),
    ]);
  });

  it('rejects NaN and infinities, labels outside the set and metrics out of range, with their positions', async () => {
    files({
      'ada.yaml':
        entry({ name: 'reviewer_score', value: '.nan' }).replace('".nan"', '.nan') +
        entry({ trace: 't2', value: 'great' }) +
        entry({ trace: 't3', name: 'reviewer_score', value: 2 }),
    });
    const report = await check();
    expect(report.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      expect.stringMatching(/^4:10 \.nan is not a finite number/),
      expect.stringMatching(/^10:10 "great" is not an allowed "verdict" label/),
      expect.stringMatching(/^16:10 2 is outside the range of "reviewer_score" in \[0, 1\]/),
    ]);
  });

  it('rejects invalid YAML, duplicate keys and aliases, and still checks the other files', async () => {
    files({
      'a-broken.yaml': '- run: "unterminated\n',
      'b-dupe.yaml': `${entry()}  author: Eve\n`,
      'c-alias.yaml': `- &e {run: ${run}, trace: t1, name: verdict, value: approved, author: Ada, at: "${at}"}\n- *e\n`,
      'd-good.yaml': entry({ author: 'Grace' }),
    });
    const report = await check();
    expect(report.entries).toBe(1);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'demo/annotations/a-broken.yaml',
        line: expect.any(Number),
        column: expect.any(Number),
        message: expect.stringMatching(/^invalid YAML/),
      }),
      expect.objectContaining({ file: 'demo/annotations/b-dupe.yaml', line: 7, message: expect.stringMatching(/duplicated mapping key/) }),
      expect.objectContaining({ file: 'demo/annotations/c-alias.yaml', message: expect.stringMatching(/aliases/) }),
    ]);
  });

  it('rejects a file outside annotations/, a .yml file, a folder and a symbolic link inside it', async () => {
    files({ 'ada.yml': entry() });
    mkdirSync(join(fx.annotations, 'nested'));
    writeFileSync(join(fx.annotations, 'nested', 'x.yaml'), entry());
    symlinkSync('/etc/passwd', join(fx.annotations, 'passwd.yaml'));
    writeFileSync(join(fx.dataDir, 'demo', 'stray.yaml'), entry());
    writeFileSync(join(fx.annotations, 'README.md'), 'How to annotate\n');
    const folder = await check();
    expect(folder.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'demo/annotations/ada.yml: only .yaml files are read: rename it ada.yaml',
      'demo/annotations/nested: folders inside annotations/ are not read; move their .yaml files up into annotations/',
      'demo/annotations/passwd.yaml: symbolic links are not read in annotations/; commit the file itself',
    ]);
    const stray = await check([join(fx.dataDir, 'demo', 'stray.yaml')]);
    expect(stray.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'demo/stray.yaml',
        message: expect.stringMatching(/outside an annotations folder/),
      }),
    ]);
    rmSync(join(fx.dataDir, 'demo', 'stray.yaml'));
  });

  it('refuses a huge file without reading it', async () => {
    files({ 'huge.yaml': `# ${'x'.repeat(2 * 1024 * 1024 + 10)}\n`, 'ok.yaml': entry() });
    const report = await check();
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'demo/annotations/huge.yaml',
        message: expect.stringMatching(/is 2097165 bytes, more than the 2097152 allowed/),
      }),
    ]);
    expect(report.entries).toBe(1);
  });

  it('checks one file when given one, and the folder when given the annotations folder', async () => {
    files({ 'ada.yaml': entry(), 'bad.yaml': entry({ value: 'great' }) });
    expect(await check([join(fx.annotations, 'ada.yaml')])).toMatchObject({ ok: true, files: 1, entries: 1 });
    expect(await check([fx.annotations])).toMatchObject({ ok: false, files: 2, entries: 1, errors: 1 });
  });

  it('reports a name used as a metric in one file and as a label in another', async () => {
    files({ 'ada.yaml': entry({ name: 'tone', value: 'warm' }), 'grace.yaml': entry({ name: 'tone', value: 0.5, author: 'Grace' }) });
    const report = await check();
    expect(errors(report.problems)).toEqual([
      expect.objectContaining({
        file: 'demo/annotations/grace.yaml',
        field: 'value',
        message: expect.stringMatching(/"tone" is a label at demo\/annotations\/ada\.yaml:1 but a metric here/),
      }),
    ]);
  });
});

describe('loadAnnotations (the site and compare read with it)', () => {
  it('skips a bad file and bad entries with a problem each, and never drops the good ones', async () => {
    files({ 'a.yaml': '- [broken\n', 'b.yaml': entry() + entry({ trace: 't2', value: 'great' }) + entry({ trace: 't3' }) });
    const problems: Problem[] = [];
    const entries = await loadAnnotations(fx.dataDir, 'demo', { onProblem: (p) => problems.push(p) });
    expect(entries.map((e) => [e.file, e.line, e.trace])).toEqual([
      ['demo/annotations/b.yaml', 1, 't1'],
      ['demo/annotations/b.yaml', 13, 't3'],
    ]);
    expect(problems.map((p) => p.file)).toEqual([join(fx.annotations, 'a.yaml'), join(fx.annotations, 'b.yaml')]);
  });

  it("keeps the author's later judgement when a duplicate slipped in, with a warning on the older", async () => {
    files({ 'a.yaml': entry({ at: '2026-03-01T00:00:00Z', value: 'hallucination' }), 'b.yaml': entry() });
    const problems: Problem[] = [];
    const entries = await loadAnnotations(fx.dataDir, 'demo', { onProblem: (p) => problems.push(p) });
    expect(entries.map((e) => e.value)).toEqual(['hallucination']);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/superseded by a later entry/) }),
    ]);
  });

  it('reads nothing, without a problem, when there is no annotations folder', async () => {
    rmSync(fx.annotations, { recursive: true, force: true });
    const problems: Problem[] = [];
    expect(await loadAnnotations(fx.dataDir, 'demo', { onProblem: (p) => problems.push(p) })).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('the command line', () => {
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    let out = '';
    let err = '';
    const code = await main(['annotations', ...args, '--data', fx.dataDir], {
      cwd: fx.dataDir,
      env,
      stdout: (t) => (out += `${t}\n`),
      stderr: (t) => (err += `${t}\n`),
    });
    return { code, out, err };
  };

  it('exits 1 and prints file:line:column for each error; 0 when all is well', async () => {
    files({ 'ada.yaml': entry() + entry({ trace: 't2', value: 'great' }) });
    const bad = await cli(['check']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: demo\/annotations\/ada\.yaml:10:10: value: "great" is not an allowed "verdict" label/m);
    expect(bad.out).toMatch(/^invalid: 1 file, 1 valid annotation; 1 error, 0 warnings/);
    files({ 'ada.yaml': entry() });
    expect(await cli(['check'])).toMatchObject({ code: 0, out: 'ok: 1 file, 1 valid annotation; 0 errors, 0 warnings\n' });
  });

  it('prints a JSON report with --json, and GitHub annotations (escaped) on stderr in Actions', async () => {
    files({ 'ada.yaml': entry({ trace: 't%2' }) });
    const { code, out, err } = await cli(['check', '--json'], { GITHUB_ACTIONS: 'true' });
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      schemaVersion: 1,
      ok: false,
      errors: 1,
      problems: [{ file: 'demo/annotations/ada.yaml', line: 2, column: 10, field: 'trace' }],
    });
    expect(err).toContain('::error file=demo/annotations/ada.yaml,line=2,col=10::trace: no trace "t%252" in run');
  });

  it('previews a report named relative to where it runs, and says in the words of every command when it cannot', async () => {
    files({ 'ada.yaml': entry() });
    writeFileSync(join(fx.dataDir, 'check.json'), (await cli(['check', '--json'])).out);
    const shown = await cli(['preview', 'check.json']);
    expect(shown.err).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('<!-- labbook:annotations-preview -->');
    const missing = await cli(['preview', 'nosuch.json']);
    expect([missing.code, missing.err]).toEqual([
      1,
      `labbook annotations: file not found: ${join(fx.dataDir, 'nosuch.json')} (give the report "labbook annotations check --json" printed)\n`,
    ]);
    const folder = await cli(['preview', 'demo']);
    expect(folder.code).toBe(1);
    expect(folder.err).toMatch(/^labbook annotations: cannot read .*: it is a folder, not a file \(EISDIR\); give the path of a file\n$/);
    writeFileSync(join(fx.dataDir, 'broken.json'), '{"schemaVersion": 1,\n  "problems": [\n');
    const broken = await cli(['preview', 'broken.json']);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(new RegExp(`^labbook annotations: ${join(fx.dataDir, 'broken.json')}:3:\\d+: truncated JSON`));
  });
});

describe('checking a pull request against its base (--base)', () => {
  let repo: string;
  let data: AnnotationFixture;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
    }).toString();

  beforeAll(async () => {
    repo = join(root, 'repo');
    mkdirSync(repo);
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'a@example.com');
    git('config', 'user.name', 'Ada');
    data = await makeAnnotationFixture(repo, 'experiments');
    writeFileSync(
      join(data.annotations, 'ada.yaml'),
      entryYaml({ run: data.runs[0], trace: 't1', name: 'verdict', value: 'approved', author: 'Ada', at }),
    );
    writeFileSync(
      join(data.annotations, 'old-bad.yaml'),
      entryYaml({ run: data.runs[0], trace: 't1', name: 'verdict', value: 'great', author: 'Old', at }),
    );
    git('add', '-A');
    git('commit', '-qm', 'base');
  });

  it('says a --base that names no commit does not exist here, instead of printing git', async () => {
    await expect(checkAnnotations([], { dataDir: data.dataDir, cwd: repo, base: 'nosuchref' })).rejects.toThrow(
      /^--base nosuchref: no such commit in this repository/,
    );
  });

  it('says --base needs a git repository when run outside one, instead of printing git', async () => {
    const outside = tempDir('labbook-no-git-');
    await expect(checkAnnotations([], { dataDir: outside, cwd: outside, base: 'HEAD' })).rejects.toThrow(
      `--base compares with a git commit, but ${outside} is not inside a git repository`,
    );
  });

  it('lists what the change adds, warns about edits to earlier entries, and does not fail on old errors', async () => {
    const ada = join(data.annotations, 'ada.yaml');
    writeFileSync(
      ada,
      entryYaml({ run: data.runs[0], trace: 't1', name: 'verdict', value: 'hallucination', author: 'Ada', at }) +
        entryYaml({ run: data.runs[0], trace: 't2', name: 'reviewer_score', value: 0.4, author: 'Ada', at }),
    );
    writeFileSync(
      join(data.annotations, 'grace-20260131-120000-abcd.yaml'),
      entryYaml({ run: data.runs[1], trace: 't3', name: 'verdict', value: 'needs review', author: 'Grace', at, note: 'see @octocat' }),
    );
    writeFileSync(
      join(repo, 'misplaced.yaml'),
      entryYaml({ run: data.runs[1], trace: 't3', name: 'verdict', value: 'approved', author: 'Eve', at }),
    );
    mkdirSync(join(data.annotations, 'nested'));
    writeFileSync(
      join(data.annotations, 'nested', 'eve.yaml'),
      entryYaml({ run: data.runs[1], trace: 't4', name: 'verdict', value: 'approved', author: 'Eve', at }),
    );
    const report = await checkAnnotations([], { dataDir: data.dataDir, cwd: repo, base: 'HEAD' });
    expect(report.changes).toMatchObject({
      base: 'HEAD',
      removed: 1,
      files: [
        { path: 'experiments/demo/annotations/ada.yaml', status: 'modified', added: 1, changed: 1 },
        { path: 'experiments/demo/annotations/grace-20260131-120000-abcd.yaml', status: 'added', added: 1, changed: 0 },
      ],
    });
    expect(report.changes!.added.map((a) => [a.path, a.line, a.value])).toEqual([
      ['experiments/demo/annotations/ada.yaml', 7, 0.4],
      ['experiments/demo/annotations/grace-20260131-120000-abcd.yaml', 1, 'needs review'],
    ]);
    // Ada's verdict was "approved" at the base: the change edits it, it does not add one.
    expect(report.changes!.changed.map((c) => [c.path, c.line, c.before.value, c.value, c.author])).toEqual([
      ['experiments/demo/annotations/ada.yaml', 1, 'approved', 'hallucination', 'Ada'],
    ]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'experiments/demo/annotations/nested',
        message: expect.stringMatching(/folders inside annotations\/ are not read/),
      }),
      expect.objectContaining({
        severity: 'warning',
        file: 'experiments/demo/annotations/old-bad.yaml',
        message: expect.stringMatching(/"great" is not an allowed .*\[already on HEAD; not changed here\]/),
      }),
      expect.objectContaining({
        severity: 'warning',
        file: 'experiments/demo/annotations/ada.yaml',
        line: 4, // where its value is written
        field: 'value',
        message: expect.stringMatching(
          /changes the judgement "Ada" recorded for "verdict" of trace t1 \(value "approved" → "hallucination"\); only its author may change it/,
        ),
      }),
      expect.objectContaining({
        severity: 'error',
        file: 'misplaced.yaml',
        message: expect.stringMatching(/outside an annotations folder/),
      }),
    ]);
    expect(report.ok).toBe(false);
  });
});
