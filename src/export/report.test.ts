import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_SOURCE, writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { main } from '../cli/main.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { renderReportHtml } from './render-report.ts';
import { buildReport } from './report.ts';

// Reads PDFs back with poppler and prints them with the Chromium that the report uses.
const root = tempDir('labbook-report-');
const dataDir = join(root, 'experiments');
const runs: FixtureRun[] = [];

beforeAll(async () => {
  runs.push(await writeRun(root, dataDir, { variant: 0, traces: 20, name: 'baseline <b>bold</b>' }));
  runs.push(await writeRun(root, dataDir, { variant: 1, traces: 20, source: CI_SOURCE }));
  runs.push(await writeRun(root, dataDir, { variant: 2, traces: 20 }));
  runs.push(await writeRun(root, dataDir, { variant: 3, traces: 20 }));
  runs.push(await writeRun(root, dataDir, { variant: 4, traces: 20 }));
  mkdirSync(join(dataDir, 'demo', 'annotations'), { recursive: true });
  const at = '2026-02-01T10:00:00Z';
  const yaml = (entries: Array<{ run: string; trace: string; name: string; value: string | number; author: string }>) =>
    entries
      .map(
        (e) =>
          `- run: ${e.run}\n  trace: ${e.trace}\n  name: ${e.name}\n  value: ${typeof e.value === 'string' ? JSON.stringify(e.value) : e.value}\n  author: ${e.author}\n  at: ${at}\n`,
      )
      .join('');
  writeFileSync(
    join(dataDir, 'demo', 'annotations', 'ada.yaml'),
    yaml([
      { run: runs[0]!.id, trace: 't1', name: 'verdict', value: 'approved', author: 'ada' },
      { run: runs[0]!.id, trace: 't2', name: 'verdict', value: 'hallucination', author: 'ada' },
      { run: runs[1]!.id, trace: 't1', name: 'verdict', value: 'approved', author: 'ada' },
      { run: runs[1]!.id, trace: 't1', name: 'reviewer_score', value: 0.25, author: 'ada' },
      { run: runs[1]!.id, trace: 't2', name: 'reviewer_score', value: 0.75, author: 'ada' },
    ]),
  );
  // A second reviewer on the same traces, so the report has agreement to measure.
  writeFileSync(
    join(dataDir, 'demo', 'annotations', 'grace.yaml'),
    yaml([
      { run: runs[0]!.id, trace: 't1', name: 'verdict', value: 'approved', author: 'grace' },
      { run: runs[0]!.id, trace: 't2', name: 'verdict', value: 'approved', author: 'grace' },
      { run: runs[1]!.id, trace: 't1', name: 'verdict', value: 'approved', author: 'grace' },
      { run: runs[1]!.id, trace: 't1', name: 'reviewer_score', value: 0.5, author: 'grace' },
      { run: runs[1]!.id, trace: 't2', name: 'reviewer_score', value: 0.75, author: 'grace' },
    ]),
  );
});

async function report(...args: string[]) {
  let err = '';
  const code = await main(['report', '--data', dataDir, ...args], {
    stdout: () => {},
    stderr: (t) => (err += `${t}\n`),
    cwd: root,
    env: process.env,
  });
  return { code, err };
}

