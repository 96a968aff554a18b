import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EXPERIMENT_YAML, entryYaml, makeAnnotationFixture } from '../../test/helpers/annotation-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { main } from '../cli/main.ts';
import type { AnnotationCheckReport } from './check-annotations.ts';

// A contributor's pull request against Grace's recorded judgements, checked as the workflow
// does: a real repository, a base commit, a PR commit, `annotations check --json --base HEAD^1`.

const root = tempDir('labbook-annotations-forgery-');
const at = '2026-01-31T12:00:00Z';
let seed: string;
let run: string;
const grace = (over: Record<string, string | number> = {}) =>
  entryYaml({ run, trace: 't1', name: 'verdict', value: 'approved', author: 'Grace', at, ...over });
const graceScore = () => entryYaml({ run, trace: 't2', name: 'reviewer_score', value: 0.4, author: 'Grace', at });

beforeAll(async () => {
  seed = join(root, 'seed');
  mkdirSync(seed);
  const fx = await makeAnnotationFixture(seed, 'experiments');
  run = fx.runs[0];
  writeFileSync(join(fx.annotations, 'grace.yaml'), grace() + graceScore());
  mkdirSync(join(seed, 'experiments', 'other', 'annotations'), { recursive: true });
  writeFileSync(join(seed, 'experiments', 'other', 'experiment.yaml'), 'name: other\n');
  writeFileSync(join(seed, 'experiments', 'other', 'annotations', '.gitkeep'), '');
  commit(seed, 'base');
});

function commit(repo: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
  if (message === 'base') {
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'a@example.com');
    git('config', 'user.name', 'Ada');
  }
  git('add', '-A');
  git('commit', '-qm', message);
}

let count = 0;
/** A clone of the base with `change` committed on top, checked against its parent. */
async function pullRequest(change: (annotations: string, repo: string) => void): Promise<{ code: number; report: AnnotationCheckReport }> {
  const repo = join(root, `pr-${++count}`);
  cpSync(seed, repo, { recursive: true, verbatimSymlinks: true });
  change(join(repo, 'experiments', 'demo', 'annotations'), repo);
  commit(repo, 'pull request');
  let out = '';
  const code = await main(['annotations', 'check', '--json', '--base', 'HEAD^1', '--data', 'experiments'], {
    cwd: repo,
    env: {},
    stdout: (t) => (out += t),
    stderr: () => {},
  });
  return { code, report: JSON.parse(out) as AnnotationCheckReport };
}

const changedRows = (report: AnnotationCheckReport) =>
  report.changes!.changed.map((c) => [c.path.replace('experiments/demo/annotations/', ''), c.author, c.before.value, c.value]);
const messages = (report: AnnotationCheckReport) => report.problems.map((p) => `${p.severity} ${p.file}: ${p.message}`);

