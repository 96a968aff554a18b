import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAnnotationFixture, type AnnotationFixture } from '../../test/helpers/annotation-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { parseYaml } from '../store/yaml.ts';
import { annotateCommandLine } from './annotate-command-line.ts';
import { authorSlug, newAnnotationFileName } from './annotation-file-name.ts';
import { checkAnnotations } from './check-annotations.ts';
import { annotationEntryYaml, type NewAnnotation } from './entry-yaml.ts';
import { buildNewFileLink, MAX_NEW_FILE_URL_LENGTH } from './new-file-url.ts';

const root = tempDir('labbook-new-file-');
let fx: AnnotationFixture;
beforeAll(async () => {
  fx = await makeAnnotationFixture(root, 'experiments');
});

const entry = (over: Partial<NewAnnotation> = {}): NewAnnotation => ({
  run: fx.runs[0],
  trace: 't2',
  name: 'verdict',
  value: 'needs review',
  author: "Zoë O'Brien",
  at: '2026-01-31T12:34:56.789Z',
  note: 'Says "50% off" — but the manual says 30%.\nSecond line: #42 & <b>',
  ...over,
});

describe('buildNewFileLink', () => {
  it('decodes back to a file that passes the check (the round trip the site relies on)', async () => {
    const link = buildNewFileLink({
      repository: 'octo-org/agent-lab',
      branch: 'labbook/data',
      dataPath: 'experiments',
      experiment: 'demo',
      entry: entry(),
      fileName: undefined,
    });
    expect(link.kind).toBe('url');
    if (link.kind !== 'url') return;
    const url = new URL(link.url);
    expect(url.origin).toBe('https://github.com');
    expect(url.pathname).toBe('/octo-org/agent-lab/new/labbook/data/experiments/demo/annotations');
    const fileName = url.searchParams.get('filename')!;
    expect(fileName).toMatch(/^zoe-o-brien-20260131-123456-[a-z2-9]{4}\.yaml$/);
    const folder = url.pathname.split('/new/labbook/data/')[1]!;
    const file = join(root, ...folder.split('/'), fileName);
    rmSync(fx.annotations, { recursive: true, force: true });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, url.searchParams.get('value')!);
    const report = await checkAnnotations([file], { dataDir: fx.dataDir, cwd: root });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, entries: 1 });
    expect(parseYaml(readFileSync(file, 'utf8'), file)).toEqual([entry()]);
  });

  it('keeps a typical entry far below the limit, and falls back to copy-YAML when a note is too long', () => {
    const typical = buildNewFileLink({
      repository: 'o/r',
      branch: 'main',
      dataPath: 'experiments',
      experiment: 'demo',
      entry: entry({ note: 'x'.repeat(500) }),
    });
    expect(typical.kind).toBe('url');
    expect(typical.kind === 'url' && typical.url.length).toBeLessThan(1200);
    const long = buildNewFileLink({
      repository: 'o/r',
      branch: 'main',
      dataPath: 'experiments',
      experiment: 'demo',
      entry: entry({ note: 'é'.repeat(2000) }),
    });
    expect(long).toMatchObject({ kind: 'fallback', reason: 'too-long' });
    expect(parseYaml(long.yaml, 'x.yaml')).toEqual([entry({ note: 'é'.repeat(2000) })]);
  });

  it('offers only the fallbacks without a valid repository', () => {
    for (const repository of [null, '', 'not a repo', 'javascript:alert(1)//x']) {
      const link = buildNewFileLink({ repository, branch: 'main', dataPath: 'experiments', experiment: 'demo', entry: entry() });
      expect(link).toMatchObject({ kind: 'fallback', reason: 'no-repository', folder: 'experiments/demo/annotations' });
      expect(link.command).toContain('labbook annotate');
    }
  });

  it('never lets a data path climb out of the repository', () => {
    const link = buildNewFileLink({
      repository: 'o/r',
      branch: 'main',
      dataPath: '../../x/./data',
      experiment: 'demo',
      entry: entry(),
      fileName: 'a.yaml',
    });
    expect(link.kind === 'url' && new URL(link.url).pathname).toBe('/o/r/new/main/x/data/demo/annotations');
  });

  it(`stays under ${MAX_NEW_FILE_URL_LENGTH} characters or falls back, for any entry`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000, unit: 'grapheme' }), (note) => {
        const link = buildNewFileLink({
          repository: 'o/r',
          branch: 'main',
          dataPath: 'experiments',
          experiment: 'demo',
          entry: entry({ note }),
        });
        return link.kind === 'fallback' || link.url.length <= MAX_NEW_FILE_URL_LENGTH;
      }),
    );
  });
});

describe('annotationEntryYaml', () => {
  it('writes plain words plainly and quotes what YAML would misread', () => {
    expect(
      annotationEntryYaml({
        run: '20260101-base',
        trace: 'yes',
        name: 'verdict',
        value: 'needs review',
        author: 'Ada',
        at: '2026-01-31T12:00:00Z',
      }),
    ).toBe('- run: "20260101-base"\n  trace: "yes"\n  name: verdict\n  value: needs review\n  author: Ada\n  at: "2026-01-31T12:00:00Z"\n');
  });

  it('round-trips any text and any finite number through the YAML reader', () => {
    const text = fc.string({ minLength: 1, maxLength: 80, unit: 'binary' });
    fc.assert(
      fc.property(
        text,
        text,
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), text),
        fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
        (trace, author, value, note) => {
          const written: NewAnnotation = {
            run: 'r',
            trace,
            name: 'n',
            value,
            author,
            at: '2026-01-31T12:00:00Z',
            ...(note === undefined ? {} : { note }),
          };
          const [read] = parseYaml(annotationEntryYaml(written), 'x.yaml') as [Record<string, unknown>];
          expect(read).toEqual({ ...written, value: Object.is(value, -0) ? 0 : value });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('file names and the command line', () => {
  it('slugs authors into file names', () => {
    expect(authorSlug("Zoë O'Brien")).toBe('zoe-o-brien');
    expect(authorSlug('李雷')).toBe('annotator');
    expect(newAnnotationFileName('Ada', new Date('2026-01-31T01:02:03Z'), () => 0)).toBe('ada-20260131-010203-aaaa.yaml');
  });

  it('quotes the labbook annotate command for a POSIX shell', () => {
    expect(annotateCommandLine(entry({ note: "it's fine" }))).toBe(
      `labbook annotate --run ${fx.runs[0]} --trace t2 --label 'verdict=needs review' --note 'it'\\''s fine' --author 'Zoë O'\\''Brien'`,
    );
    expect(annotateCommandLine(entry({ name: 'reviewer_score', value: 0.8, note: undefined }))).toMatch(
      /--metric reviewer_score=0\.8 --author/,
    );
  });
});

describe('browser safety', () => {
  it('the URL builder and what it imports use no Node modules', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|require\(/);
      for (const match of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gm)) visit(join(dirname(file), match[1]!));
    };
    for (const entryFile of ['new-file-url.ts', 'validate-new-annotation.ts', 'entry-rules.ts']) visit(join(here, entryFile));
    expect(seen.size).toBeGreaterThanOrEqual(6);
  });
});
