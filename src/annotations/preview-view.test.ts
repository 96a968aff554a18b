import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { createRenderer } from '../render/environment.ts';
import type { AnnotationCheckReport } from './check-annotations.ts';
import { buildPreviewView, PREVIEW_MARKER } from './preview-view.ts';

const added = {
  experiment: 'demo',
  run: '20260101-000000-base-ab12cd',
  trace: 't1 (retry)',
  name: 'verdict',
  value: 'needs review',
  author: 'Eve | <script>alert(1)</script>',
  at: '2026-01-31T12:00:00Z',
  note: 'ping @octocat\n| a | b |\n[click](javascript:alert(1)) `code` **bold**',
  kind: 'label' as const,
  file: 'demo/annotations/eve.yaml',
  line: 3,
  column: 3,
  path: 'experiments/demo/annotations/eve.yaml',
};

const report = (over: Partial<AnnotationCheckReport> = {}): AnnotationCheckReport => ({
  schemaVersion: 1,
  ok: true,
  files: 1,
  entries: 1,
  errors: 0,
  warnings: 0,
  problems: [],
  changes: {
    base: 'HEAD^1',
    files: [{ path: added.path, status: 'added', added: 1, changed: 0 }],
    added: [added],
    changed: [],
    removed: 0,
  },
  ...over,
});

const render = (r: AnnotationCheckReport, context = {}) =>
  createRenderer().render('annotations-preview.njk', { view: buildPreviewView(r, context) });

describe('the pull request preview', () => {
  it('starts with the hidden marker and shows one row per added annotation, linked to the site and the file', () => {
    const markdown = render(report(), { repository: 'octo/lab', sha: 'a'.repeat(40), siteUrl: 'https://octo.github.io/lab/' });
    expect(markdown.startsWith(`${PREVIEW_MARKER}\n`)).toBe(true);
    expect(markdown).toContain('✅ 1 annotation added, all pass the check');
    expect(markdown).toContain(
      '[t1 (retry)](https://octo.github.io/lab/experiments/demo/runs/20260101-000000-base-ab12cd/trace/?id=t1%20%28retry%29)',
    );
    expect(markdown).toContain(
      `[experiments/demo/annotations/eve.yaml:3](https://github.com/octo/lab/blob/${'a'.repeat(40)}/experiments/demo/annotations/eve.yaml#L3)`,
    );
  });

  it('leads with a recorded judgement the change edits, old and new value, and never calls it added', () => {
    const edit = {
      ...added,
      author: 'Grace Hopper',
      name: 'reviewer_score',
      value: 0.45,
      kind: 'metric' as const,
      before: { value: 0.4, at: added.at },
    };
    const markdown = render(
      report({
        warnings: 1,
        changes: {
          base: 'HEAD',
          files: [{ path: added.path, status: 'modified', added: 1, changed: 1 }],
          added: [added],
          changed: [edit],
          removed: 1,
        },
      }),
    );
    const headline = markdown.split('\n').find((l) => l.startsWith('⚠️'))!;
    expect(headline).toContain('1 recorded judgement changed and 1 annotation added');
    expect(headline).toContain('confirm each change below with its author');
    expect(markdown).not.toContain('all pass the check');
    const changedTable = markdown.split('**Changed judgements**')[1]!.split('**Added**')[0]!;
    expect(changedTable).toContain('| Was | Now |');
    expect(changedTable).toMatch(/\| reviewer\\_score \| 0\.4 \| \*\*0\.45\*\* \| Grace Hopper \|/);
    expect(markdown.split('**Added**')[1]).toContain('needs review');
    expect(markdown.indexOf('**Changed judgements**')).toBeLessThan(markdown.indexOf('**Added**'));
  });

  it('escapes everything that came from the files: no HTML, no table breaks, no links, no mentions', () => {
    const markdown = render(report());
    const row = markdown.split('\n').find((l) => l.includes('needs review'))!;
    expect(row).toContain('Eve \\| &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(row).toContain('ping @\u200boctocat \\| a \\| b \\| \\[click\\](javascript:alert(1)) \\`code\\` \\*\\*bold\\*\\*');
    expect(row).not.toContain('&#92;');
    expect(row).not.toContain('<script>');
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(7); // 7 cells, however many pipes the note held
  });

  it('renders with a GitHub-flavoured Markdown parser as one 7-cell row, with no live HTML or script link', () => {
    const html = micromark(render(report(), { repository: 'octo/lab', sha: 'a'.repeat(40) }), {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    });
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]),
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(7);
    expect(rows[1]![4]).toBe('Eve | &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rows[1]![5]).toBe('ping @\u200boctocat | a | b | [click](javascript:alert(1)) `code` **bold**');
    expect(html).not.toMatch(/<script|href="javascript/i);
  });

  it('lists problems (errors first) and drops links it cannot trust', () => {
    const markdown = render(
      report({
        ok: false,
        errors: 1,
        warnings: 1,
        problems: [
          { severity: 'warning', file: 'experiments/demo/annotations/a.yaml', line: 2, message: 'unknown field "notes" is ignored' },
          {
            severity: 'error',
            file: '/etc/x.yaml',
            line: 4,
            column: 10,
            field: 'value',
            message: '"great" is not an allowed "verdict" label',
          },
        ],
      }),
      { repository: 'octo/lab', sha: 'a'.repeat(40), siteUrl: 'javascript:alert(1)' },
    );
    expect(markdown).toContain('❌ 1 error: fix them before merging');
    const problems = markdown.split('**Problems**')[1]!;
    expect(problems.indexOf('❌')).toBeLessThan(problems.indexOf('⚠️'));
    expect(problems).toContain('- ❌ /etc/x.yaml:4:10: value: "great" is not an allowed "verdict" label'.replaceAll('"', '&quot;'));
    expect(markdown).not.toContain('javascript:alert(1)/');
    expect(markdown).not.toMatch(/\]\(\/etc/);
  });

  it('caps the rows so that the comment stays under GitHub’s size limit', () => {
    const quoted = '"'.repeat(300);
    const many = Array.from({ length: 500 }, (_, i) => ({ ...added, trace: `${quoted}${i}`, author: quoted, note: quoted.repeat(20) }));
    const problems = Array.from({ length: 500 }, (_, i) => ({
      severity: 'error' as const,
      file: `${quoted}${i}.yaml`,
      line: 1,
      message: quoted.repeat(5),
    }));
    const markdown = render(
      report({ ok: false, errors: 500, problems, changes: { base: 'HEAD^1', files: [], added: many, changed: [], removed: 0 } }),
      {
        repository: 'o/r',
        sha: 'a'.repeat(40),
        siteUrl: 'https://o.github.io/r/',
      },
    );
    expect(markdown).toMatch(/…and \d+ more\./);
    expect(markdown).toMatch(/…and \d+ more \(see the workflow log\)/);
    expect(markdown.length).toBeLessThan(65_536);
  });
});
