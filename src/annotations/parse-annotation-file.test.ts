import { describe, expect, it } from 'vitest';
import { parseAnnotationFile } from './parse-annotation-file.ts';

const rules = {
  labels: { verdict: ['approved', 'needs review', 'hallucination'] },
  metrics: { reviewer_score: { min: 0, max: 1, direction: 'higher' as const } },
};
const source = { path: 'demo/annotations/ada.yaml', file: 'demo/annotations/ada.yaml', experiment: 'demo' };
const parse = (text: string) => parseAnnotationFile(text, source, rules);
const good = (over: Record<string, string> = {}) => {
  const fields = { run: 'r1', trace: 't1', name: 'verdict', value: 'approved', author: 'Ada', at: '2026-01-31T12:00:00Z', ...over };
  return `- ${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n  ')}\n`;
};

describe('parseAnnotationFile', () => {
  it('reads labels and metrics with the line and column of each entry', () => {
    const text = `# Ada's judgements\n${good()}${good({ name: 'reviewer_score', value: '0.8', note: '"clear, but long"' })}`;
    const result = parse(text);
    expect(result.problems).toEqual([]);
    expect(result.entries).toMatchObject([
      { kind: 'label', name: 'verdict', value: 'approved', line: 2, column: 3, file: 'demo/annotations/ada.yaml', experiment: 'demo' },
      { kind: 'metric', name: 'reviewer_score', value: 0.8, line: 8, column: 3, note: 'clear, but long' },
    ]);
  });

  it('locates entries written as flow mappings too', () => {
    const text =
      '[ {run: r1, trace: t1, name: verdict, value: approved, author: Ada, at: "2026-01-31T12:00:00Z"},\n  {run: r1, trace: t2, name: verdict,\n   value: nonsense, author: Ada, at: "2026-01-31T12:00:00Z"} ]\n';
    const result = parse(text);
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 3,
        column: 11,
        field: 'value',
        message: expect.stringMatching(
          /"nonsense" is not an allowed "verdict" label; use one of "approved", "needs review", "hallucination"/,
        ),
      }),
    ]);
  });

  it.each([
    ['.nan', /\.nan is not a finite number/],
    ['.inf', /\.inf is not a finite number/],
    ['-.Inf', /-\.inf is not a finite number/],
  ])('rejects %s as a metric value at its line and column', (value, message) => {
    const result = parse(good() + good({ name: 'reviewer_score', value }));
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 10, column: 10, field: 'value', message: expect.stringMatching(message) }),
    ]);
  });

  it('rejects invalid YAML with the line and column, and keeps nothing from that file', () => {
    const result = parse(`${good()}- run: [r1\n  trace: t1\n`);
    expect(result.unreadable).toBe(true);
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: source.path,
        line: expect.any(Number),
        message: expect.stringMatching(/^invalid YAML/),
      }),
    ]);
  });

  it('rejects duplicate keys with their line', () => {
    const result = parse(`${good()}  value: hallucination\n`);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 7, column: 3, message: expect.stringMatching(/duplicated mapping key/) }),
    ]);
  });

  it('rejects an alias bomb without expanding it', () => {
    const bomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n- [*g]\n`;
    expect(parse(bomb).problems[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/invalid YAML|aliases/) });
    const listBomb = `- &a [x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b]\n- [*c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(parse(listBomb)).toMatchObject({
      unreadable: true,
      problems: [expect.objectContaining({ message: expect.stringMatching(/aliases/) })],
    });
  });

  it('rejects a mapping at the top, and more entries than the limit', () => {
    expect(parse('run: r1\ntrace: t1\n').problems[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/expected a YAML list of annotations.*got a mapping/),
    });
    const many = '- {run: r1, trace: t1, name: verdict, value: approved, author: Ada, at: "2026-01-31T12:00:00Z"}\n'.repeat(10_001);
    expect(parse(many)).toMatchObject({
      unreadable: true,
      problems: [expect.objectContaining({ message: expect.stringMatching(/10001 entries is more than 10000 per file/) })],
    });
  });

  it('refuses a file over the size limit before parsing it', () => {
    const huge = `- note: "${'x'.repeat(2 * 1024 * 1024)}"\n`;
    expect(parse(huge).problems[0]!.message).toMatch(/larger than 2097152 bytes/);
  });

  it('treats an empty file (or only comments) as no entries', () => {
    expect(parse('# nothing yet\n')).toEqual({ entries: [], problems: [], unreadable: false, total: 0, rejected: [] });
  });

  it('reports each field of a bad entry where it is written and keeps the good entries', () => {
    const text = [
      good(),
      '- run: ../etc\n  trace: t1\n  name: "bad/name"\n  value: true\n  author: Ada\n  at: yesterday\n',
      good({ trace: 't2', note: JSON.stringify('n'.repeat(5001)) }),
      good({ trace: 't3' }),
    ].join('');
    const result = parse(text);
    expect(result.entries.map((e) => e.trace)).toEqual(['t1', 't3']);
    const byField = Object.fromEntries(result.problems.map((p) => [p.field, p]));
    expect(byField.run).toMatchObject({ line: 7, column: 8, message: 'must not contain ".." (got "../etc")' });
    expect(byField.name).toMatchObject({ line: 9, message: expect.stringMatching(/letters, digits/) });
    expect(byField.value).toMatchObject({ line: 10, column: 10, message: expect.stringMatching(/true is neither a metric nor a label/) });
    expect(byField.at).toMatchObject({ line: 12, message: expect.stringMatching(/ISO time/) });
    expect(byField.note).toMatchObject({ line: 19, message: expect.stringMatching(/^is longer than 5000 characters/) });
  });

  it('says which field is missing, and warns about unknown fields without dropping the entry', () => {
    const result = parse(
      '- run: r1\n  trace: t1\n  name: verdict\n  author: Ada\n  at: "2026-01-31T12:00:00Z"\n' + good({ notes: 'typo' }),
    );
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', field: 'value', line: 1, message: expect.stringMatching(/is missing/) }),
      expect.objectContaining({
        severity: 'warning',
        field: 'notes',
        line: 12,
        message: expect.stringMatching(/unknown field "notes" is ignored/),
      }),
    ]);
    expect(result.entries).toHaveLength(1);
  });

  it('holds labels and metrics to their declared kind and range', () => {
    const result = parse(
      good({ name: 'reviewer_score', value: '1.5' }) +
        good({ name: 'reviewer_score', value: '"0.5"' }) +
        good({ value: '0.5' }) +
        good({ value: 'Approved' }),
    );
    expect(result.entries).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/1\.5 is outside the range of "reviewer_score" in \[0, 1\]/),
      expect.stringMatching(
        /"reviewer_score" is a metric: the value must be a number in \[0, 1\] \(got the text "0\.5"; remove the quotes\)/,
      ),
      expect.stringMatching(/"verdict" is a label: use one of/),
      expect.stringMatching(/"Approved" is not an allowed "verdict" label/),
    ]);
  });

  it('warns about a name the experiment does not declare, and keeps it', () => {
    const result = parse(good({ name: 'verdcit' }));
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        field: 'name',
        message: expect.stringMatching(/"verdcit" is not declared in experiment.yaml \(declared: verdict, reviewer_score\)/),
      }),
    ]);
  });

  it('rejects hidden characters in labels and authors, and labels with outer spaces', () => {
    const result = parse(good({ author: '"Ada\\u202Eevil"' }) + good({ value: '" approved"' }));
    expect(result.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'author: contains control or bidirectional-override characters',
      expect.stringMatching(/^value: label " approved" starts or ends with spaces/),
    ]);
  });

  it('does not let a label named like an Object property reach the prototype', () => {
    const result = parse(good({ name: '__proto__', value: 'x' }) + good({ name: 'constructor', value: '1' }));
    expect(result.entries.map((e) => e.name)).toEqual(['__proto__', 'constructor']);
    expect(result.problems.every((p) => p.severity === 'warning')).toBe(true);
  });
});
