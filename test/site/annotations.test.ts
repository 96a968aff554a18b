import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnnotations } from '../../src/annotations/check-annotations.ts';
import { type RunningServer, startStaticServer } from '../../site/build/static-server.ts';
import { parseYaml } from '../../src/store/yaml.ts';
import { BASE, DATA_BRANCH, type FixtureSite, fixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** The values of a traces-table column, by its header text, for the rows on screen. */
function column(page: Page, header: string) {
  return page.evaluate((name) => {
    const headers = [...document.querySelectorAll('#traces-table thead th')].map((th) => th.textContent);
    const index = headers.indexOf(name);
    if (index < 0) throw new Error(`no column "${name}" in ${headers.join(', ')}`);
    return Object.fromEntries(
      [...document.querySelectorAll('#traces-table tr.row')].map((tr) => [
        (tr as HTMLTableRowElement).cells[1]!.textContent,
        (tr as HTMLTableRowElement).cells[index]!.textContent,
      ]),
    );
  }, header);
}

describe('annotations on the site', () => {
  let site: FixtureSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let root: string;
  /** The file the form proposed, as GitHub would commit it. */
  let proposed: { folder: string; fileName: string; text: string } | null = null;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    page = await context.newPage();
    seen = watchPage(page, site.url);
    root = await mkdtemp(join(tmpdir(), 'labbook-site-annotate-'));
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
    await rm(root, { recursive: true, force: true });
  });

  const runPage = (run: string) => `${site.url}experiments/${site.info.experiments.qa}/runs/${run}/`;

  it('shows annotations as columns of their own beside the scores, filters by label and to disagreements', async () => {
    const { info } = site;
    await page.goto(`${runPage(info.runs.candidate)}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    // The judge's `verdict` score and the people's `verdict` label are two columns.
    const verdicts = await column(page, 'verdict (annotation)');
    expect(await column(page, 'verdict')).not.toEqual(verdicts);
    expect(verdicts['candidate-t000']).toBe('approved');
    expect(verdicts['candidate-t002']).toBe('needs review');
    expect(verdicts['candidate-t005']).toBe('—');
    expect((await column(page, 'reviewer_score (annotation)'))['candidate-t000']).toBe('0.975');
    expect(await page.locator('#traces-table th.col-annotation').count()).toBe(2);

    await page.locator('#filter-column').selectOption('annotation:verdict');
    await page.locator('#filter-op').selectOption('=');
    await page.locator('#filter-value').selectOption('needs review');
    await page.locator('#filter-add').click();
    expect(Object.keys(await column(page, 'verdict (annotation)'))).toEqual(['candidate-t002']);
    await expect(page.locator('#trace-filters button').textContent()).resolves.toContain('verdict (annotation) = needs review');
    await page.locator('#trace-filters button').click();

    await page.locator('#trace-disagree').check();
    await expect(page.locator('#trace-count').textContent()).resolves.toBe('1 of 24 traces');
    expect(Object.keys(await column(page, 'verdict (annotation)'))).toEqual(['candidate-t001']);
    expect(new URL(page.url()).searchParams.get('disagree')).toBe('1');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === '1 of 24 traces');
    expect(seen.errors).toEqual([]);
  });

  it('shows each judgement of a trace with its author, time and note, and marks disagreement', async () => {
    const { info } = site;
    await page.goto(`${runPage(info.runs.baseline)}trace/?id=${info.disputedTraces[0]}`);
    const table = page.locator('#trace-annotations .annotations-table');
    await table.waitFor();
    const entries = await table
      .locator('tr.ann-entry')
      .evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(entries).toEqual([
      ['0.4', 'Ada Lovelace', '2026-01-18 10:00', ''],
      ['0.9', 'Grace Hopper', '2026-01-18 11:00', ''],
      ['needs review', 'Ada Lovelace', '2026-01-18 10:00', 'Cites the 2019 manual instead of the 2024 one.'],
      ['hallucination', 'Grace Hopper', '2026-01-18 11:00', 'The year is invented.'],
    ]);
    expect(await table.locator('tr.ann-name .badge', { hasText: 'annotators disagree' }).count()).toBe(2);
    await expect(table.locator('tr.ann-name[data-name="reviewer_score"]').textContent()).resolves.toContain('mean 0.65 of 2 (0.4 – 0.9)');
  });

  it('summarises annotations per run with their agreement, on the run page and the compare page', async () => {
    const { info } = site;
    await page.goto(runPage(info.runs.candidate));
    const summary = page.locator('#annotation-summary');
    await expect(summary.locator('tr[data-name="verdict"]').textContent()).resolves.toMatch(
      /approved 2 · needs review 1.*Cohen's κ = 0 \(slight\), Krippendorff's α = 0 \(unreliable\) over 2 traces judged by 2 people/,
    );
    await expect(summary.locator('tr[data-name="reviewer_score"]').textContent()).resolves.toContain(
      'spread: mean range 0.075, largest 0.1 over 2 traces judged by 2 people',
    );
    await page.locator('#annotations a', { hasText: '1 trace' }).click();
    await page.waitForFunction(() => document.querySelector('#trace-count')?.textContent === '1 of 24 traces');

    await page.goto(`${site.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
    await page.waitForFunction(() => document.body.dataset.compareReady === 'charts');
    // Compared by the engine like any score, marked as annotations.
    for (const name of ['reviewer_score', 'verdict (annotation)']) {
      await expect(page.locator(`#compare-metrics tr[data-metric="${name}"] .badge.ann`).textContent()).resolves.toBe('annotation');
    }
    await expect(page.locator('#compare-metrics tr[data-metric="verdict (annotation)"]').textContent()).resolves.toContain(
      'hallucination 2 · approved 1',
    );
    const rows = await page
      .locator('#compare-annotations tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(rows).toEqual([
      [
        'reviewer_score metric',
        'mean 0.533 (0.1 – 0.85) n=3',
        'mean 0.775 (0.6 – 0.975) n=3',
        // Ada and Grace on 4 shared traces: (0.9, 0.8) (0.4, 0.9) (0.95, 1) (0.8, 0.7): D_o = 0.545/8,
        // D_e = 2·0.2522/7 (the 8 scores about their mean 0.806), α = 1 − 0.0681/0.0721.
        "Krippendorff's α = 0.055 (unreliable); spread: mean range 0.188, largest 0.5 over 4 traces judged by 2 people",
        '1',
      ],
      [
        'verdict label',
        'hallucination 2 · approved 1 (1 tied) n=3',
        'approved 2 · needs review 1 (1 tied) n=3',
        // 8 labels (5 approved, 2 needs review, 1 hallucination), two units split: D_o = 4/8,
        // D_e = (64 − 25 − 4 − 1)/56; α = 1 − 0.5 · 56/34.
        "Cohen's κ = 0.111 (slight), Krippendorff's α = 0.176 (unreliable) over 4 traces judged by 2 people",
        '2',
      ],
    ]);
    await page.locator('#cmp-filter').selectOption('disagreements');
    await expect(page.locator('.count').textContent()).resolves.toBe('1 of 24 examples');
    await page.locator('tr.row').first().click();
    await expect(page.locator('#cmp-detail .ann-list').first().textContent()).resolves.toContain('by Ada Lovelace');
    expect(seen.errors).toEqual([]);
  });

  it('offers only "copy YAML" and the labbook annotate command when the run names no repository (the traces table row action)', async () => {
    const { info } = site;
    await page.goto(`${runPage(info.runs.baseline)}#traces`);
    await page.locator('#traces-table tr.row').first().waitFor();
    await page.locator('button[data-annotate-row="4"]').click();
    const dialog = page.locator('#annotate-dialog[open]');
    await dialog.waitFor();
    await dialog.locator('#annotate-name').fill('reviewer_score');
    await dialog.locator('#annotate-value').fill('1.5');
    await dialog.locator('#annotate-author').fill('Ada Lovelace');
    await expect(dialog.locator('#annotate-issues').textContent()).resolves.toContain(
      '1.5 is outside the range of "reviewer_score" in [0, 1]',
    );
    expect(await dialog.locator('#annotate-copy-yaml').isDisabled()).toBe(true);
    await dialog.locator('#annotate-value').fill('0.25');
    await expect(dialog.locator('#annotate-issues').textContent()).resolves.toBe('');
    expect(await dialog.locator('#annotate-github').isVisible()).toBe(false);
    await expect(dialog.locator('#annotate-where').textContent()).resolves.toContain('does not know its repository');
    const yaml = (await dialog.locator('#annotate-yaml').textContent())!;
    expect(parseYaml(yaml, 'proposed.yaml')).toEqual([
      {
        run: info.runs.baseline,
        trace: 'baseline-t004',
        name: 'reviewer_score',
        value: 0.25,
        author: 'Ada Lovelace',
        at: expect.any(String),
      },
    ]);
    await expect(dialog.locator('#annotate-command').textContent()).resolves.toBe(
      `labbook annotate --run ${info.runs.baseline} --trace baseline-t004 --metric reviewer_score=0.25 --author 'Ada Lovelace'`,
    );
    await dialog.locator('#annotate-copy-yaml').click();
    await page.waitForFunction(() => document.querySelector('#annotate-copy-yaml')?.textContent === 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(yaml);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the row's button; `a` opens the form for the active row too.
    await page.locator('#traces-table .vt').focus();
    await page.keyboard.press('a');
    await expect(page.locator('#annotate-dialog[open] .annotate-form p').first().textContent()).resolves.toContain('baseline-t000');
    await page.keyboard.press('Escape');
  });

  it('holds a name the experiment’s annotations already use to its kind, as labbook annotations check does', async () => {
    const { info } = site;
    await page.goto(`${site.url}experiments/${info.experiments.xss}/runs/${info.runs.xss}/trace/?id=xss-1-x`);
    await page.locator('#annotate-open').click();
    const dialog = page.locator('#annotate-dialog[open]');
    const kindOf = async () => ({
      metric: await dialog.locator('#annotate-kind-metric').isChecked(),
      locked: await dialog.locator('#annotate-kind-metric').isDisabled(),
      hint: await dialog.locator('#annotate-kind-hint').textContent(),
    });
    // 'score' is a number in hostile.yaml, 'label x' a word; neither is declared in experiment.yaml.
    await dialog.locator('#annotate-name').fill('score');
    await expect(kindOf()).resolves.toEqual({ metric: true, locked: true, hint: " used as a metric by this experiment's annotations" });
    await dialog.locator('#annotate-name').fill('label x');
    await expect(kindOf()).resolves.toEqual({ metric: false, locked: true, hint: " used as a label by this experiment's annotations" });
    await dialog.locator('#annotate-name').fill('a new name');
    await expect(kindOf()).resolves.toEqual({ metric: false, locked: false, hint: '' });
    await page.keyboard.press('Escape');
    expect(seen.errors).toEqual([]);
  });

  it('builds a GitHub "new file" link on the data branch that decodes to a file passing labbook annotations check', async () => {
    const { info } = site;
    await page.goto(`${runPage(info.runs.candidate)}trace/?id=candidate-t005`);
    await page.locator('#annotate-open').click();
    const dialog = page.locator('#annotate-dialog[open]');
    await dialog.locator('#annotate-value').selectOption('hallucination');
    await dialog.locator('#annotate-note').fill('Says "42%" & <b>bold</b>: the source says 24%.\nSecond line.');
    await dialog.locator('#annotate-author').fill('Test Expert');
    const href = (await dialog.locator('#annotate-github').getAttribute('href'))!;
    expect(await dialog.locator('#annotate-github').getAttribute('target')).toBe('_blank');
    const url = new URL(href);
    expect(url.origin).toBe('https://github.com');
    // The CI run's repository, the --data-branch of the build, the data folder's annotations/.
    expect(url.pathname).toBe(`/acme/agent/new/${DATA_BRANCH}/experiments/${info.experiments.qa}/annotations`);
    const fileName = url.searchParams.get('filename')!;
    expect(fileName).toMatch(/^test-expert-\d{8}-\d{6}-[a-z2-9]{4}\.yaml$/);
    proposed = { folder: url.pathname.split(`/new/${DATA_BRANCH}/`)[1]!, fileName, text: url.searchParams.get('value')! };

    // As GitHub would commit it, into a copy of the fixture's data: the check accepts it.
    const data = join(root, 'experiments');
    await cp(site.info.dataDir, data, { recursive: true });
    const file = join(root, ...proposed.folder.split('/'), fileName);
    await writeFile(file, proposed.text);
    const report = await checkAnnotations([file], { dataDir: data, cwd: root });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, entries: 1 });
    expect(parseYaml(proposed.text, fileName)).toEqual([
      {
        run: info.runs.candidate,
        trace: 'candidate-t005',
        name: 'verdict',
        value: 'hallucination',
        author: 'Test Expert',
        at: expect.any(String),
        note: 'Says "42%" & <b>bold</b>: the source says 24%.\nSecond line.',
      },
    ]);
  });

  it('end to end: after the proposed file is merged and the site rebuilt, the annotation shows in the traces table, the trace view and the compare page', async () => {
    expect(proposed).not.toBeNull();
    const { info } = site;
    const out = join(root, 'site');
    await mkdir(out, { recursive: true });
    const build = await promisify(execFile)(
      process.execPath,
      [
        join(REPO, 'bin', 'labbook.js'),
        'site',
        'build',
        '--data',
        join(root, 'experiments'),
        '--out',
        out,
        '--base',
        BASE,
        '--data-branch',
        DATA_BRANCH,
        '--repository',
        'octo-org/lab',
      ],
      {
        cwd: REPO,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const log = build.stdout + build.stderr;
    // The bad file and the bad entry are skipped with warnings in the build log; nothing else is lost.
    expect(log).toMatch(/annotations: error: \S*qa-agent\/annotations\/broken\.yaml:\d+:\d+: invalid YAML.*\(left out\)/);
    expect(log).toMatch(
      /annotations: error: \S*qa-agent\/annotations\/grace-hopper\.yaml:\d+:\d+: value: "great" is not an allowed "verdict" label/,
    );
    let server: RunningServer | null = null;
    const page = await context.newPage();
    try {
      server = await startStaticServer({ root: out, base: BASE });
      const rebuilt = watchPage(page, server.url);
      await page.goto(`${server.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/#traces`);
      await page.locator('#traces-table tr.row').first().waitFor();
      const verdicts = await column(page, 'verdict (annotation)');
      expect(verdicts['candidate-t005']).toBe('hallucination');
      expect(verdicts['candidate-t000']).toBe('approved');

      await page.goto(`${server.url}experiments/${info.experiments.qa}/runs/${info.runs.candidate}/trace/?id=candidate-t005`);
      const entry = page.locator('#trace-annotations tr.ann-entry');
      await entry.first().waitFor();
      expect(await entry.count()).toBe(1);
      const cells = await entry.locator('td').allTextContents();
      expect(cells[0]).toBe('hallucination');
      expect(cells[1]).toBe('Test Expert');
      expect(cells[3]).toBe('Says "42%" & <b>bold</b>: the source says 24%.\nSecond line.');
      expect(await page.locator('#trace-annotations b').count()).toBe(0);

      await page.goto(`${server.url}compare/?runs=${info.runs.baseline},${info.runs.candidate}`);
      await page.locator('#compare-annotations').waitFor();
      await expect(page.locator('#compare-annotations tr[data-name="verdict"]').textContent()).resolves.toContain(
        'approved 2 · hallucination 1 · needs review 1',
      );
      await expect(page.locator('#cmp-annotations p').first().textContent()).resolves.toContain('Test Expert');
      // The engine compares annotations on the examples both runs have them for; the aligned row shows it.
      await page.locator('#cmp-search').fill('ex-005');
      await page.waitForFunction(() => document.querySelector('.count')?.textContent === '1 of 24 examples');
      await page.locator('tr.row').first().click();
      await expect(page.locator('#cmp-detail .ann-list').textContent()).resolves.toBe('verdict hallucination by Test Expert');

      // With --repository, a local run's form links to that repository (a CI run keeps its own).
      await page.goto(`${server.url}experiments/${info.experiments.qa}/runs/${info.runs.baseline}/trace/?id=baseline-t007`);
      await page.locator('#annotate-open').click();
      await page.locator('#annotate-author').fill('Test Expert');
      expect(new URL((await page.locator('#annotate-github').getAttribute('href'))!).pathname).toBe(
        `/octo-org/lab/new/${DATA_BRANCH}/experiments/${info.experiments.qa}/annotations`,
      );
      expect(rebuilt.errors).toEqual([]);
      expect(rebuilt.external).toEqual([]);
    } finally {
      await page.close();
      await server?.close();
    }
    expect(
      JSON.parse(await readFile(join(out, 'data', info.experiments.qa, info.runs.candidate, 'annotations.json'), 'utf8')).entries,
    ).toHaveLength(11);
  });
});