describe("rewriting another author's judgement", () => {
  it('reports an edit in place as a changed judgement', async () => {
    const { code, report } = await pullRequest((a) =>
      writeFileSync(join(a, 'grace.yaml'), grace({ value: 'hallucination' }) + graceScore()),
    );
    expect(code).toBe(0);
    expect(changedRows(report)).toEqual([['grace.yaml', 'Grace', 'approved', 'hallucination']]);
  });

  it('reports a judgement moved to another file with a new value as changed, not as one Grace added', async () => {
    const { report } = await pullRequest((a) => {
      writeFileSync(join(a, 'grace.yaml'), graceScore());
      writeFileSync(join(a, 'mallory.yaml'), grace({ value: 'hallucination' }));
    });
    expect(report.changes!.added).toEqual([]);
    expect(changedRows(report)).toEqual([['mallory.yaml', 'Grace', 'approved', 'hallucination']]);
    expect(messages(report)).toEqual([
      expect.stringMatching(
        /^warning experiments\/demo\/annotations\/mallory\.yaml: changes the judgement "Grace" recorded for "verdict" of trace t1 \(moved from experiments\/demo\/annotations\/grace\.yaml, value "approved" → "hallucination"\)/,
      ),
      // and whose file it now sits in
      expect.stringMatching(
        /^warning experiments\/demo\/annotations\/mallory\.yaml: judged by "Grace" but written in mallory\.yaml: each author's judgements go in their own file \(grace\.yaml\)/,
      ),
    ]);
    expect(report.changes!.removed).toBe(1);
  });

  it('reports a renamed file whose judgements were edited as changed judgements', async () => {
    const { report } = await pullRequest((a) => {
      unlinkSync(join(a, 'grace.yaml'));
      writeFileSync(join(a, 'grace-2.yaml'), grace({ value: 'hallucination' }) + graceScore());
    });
    expect(report.changes!.added).toEqual([]);
    expect(changedRows(report)).toEqual([
      ['grace-2.yaml', 'Grace', 'approved', 'hallucination'],
      ['grace-2.yaml', 'Grace', 0.4, 0.4],
    ]);
    expect(report.changes!.files).toEqual([
      { path: 'experiments/demo/annotations/grace-2.yaml', status: 'added', added: 0, changed: 2 },
      { path: 'experiments/demo/annotations/grace.yaml', status: 'deleted', added: 0, changed: 0 },
    ]);
    // every entry of the deleted file is accounted for where it went: no "deletes its 2 entries"
    expect(messages(report).filter((m) => m.includes('deletes this file'))).toEqual([]);
  });

  it('still warns about what a deleted file loses when only part of it moved', async () => {
    const { report } = await pullRequest((a) => {
      unlinkSync(join(a, 'grace.yaml'));
      writeFileSync(join(a, 'mallory.yaml'), grace());
    });
    expect(messages(report)).toContainEqual(
      expect.stringMatching(
        /^warning experiments\/demo\/annotations\/grace\.yaml: deletes this file and 1 of its 2 entries \(the others moved\)/,
      ),
    );
  });

  it('warns about a removed entry and a deleted file', async () => {
    const removed = await pullRequest((a) => writeFileSync(join(a, 'grace.yaml'), graceScore()));
    expect(messages(removed.report)).toEqual([expect.stringMatching(/grace\.yaml: edits or removes 1 entry recorded earlier/)]);
    const deleted = await pullRequest((a) => unlinkSync(join(a, 'grace.yaml')));
    expect(messages(deleted.report)).toEqual([expect.stringMatching(/grace\.yaml: deletes this file and its 2 entries/)]);
  });

  it("lists an entry written in Grace's name in another file as added by Grace, for the reviewer to see", async () => {
    const { code, report } = await pullRequest((a) => writeFileSync(join(a, 'mallory.yaml'), grace({ trace: 't3' })));
    expect(code).toBe(0);
    expect(report.changes!.added.map((e) => [e.path, e.author, e.trace])).toEqual([
      ['experiments/demo/annotations/mallory.yaml', 'Grace', 't3'],
    ]);
  });

  it('refuses a second judgement in her name, whatever its case, spaces or time', async () => {
    const { code, report } = await pullRequest((a) =>
      writeFileSync(join(a, 'mallory.yaml'), grace({ author: ' grace ', value: 'hallucination', at: '2027-01-01T00:00:00Z' })),
    );
    expect(code).toBe(1);
    expect(messages(report)).toEqual([expect.stringMatching(/^error .*mallory\.yaml: " grace " already annotated "verdict" of trace t1/)]);
  });
});

describe('files put where they do not belong', () => {
  it("fails an annotations folder replaced by a link to another experiment's, instead of calling its problems old", async () => {
    const { code, report } = await pullRequest((_a, repo) => {
      rmSync(join(repo, 'experiments', 'other', 'annotations'), { recursive: true });
      symlinkSync('../demo/annotations', join(repo, 'experiments', 'other', 'annotations'));
    });
    expect(code).toBe(1);
    expect(report.problems.every((p) => p.severity === 'error' && !p.message.includes('already on'))).toBe(true);
    expect(report.errors).toBeGreaterThan(0);
  });

  it("refuses entries of another experiment's run, aliases and files outside annotations/", async () => {
    const { code, report } = await pullRequest((a, repo) => {
      writeFileSync(join(repo, 'experiments', 'other', 'annotations', 'm.yaml'), grace({ trace: 't3' }));
      writeFileSync(
        join(a, 'alias.yaml'),
        `- &x\n  run: ${run}\n  trace: t3\n  name: verdict\n  value: approved\n  author: M\n  at: "${at}"\n- *x\n`,
      );
      writeFileSync(join(repo, 'experiments', 'demo', 'mallory.yaml'), grace({ trace: 't4' }));
    });
    expect(code).toBe(1);
    expect(messages(report)).toEqual([
      expect.stringMatching(/^error experiments\/demo\/annotations\/alias\.yaml: YAML aliases/),
      expect.stringMatching(/^error experiments\/other\/annotations\/m\.yaml: run .* belongs to experiment demo/),
      expect.stringMatching(/^error experiments\/demo\/mallory\.yaml: is outside an annotations folder/),
    ]);
  });
});

