import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { judged, makeJudgeFixture, MARKUP_JUDGE, TRACES, type JudgeFixture } from '../../test/helpers/judge-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { main } from '../cli/main.ts';
import { pearson } from '../stats/correlation.ts';
import { renderReportHtml } from './render-report.ts';
import { buildReport } from './report.ts';
import { reportJudgesView } from './report-judges.ts';
import { NOTHING_JUDGED } from '../annotations/judges-and-people.ts';

// The PDF's "Judges and people" section, printed by Chromium and read back with poppler.
const root = tempDir('labbook-report-judges-');
let fixture: JudgeFixture;
beforeAll(async () => {
  fixture = await makeJudgeFixture(root);
});
const items = Array.from({ length: TRACES }, (_, k) => judged(k + 1));
const r = pearson(
  items.map((j) => j.gpt),
  items.map((j) => (j.people[0]! + j.people[1]!) / 2),
);

describe('report: judges and people', () => {
  it('the view model: a row per judge with its run letter, nothing at all without annotations', () => {
    expect(reportJudgesView(undefined, ['A', 'B'])).toEqual({ show: false, rows: [], notes: [] });
    expect(reportJudgesView([{ run: 'x', ...NOTHING_JUDGED }], ['A']).show).toBe(false);
    const noOverlap = reportJudgesView([{ run: 'x', ...NOTHING_JUDGED, state: 'no-overlap', annotatedNames: ['verdict'] }], ['A']);
    expect(noOverlap.show).toBe(true);
    expect(noOverlap.notes[0]).toMatch(/^A: No overlap: people annotated verdict/);
  });

  it('escapes a judge named like markup in the HTML', async () => {
    const view = await buildReport({
      dataDir: fixture.dataDir,
      runIds: [fixture.judgedRun, fixture.otherRun],
      now: new Date('2026-02-01T00:00:00Z'),
    });
    expect(view.judges.rows.map((row) => `${row.run} ${row.name} ${row.judge}`)).toEqual([
      `A helpful ${MARKUP_JUDGE}`,
      'A helpful length',
      'A tone llm_judge',
    ]);
    const html = renderReportHtml(view);
    expect(html).toContain('gpt &lt;b&gt;judge&lt;/b&gt;');
    expect(html).not.toContain(MARKUP_JUDGE);
    // The contents line leads to the section (the HTML report is read on screen).
    expect(html).toContain('<a href="#judges">Judges and people</a>');
    expect(html).toMatch(/<section id="judges">\s*<h2>Judges and people<\/h2>/);
  });

  it('prints the section into the PDF with the agreement, its interval and the no-overlap run', async () => {
    const file = join(root, 'judges.pdf');
    let err = '';
    const code = await main(['report', '--data', fixture.dataDir, '--runs', `${fixture.judgedRun},${fixture.otherRun}`, '-o', file], {
      stdout: () => {},
      stderr: (t) => (err += t),
      cwd: root,
      env: process.env,
    });
    expect(code, err).toBe(0);
    // Narrow cells wrap inside an interval; read the words in order.
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Judges and people');
    expect(text).toContain(`r ${r.r!.toFixed(2)} [${r.low!.toFixed(2)}, ${r.high!.toFixed(2)}]`);
    expect(text).toContain(MARKUP_JUDGE);
    expect(text).toMatch(/B: No overlap: people annotated verdict/);
    expect(text).toMatch(/2 judges are worth about \d\.\d\d independent ones/);
  }, 60_000);
});
