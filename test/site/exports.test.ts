import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS } from './fixtures/make-fixture.ts';
import { type FixtureSite, fixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

type Row = Record<string, string>;

function parse(text: string): { fields: string[]; rows: Row[] } {
  const result = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return { fields: result.meta.fields ?? [], rows: result.data };
}

/** No cell may start like a formula unless it is a number (numbers are written as numbers, OWASP-style). */
function formulaCells(rows: Row[]): string[] {
  return rows.flatMap((row) => Object.values(row)).filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e-?\d+)?$/.test(cell));
}

describe('CSV downloads and the PDF report', () => {
  let site: FixtureSite;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let root: string;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    seen = watchPage(page, site.url);
    root = await mkdtemp(join(tmpdir(), 'labbook-site-exports-'));
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
    await rm(root, { recursive: true, force: true });
  });

  async function fetchLinked(selector: string): Promise<string> {
    const href = (await page.locator(selector).getAttribute('href'))!;
    expect(await page.locator(selector).getAttribute('download')).not.toBeNull();
    const response = await page.request.get(new URL(href, page.url()).toString());
    expect(response.status()).toBe(200);
    return response.text();
  }

  it("offers each experiment's runs and each run's traces as static CSV files that parse", async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.qa}/`);
    const runs = parse(await fetchLinked('#download-runs-csv'));
    expect(runs.rows.map((r) => r.run_id).sort()).toEqual([info.runs.baseline, info.runs.candidate].sort());
    expect(runs.fields).toEqual(expect.arrayContaining(['run_id', 'commit', 'workflow_run_url']));

    await page.goto(`${site.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/`);
    const traces = parse(await fetchLinked('#download-traces-csv'));
    expect(traces.rows).toHaveLength(info.tracesPerRun);
    // Scores and the people's annotations, each a column (the verdict label is both).
    expect(traces.fields).toEqual(
      expect.arrayContaining([
        'trace_id',
        'input',
        'output',
        'score.correct',
        'score.verdict',
        'annotation.verdict',
        'annotation.reviewer_score',
      ]),
    );
    const disputed = traces.rows.find((r) => r.trace_id === info.disputedTraces[0])!;
    // Two judges, a tie between labels: the one that sorts first, as the compare engine reduces it.
    expect(disputed['annotation.verdict']).toBe('hallucination');
    expect(Number(disputed['annotation.reviewer_score'])).toBeCloseTo(0.65);

    await page.goto(`${site.url}experiments/${info.experiments.xss}/runs/${info.runs.xss}/`);
    const hostile = parse(await fetchLinked('#download-traces-csv'));
    expect(hostile.rows.find((r) => r.trace_id === 'xss-8-x')!.input).toBe(`'${XSS.formula}`);
    expect(formulaCells(hostile.rows)).toEqual([]);
    expect(formulaCells(traces.rows)).toEqual([]);
  });

  it('makes the comparison CSV in the browser: a row per example, a column group per run, deltas, annotations; formulas neutralised', async () => {
    const { info } = site;
    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#cmp-download-csv').click()]);
    expect(download.suggestedFilename()).toBe(`compare-${info.runs.baseline}-vs-${info.runs.candidate}.csv`);
    const csv = parse(await readFile((await download.path())!, 'utf8'));
    expect(csv.rows).toHaveLength(info.tracesPerRun);
    const [a, b] = [info.runs.baseline, info.runs.candidate];
    expect(csv.fields).toEqual(
      expect.arrayContaining([
        'example_id',
        'in_all_runs',
        'winner',
        `${a}.output`,
        `${b}.score.f1`,
        `${b}.annotation.verdict`,
        `delta.${b}.f1`,
        `delta.${b}.annotation.reviewer_score`,
        `delta.${b}.latency_ms`,
      ]),
    );
    const first = csv.rows.find((r) => r.example_id === 'ex-001')!;
    expect(first[`${a}.output`]).toBe('I think it is 3, roughly.');
    expect(first.input).toBe('Who wrote the Odyssey?');
    expect(Number(first[`delta.${b}.f1`])).toBeCloseTo(Number(first[`${b}.score.f1`]) - Number(first[`${a}.score.f1`]));
    expect(Number(first[`delta.${b}.latency_ms`])).toBe(-100);

    await page.goto(`${site.url}compare/?runs=${info.runs.xss},${info.runs.baseline}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    const [hostile] = await Promise.all([page.waitForEvent('download'), page.locator('#cmp-download-csv').click()]);
    const rows = parse(await readFile((await hostile.path())!, 'utf8')).rows;
    expect(rows.find((r) => r.example_id === 'xss-ex-8')!.input).toBe(`'${XSS.formula}`);
    expect(formulaCells(rows)).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('prints a PDF report in the layout of labbook report: runs, config diff, metrics with verdicts, charts, examples, annotations', async () => {
    const { info } = site;
    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    await page.evaluate(() => {
      window.print = () => ((window as { printed?: boolean }).printed = true);
    });
    await page.locator('#cmp-pdf-report').click();
    await page.waitForFunction(() => (window as { printed?: boolean }).printed === true);
    // On screen the report stays hidden; it is what prints.
    expect(await page.locator('#cmp-report').isVisible()).toBe(false);
    const pdf = join(root, 'report.pdf');
    await writeFile(pdf, await page.pdf({ format: 'A4' }));
    const run = promisify(execFile);
    const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [pdf])).stdout)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout.replace(/[ \t]+/g, ' ');
    for (const expected of [
      'LABBOOK COMPARISON REPORT · EXPERIMENT QA-AGENT',
      'qa-agent: A baseline vs B candidate',
      'Runs',
      'CI: acme/agent · evaluate run 123456789 (attempt 1) · job eval',
      'What changed in the config',
      'params.temperature',
      'Metrics side by side',
      'verdict (annotation)',
      'Examples that moved most',
      'Regressed most: B against A',
      'Annotations',
      '20 annotations by Ada Lovelace, Grace Hopper.',
      // Each run's llm_judge verdict beside the people's (test/site/judges.test.ts has the numbers).
      'Judges and people',
      'B: Automated scores set beside',
      'Alignment and warnings',
      `page 1 of ${pages}`,
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).toMatch(/f1 24 0\.519 0\.749 \+0\.23/);
    expect(text).toMatch(/B verdict \(label\) llm_judge 2 κ -1\.00/);
    // Nothing of the interactive page prints: no toolbar, no traces table.
    expect(text).not.toContain('Download CSV');
    expect(text).not.toContain('judged on');
  });
});