describe('a pull request that changes the rules the recorded judgements are held to', () => {
  it('fails when it makes an untouched entry wrong, naming the change, and not when the entries still hold', async () => {
    const yaml = DEMO_EXPERIMENT_YAML;
    const narrowed = await pullRequest((_annotations, repo) =>
      writeFileSync(
        join(repo, 'experiments', 'demo', 'experiment.yaml'),
        yaml.replace('[approved, needs review, hallucination]', '[needs review, hallucination]'),
      ),
    );
    expect(narrowed.code).toBe(1);
    const errors = narrowed.report.problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'experiments/demo/annotations/grace.yaml',
        message: expect.stringMatching(/"approved".*\[the change to experiments\/demo\/experiment\.yaml makes it so\]$/),
      }),
    ]);
    const widened = await pullRequest((_annotations, repo) =>
      writeFileSync(join(repo, 'experiments', 'demo', 'experiment.yaml'), yaml.replace('hallucination]', 'hallucination, off topic]')),
    );
    expect(widened.report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(widened.code).toBe(0);
  });
});

describe('a pull request that removes a run', () => {
  it("fails when the run's judgements would point at nothing, and not when another run goes", async () => {
    const removed = await pullRequest((_annotations, repo) => rmSync(join(repo, 'experiments', 'demo', 'runs', run), { recursive: true }));
    expect(removed.code).toBe(1);
    expect(removed.report.problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({
        file: 'experiments/demo/annotations/grace.yaml',
        field: 'run',
        message: expect.stringMatching(
          new RegExp(`\\[the change removes or rewrites experiments/demo/runs/${run}, so this judgement would point at nothing`),
        ),
      }),
      expect.objectContaining({ file: 'experiments/demo/annotations/grace.yaml', field: 'run' }),
    ]);
    const other = await pullRequest((_annotations, repo) => {
      const runs = join(repo, 'experiments', 'demo', 'runs');
      const unjudged = readdirSync(runs).find((id) => id !== run)!;
      rmSync(join(runs, unjudged), { recursive: true });
    });
    expect(other.report.problems).toEqual([]);
    expect(other.code).toBe(0);
  });

  it('fails when a judged trace is taken out of its run', async () => {
    const rewritten = await pullRequest((_annotations, repo) => {
      const dir = join(repo, 'experiments', 'demo', 'runs', run);
      const chunk = join(dir, readdirSync(join(dir, 'traces')).map((f) => join('traces', f))[0]!);
      const lines = gunzipSync(readFileSync(chunk)).toString('utf8').split('\n');
      writeFileSync(chunk, gzipSync(lines.filter((line) => !line.includes('"id":"t1"')).join('\n')));
    });
    expect(rewritten.code).toBe(1);
    expect(rewritten.report.problems.filter((p) => p.severity === 'error').map((p) => [p.field, p.message])).toEqual([
      ['trace', expect.stringMatching(/^no trace "t1" in run .*\[the change removes or rewrites experiments\/demo\/runs\//)],
    ]);
  });
});

describe('an author made to look like another', () => {
  it('refuses a name mixing Latin and Cyrillic letters or holding an invisible one, and counts a full-width name as the same person', async () => {
    const lookAlikes = await pullRequest((a) =>
      writeFileSync(
        join(a, 'mallory.yaml'),
        entryYaml({ run, trace: 't3', name: 'verdict', value: 'approved', author: 'Gr\u0430ce', at }) +
          entryYaml({ run, trace: 't4', name: 'verdict', value: 'approved', author: 'Gra\u200Bce', at }),
      ),
    );
    expect(lookAlikes.code).toBe(1);
    expect(lookAlikes.report.problems.filter((p) => p.severity === 'error').map((p) => [p.field, p.message])).toEqual([
      ['author', 'mixes Latin and Cyrillic letters in "Grаce" (Cyrillic: "а" U+0430), so it looks like a name it is not'],
      ['author', 'contains an invisible character (U+200B), so it looks like a name it is not'],
    ]);
    const fullWidth = await pullRequest((a) =>
      writeFileSync(
        join(a, 'mallory.yaml'),
        entryYaml({ run, trace: 't1', name: 'verdict', value: 'hallucination', author: '\uFF27race', at }),
      ),
    );
    expect(fullWidth.code).toBe(1);
    expect(messages(fullWidth.report).join('\n')).toMatch(/Ｇrace.*already|second judgement|twice/i);
  });
});
