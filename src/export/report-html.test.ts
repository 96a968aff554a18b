import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_SOURCE, writeRun, type FixtureRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { main } from '../cli/main.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { formatBytes } from '../text/format-bytes.ts';
import { evidenceSummary } from '../compare/evidence-summary.ts';
import { ensureExperiment } from '../store/run-writer.ts';
import { loadCompareInput } from '../compare/load-compare-input.ts';
import { formatDelta, formatInterval, formatP, formatValue } from './report-format.ts';
import { metricLabel } from '../compare/metric-words.ts';

/**
 * `labbook report --format html` read back as text: the sections a reader expects, the numbers
 * the compare engine computed (each metric's means, intervals, differences and adjusted p), and
 * nothing that could load or run. The same file in Chromium: test/report/html-report-browser.test.ts.
 */
const root = tempDir('labbook-report-html-');
const dataDir = join(root, 'experiments');
const runs: FixtureRun[] = [];

beforeAll(async () => {
  runs.push(await writeRun(root, dataDir, { variant: 0, traces: 20 }));
  runs.push(await writeRun(root, dataDir, { variant: 1, traces: 20, source: CI_SOURCE }));
  runs.push(await writeRun(root, dataDir, { variant: 2, traces: 20 }));
  runs.push(await writeRun(root, dataDir, { variant: 3, traces: 20 }));
  runs.push(await writeRun(root, dataDir, { variant: 4, traces: 20 }));
});

async function report(...args: string[]) {
  let err = '';
  const code = await main(['report', '--data', dataDir, ...args], {
    stdout: () => {},
    stderr: (t) => (err += `${t}\n`),
    cwd: root,
    // The HTML report never starts Chromium: a missing one must not matter.
    env: { ...process.env, LABBOOK_CHROMIUM: join(root, 'no-chromium-here') },
  });
  return { code, err };
}

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The text of each cell of the metrics table's row for `metric`. */
function metricCells(html: string, metric: string): string[] {
  const table = html.slice(html.indexOf('<table class="metrics">'), html.indexOf('</table>', html.indexOf('<table class="metrics">')));
  const row = table.split('<tr>').find((r) => r.includes(`<td class="metric-name">${metric}`));
  if (!row) throw new Error(`no row for ${metric}`);
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]!));
}