function pdfInfo(file: string): { pages: number; width: number; height: number } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), width: Math.round(Number(size[1])), height: Math.round(Number(size[2])) };
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
// Content-stream order: a table cell's lines stay together even when a neighbouring cell wraps
// (the layout mode interleaves a wrapped run id with the provenance line beside it).
const pdfRawText = (file: string) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('labbook report', () => {
  it('prints a 2-run A4 report that reads back with the right runs, numbers, verdicts and page numbers', async () => {
    const file = join(root, 'two.pdf');
    const { code, err } = await report('--runs', `${runs[0]!.id},${runs[1]!.id}`, '-o', file);
    expect(err).toMatch(/wrote .*two\.pdf/);
    expect(code).toBe(0);
    const info = pdfInfo(file);
    expect([info.width, info.height]).toEqual([596, 843]); // A4 in points
    expect(info.pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(file);
    const flat = text.replace(/\s+/g, ' ');
    // Provenance: both ids, the CI job and its URL, commits, configs.
    expect(text).toContain('baseline <b>bold</b>');
    expect(pdfRawText(file).replace(/\s+/g, ' ')).toContain('CI: acme/agent · eval run 4242 (attempt 1) · job evaluate · push by octocat');
    expect(text).toContain('https://github.com/acme/agent/actions/runs/4242');
    expect(text).toContain('abc1def00000 on main');
    expect(flat).toMatch(/config-1 \(config-1\.yaml\) sha256:[0-9a-f]{16}/);
    // The config diff.
    expect(flat).toMatch(/model changed small-model large-model/);
    expect(flat).toMatch(/params\.top_k changed 3 4/);
    // Pass rates 15/20 and 18/20 with their Wilson intervals, and the latency verdict.
    const [lo0, hi0] = wilsonInterval(15, 20)!;
    const [lo1, hi1] = wilsonInterval(18, 20)!;
    const correct = text.split('\n').findIndex((l) => l.includes('correct (primary)'));
    const block = text
      .split('\n')
      .slice(correct, correct + 4)
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(block).toContain(`20 ${pct(0.75)} ${pct(0.9)} +15.0 pp`);
    expect(block).toContain(`[${pct(lo0)}, ${pct(hi0)}] [${pct(lo1)}, ${pct(hi1)}]`);
    const latency = text.split('\n').findIndex((l) => /^\s*latency \(ms\)/.test(l));
    expect(
      text
        .split('\n')
        .slice(latency, latency + 4)
        .join(' '),
    ).toMatch(/\+10[\s\S]*worse/);
    // Examples: A fails 4, 8, 12, 16, 20; B fails 10, 20.
    expect(flat).toContain('Regressed most: B against A (1 of 1 shown)');
    expect(flat).toContain('ex10 correct pass → fail');
    expect(flat).toContain('Improved most: B against A (4 of 4 shown)');
    const improved = flat.slice(flat.indexOf('Improved most'));
    expect(improved.indexOf('ex12 ')).toBeGreaterThan(0);
    expect(improved.indexOf('ex12 ')).toBeLessThan(improved.indexOf('ex16 '));
    expect(improved.indexOf('ex16 ')).toBeLessThan(improved.indexOf('ex4 '));
    expect(improved.indexOf('ex4 ')).toBeLessThan(improved.indexOf('ex8 '));
    expect(flat).toContain('A output The answer is 20'); // ex10's right answer in run A
    expect(flat).toContain('B output The answer is 21'); // and its wrong one in run B
    // Annotations: counts per run.
    expect(flat).toContain('10 annotations by ada, grace.');
    const raw = pdfRawText(file).replace(/\s+/g, ' ');
    // Per trace first, as compare counts: run B's t1 has 0.25 and 0.5 (0.375); run A's t2 is a
    // tie between approved and hallucination, which goes to the label that sorts first.
    expect(raw).toMatch(/reviewer_score \(metric\) – mean 0\.563 \(0\.375– ?0\.75\) n=2 \(4 judgements\)/);
    expect(raw).toMatch(/verdict \(label\) approved 2 n=2 \(4 judgements\) approved 1 n=1 \(2 judgements\)/);
    expect(raw).toContain('the judgements of one trace count once');
    // Agreement between the two reviewers, over both runs, worked by hand:
    // reviewer_score (0.25, 0.5) and (0.75, 0.75): D_o = 0.125/4, D_e = 1.375/12, α = 1 − 3/11;
    // verdict: ada approved/hallucination/approved, grace approved ×3: κ = 0 and α = 0.
    expect(raw).toContain("Krippendorff's α = 0.727 (tentative); spread: mean range 0.125, largest 0.25 over 2 traces judged by 2 people");
    expect(raw).toContain("Cohen's κ = 0 (slight), Krippendorff's α = 0 (unreliable) over 3 traces judged by 2 people");
    // Charts rendered as vector text.
    expect(flat).toContain('Mean of each metric by run');
    expect(flat).toContain('Total tokens by span type');
    // Page numbers on every page.
    for (let page = 1; page <= info.pages; page++) expect(flat).toContain(`page ${page} of ${info.pages}`);
  });

  it('prints a 4-run report on Letter paper', async () => {
    const file = join(root, 'four.pdf');
    const { code } = await report(
      '--runs',
      runs
        .slice(0, 4)
        .map((r) => r.id)
        .join(','),
      '-o',
      file,
      '--paper',
      'letter',
    );
    expect(code).toBe(0);
    const info = pdfInfo(file);
    expect([info.width, info.height]).toEqual([612, 792]);
    const flat = pdfText(file).replace(/\s+/g, ' ');
    expect(flat).toMatch(/B\s*−\s*A\s+C\s*−\s*A\s+D\s*−\s*A/);
    for (const r of runs.slice(0, 4)) expect(flat.replace(/ /g, '')).toContain(r.id);
    expect(flat).toContain(`page ${info.pages} of ${info.pages}`);
  });

  it('refuses 1 or 5 runs and a bad paper size, writing nothing', async () => {
    const file = join(root, 'refused.pdf');
    expect(await report('--runs', runs[0]!.id, '-o', file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('a report compares 2 to 4 runs (labbook report <run-a> <run-b> -o report.pdf), got 1'),
    });
    expect(await report('--runs', runs.map((r) => r.id).join(','), '-o', file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('got 5'),
    });
    expect(await report('--runs', `${runs[0]!.id},${runs[1]!.id}`, '-o', file, '--paper', 'a3')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--paper must be a4 or letter'),
    });
    await expect(buildReport({ dataDir, runIds: runs.map((r) => r.id) })).rejects.toThrow(/compares 2 to 4 runs, got 5/);
    expect(existsSync(file)).toBe(false);
  });

  it('leaves an existing file untouched and no temporary file when Chromium cannot start', async () => {
    const file = join(root, 'kept.pdf');
    writeFileSync(file, 'old report');
    let err = '';
    const code = await main(['report', '--data', dataDir, '--runs', `${runs[0]!.id},${runs[1]!.id}`, '-o', file], {
      stdout: () => {},
      stderr: (t) => (err += t),
      cwd: root,
      env: { ...process.env, LABBOOK_CHROMIUM: join(root, 'no-such-chromium') },
    });
    expect(code).toBe(1);
    expect(err).toMatch(/cannot start Chromium at .*no-such-chromium/);
    expect(readFileSync(file, 'utf8')).toBe('old report');
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('escapes every value from the data and inlines only the SVG vega drew', async () => {
    const view = await buildReport({ dataDir, runIds: [runs[0]!.id, runs[1]!.id], now: new Date('2026-03-01T12:00:00Z') });
    expect(view.generatedAt).toBe('2026-03-01 12:00 UTC');
    const html = renderReportHtml(view);
    expect(html).toContain('baseline &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<b>bold</b>');
    expect((html.match(/<svg /g) ?? []).length).toBe(view.charts.length);
    expect(html).not.toMatch(/<script/i);
  });
});