describe('labbook report --format html', () => {
  it("writes a 3-run comparison whose numbers are the compare engine's, with every section, and nothing that loads or runs", async () => {
    const ids = runs.slice(0, 3).map((r) => r.id);
    const file = join(root, 'out', 'three.html');
    const { code, err } = await report('--runs', ids.join(','), '-o', file);
    expect(code).toBe(0);
    // Its size in the units every other command prints (formatBytes: KiB), not "KB" of 1024 bytes.
    expect(err).toContain(`wrote ${file} (${formatBytes(statSync(file).size)}): demo: A config-0 vs B config-1 vs C config-2`);
    const html = readFileSync(file, 'utf8');

    // Self-contained: the strict policy, and no script, stylesheet link, frame, image source,
    // CSS url() or import; every link is to a section of this page.
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|@import|url\(|\ssrc=/i);
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) {
      expect(href).toMatch(/^#[a-z]+$/);
      expect(html).toContain(`id="${href.slice(1)}"`);
    }
    // Screen styles: a phone's viewport, light and dark.
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('@media screen and (prefers-color-scheme: dark)');

    for (const section of ['runs', 'config', 'metrics', 'charts', 'examples', 'annotations', 'alignment'])
      expect(new RegExp(`<section[^>]* id="${section}"`).test(html), section).toBe(true);
    const all = text(html);
    for (const id of ids) expect(all).toContain(id);
    expect(all).toContain('CI: acme/agent · eval run 4242 (attempt 1) · job evaluate · push by octocat');
    // The config diff of B and C against A.
    expect(all).toMatch(/B against A Key Change A B model changed small-model large-model params\.top_k changed 3 4/);
    expect(all).toMatch(/C against A Key Change A C model changed small-model large-model params\.top_k changed 3 5/);
    // Three charts, as vector marks.
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect(all).toContain('Mean of each metric by run, with 95% confidence intervals');

    // Every metric's cells hold the engine's numbers: n, each run's mean and CI, each
    // difference with its CI, verdict and Holm-adjusted p.
    const input = await loadCompareInput(dataDir, ids);
    const comparison = compareRuns(input);
    expect(comparison.metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['correct', 'quality', 'latencyMs']));
    for (const m of comparison.metrics.filter((m) => m.kind !== 'label')) {
      const cells = metricCells(html, metricLabel(m));
      expect(cells[1], m.name).toBe(String(m.n));
      m.runs.forEach((r, i) =>
        expect(cells[2 + i], `${m.name} run ${i}`).toContain(`${formatValue(r.mean, m.kind)} ${formatInterval(r.ci, m.kind)}`.trim()),
      );
      m.deltas.forEach((d, i) => {
        const cell = cells[2 + m.runs.length + i]!;
        expect(cell, `${m.name} delta ${i}`).toContain(`${formatDelta(d.delta, m.kind)} ${formatInterval(d.ci, m.kind, true)}`);
        expect(cell).toContain(`p adj. ${formatP(d.pAdjusted)}`);
      });
    }
    // Spot checks that do not go through the formatter: 15/20 and 18/20 pass, latency +10 ms worse.
    expect(
      metricCells(html, 'correct')
        .slice(2, 5)
        .map((c) => c.split(' ')[0]),
    ).toEqual(['75.0%', '90.0%', '90.0%']);
    expect(metricCells(html, 'latency (ms)')[5]).toMatch(/^\+10 \[\+10, \+10\] worse/);

    // The examples that moved most, by the primary metric: B fails ex10 that A passed.
    expect(all).toContain('Regressed most: B against A (1 of 1 shown)');
    expect(all).toContain('ex10 correct pass → fail');
    expect(all).toContain('Improved most: C against A');
  });

  it('takes .htm and --format html, and a 4-run comparison', async () => {
    const file = join(root, 'four.htm');
    const { code } = await report(
      '--runs',
      runs
        .slice(0, 4)
        .map((r) => r.id)
        .join(','),
      '-o',
      file,
      '--format',
      'html',
    );
    expect(code).toBe(0);
    const all = text(readFileSync(file, 'utf8'));
    expect(all).toMatch(/B − A C − A D − A/);
  });

  it('takes the runs as arguments, as labbook compare does, by id, name or folder', async () => {
    const file = join(root, 'positional.html');
    const [a, b] = runs;
    // The folder as `labbook run` prints it; `demo/…` as an ambiguous reference lists it.
    const { code, err } = await report(`${a!.dir}/`, `demo/${b!.id.slice(-6)}`, '-o', file);
    expect(code, err).toBe(0);
    const all = text(readFileSync(file, 'utf8'));
    expect(all).toContain(a!.id);
    expect(all).toContain(b!.id);
    const both = await report(a!.id, '--runs', `${a!.id},${b!.id}`, '-o', file);
    expect(both.code).toBe(2);
    expect(both.err).toContain('give the runs either as arguments or as --runs, not both');
  });

  it("shows the non-inferiority gate with each metric's answer and reason, as the compare engine decided them", async () => {
    // Another data folder whose experiment.yaml gives margins: a small one on the pass rate,
    // a wide one on quality.
    const gated = join(root, 'gated');
    const gatedData = join(gated, 'experiments');
    await ensureExperiment(gatedData, 'demo', {
      metrics: [
        { name: 'correct', direction: 'higher', kind: 'boolean', margin: 0.02 },
        { name: 'quality', direction: 'higher', kind: 'number', margin: 0.5 },
      ],
      primaryMetric: 'correct',
    });
    const ids = [
      (await writeRun(gated, gatedData, { variant: 1, traces: 20 })).id,
      (await writeRun(gated, gatedData, { variant: 0, traces: 20 })).id,
    ];
    const file = join(gated, 'gated.html');
    let err = '';
    expect(
      await main(['report', '--data', gatedData, '--runs', ids.join(','), '-o', file], {
        stdout: () => {},
        stderr: (t) => (err += t),
        cwd: gated,
        env: process.env,
      }),
      err,
    ).toBe(0);
    const html = readFileSync(file, 'utf8');
    const summary = evidenceSummary(compareRuns(await loadCompareInput(gatedData, ids)));
    expect(summary.gates.map((g) => g.metric)).toEqual(['correct', 'quality']);
    expect(html).toContain('<a href="#evidence">Gate and plan</a>');
    // (Tags become spaces in `text`: "<strong>pass</strong>: …" reads "pass : …".)
    const section = text(
      html.slice(html.indexOf('<section class="evidence" id="evidence">'), html.indexOf('</section>', html.indexOf('id="evidence"'))),
    ).replace(/ :/g, ':');
    expect(section).toContain(`Non-inferiority gate: ${summary.gate}`);
    for (const g of summary.gates) expect(section).toContain(`${g.decision}: ${g.metric}, B against A: margin ${g.margin}. ${g.reason}`);
  });

  it('refuses wrong input with one clear line and writes nothing, keeping an existing file', async () => {
    const file = join(root, 'refused', 'report.html');
    mkdirSync(join(root, 'refused'), { recursive: true });
    const two = `${runs[0]!.id},${runs[1]!.id}`;
    const usage = [
      [['--runs', runs[0]!.id, '-o', file], 'a report compares 2 to 4 runs (labbook report <run-a> <run-b> -o report.pdf), got 1'],
      [
        ['--runs', runs.map((r) => r.id).join(','), '-o', file],
        'a report compares 2 to 4 runs (labbook report <run-a> <run-b> -o report.pdf), got 5',
      ],
      [['--runs', two, '-o', file, '--format', 'docx'], '--format must be pdf or html, not "docx"'],
      [['--runs', two, '-o', file, '--format', 'pdf'], `--format pdf does not match -o ${file} (an HTML file name)`],
      [['--runs', two, '-o', join(root, 'refused', 'report.txt')], "the report's file name must end in .pdf, .html or .htm, not .txt"],
      [['--runs', two, '-o', file, '--paper', 'letter'], '--paper applies to PDF reports only'],
      [['--runs', two], '-o <report.pdf|report.html> is required'],
    ] as const;
    for (const [args, message] of usage) {
      const { code, err } = await report(...args);
      expect(err, args.join(' ')).toContain(message);
      expect(err.split('\n')[0]).toMatch(/^labbook report: /);
      expect(code, args.join(' ')).toBe(2);
    }
    expect(readdirSync(join(root, 'refused'))).toEqual([]);

    // An unknown run: the existing report stays as it was, and no temporary file is left.
    writeFileSync(file, 'old report');
    const unknown = await report('--runs', `${runs[0]!.id},no-such-run`, '-o', file);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^labbook report: .*no-such-run/);
    expect(readFileSync(file, 'utf8')).toBe('old report');
    expect(readdirSync(join(root, 'refused'))).toEqual(['report.html']);

    // Unwritable places: a folder named like the report, and a path through a file.
    mkdirSync(join(root, 'refused', 'folder.html'));
    const folder = await report('--runs', two, '-o', join(root, 'refused', 'folder.html'));
    expect(folder).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^labbook report: cannot write the report to .*folder\.html: it is a folder/),
    });
    const through = await report('--runs', two, '-o', join(file, 'inside.html'));
    expect(through).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /^labbook report: cannot write the report to .*inside\.html: a part of .*report\.html is a file, not a folder/,
      ),
    });
    expect(readdirSync(join(root, 'refused')).sort()).toEqual(['folder.html', 'report.html']);
    expect(readdirSync(join(root, 'refused', 'folder.html'))).toEqual([]);
    expect(existsSync(join(root, 'refused', 'report.txt'))).toBe(false);
  });
});
