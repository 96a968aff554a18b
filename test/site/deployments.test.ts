import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, type FixtureSite, fixtureSite, launchChromium, watchPage } from './helpers/fixture-site.ts';

const COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const CI_JOB = 'https://github.com/acme/agent/actions/runs/123456789/attempts/1';
const DEPLOY_RUN = 'https://github.com/acme/agent/actions/runs/987654321/attempts/1';

/**
 * The fixture records four attempts: the CI-made candidate deployed to staging, the local
 * baseline refused for production, the candidate deployed to production, then a failed retry
 * of it. The candidate is live in both environments; the baseline never deployed.
 */
describe('deployments on the site', () => {
  let site: FixtureSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    page = await context.newPage();
    seen = watchPage(page, site.url);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  const experimentPage = () => `${site.url}experiments/${site.info.experiments.qa}/`;
  const runPath = (run: string) => `${BASE}experiments/${site.info.experiments.qa}/runs/${run}/`;

  it('marks deployed runs in the runs table and on the run page', async () => {
    const { info } = site;
    await page.goto(experimentPage());
    const badges = (run: string) => page.locator(`#runs-table tr[data-run="${run}"] td.deploy-badges .badge`).allTextContents();
    expect(await badges(info.runs.candidate)).toEqual(['live in production', 'live in staging']);
    expect(await badges(info.runs.baseline)).toEqual(['failed for production']);
    expect(await page.locator(`#runs-table tr[data-run="${info.runs.candidate}"] .badge.deploy-live`).count()).toBe(2);
    await page.locator('#runs-search').fill('live in production');
    await expect(page.locator('#runs-count').textContent()).resolves.toBe('1 of 2 runs');

    await page.goto(`${site.url}${runPath(info.runs.candidate).slice(BASE.length)}`);
    expect(await page.locator('.page-head .badge.deploy-live').allTextContents()).toEqual(['live in production', 'live in staging']);
  });

  it("lists each environment's deployments, newest first, with the live one and its lineage commit → CI job → run → deployment", async () => {
    const { info } = site;
    await page.goto(experimentPage());
    const section = page.locator('#deployments');
    expect(await section.locator('.environment h3').allTextContents()).toEqual(['production', 'staging']);
    const production = section.locator('.environment[data-environment="production"]');
    const rows = await production.locator('table.deployments tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const text = (i: number) => (tr as HTMLTableRowElement).cells[i]!.textContent!.replace(/\s+/g, ' ').trim();
        return { outcome: tr.getAttribute('data-outcome'), live: tr.classList.contains('live'), run: text(1), text: text(3) };
      }),
    );
    expect(rows).toEqual([
      { outcome: 'failure', live: false, run: 'candidate', text: 'failed the deploy command exited with code 3' },
      { outcome: 'success', live: true, run: 'candidate', text: 'deployed live' },
      { outcome: 'failure', live: false, run: 'baseline', text: 'refused failed check: made by a CI job (made on ada@laptop (local))' },
    ]);

    // The live deployment's lineage, every step linked.
    const lineage = production.locator('.live-deployment ol.lineage li');
    const steps = await lineage.evaluateAll((items) =>
      items.map((li) => [li.getAttribute('data-step'), li.querySelector('a')?.getAttribute('href') ?? null]),
    );
    expect(steps).toEqual([
      ['commit', `https://github.com/acme/agent/commit/${COMMIT}`],
      ['ci-job', CI_JOB],
      ['run', runPath(info.runs.candidate)],
      ['deployment', DEPLOY_RUN],
    ]);
    await expect(lineage.nth(1).textContent()).resolves.toContain('evaluate run 123456789 (attempt 1), job eval');
    // A refused local run's lineage says it came from no CI job.
    const refused = production.locator('tr[data-outcome="failure"]').nth(1);
    await refused.locator('summary').click();
    await expect(refused.locator('li[data-step="ci-job"]').textContent()).resolves.toContain('none: made on laptop by ada');
    await lineage.nth(2).locator('a').click();
    await page.waitForURL(`**${runPath(info.runs.candidate)}`);
  });

  it('brings each control of the deployments tables fully into view, inside its scrolling box and below the top bar, as Tab and Shift+Tab reach it', async () => {
    const { info } = site;
    // Widths where the tables scroll sideways; at 480 px a link half past the left edge, at 620 px
    // the lineage disclosure half past the right edge, were once left where they were.
    const widths = [480, 620];
    const paths = [experimentPage(), `${site.url}${runPath(info.runs.candidate).slice(BASE.length)}`];
    const narrow = await browser.newPage({ viewport: { width: widths[0]!, height: 700 } });
    try {
      const hidden: string[] = [];
      let reached = 0;
      for (const width of widths) {
        await narrow.setViewportSize({ width, height: 700 });
        for (const path of paths) {
          await narrow.goto(path);
          for (const table of await narrow.locator('table.deployments').all()) {
            const controls = table.locator('a[href]:visible, summary:visible');
            const count = await controls.count();
            expect(count).toBeGreaterThan(3);
            await controls.first().focus();
            for (const key of ['Tab', 'Shift+Tab']) {
              for (let i = 0; i < count - 1; i++) {
                await narrow.keyboard.press(key);
                const at = await narrow.evaluate(() => {
                  const e = document.activeElement as HTMLElement;
                  const wrap = e.closest('.table-wrap');
                  if (!e.closest('table.deployments') || !wrap)
                    return { name: `${e.tagName.toLowerCase()} outside the tables`, shown: false };
                  const box = e.getBoundingClientRect();
                  const view = wrap.getBoundingClientRect();
                  const left = Math.max(view.left + wrap.clientLeft, 0);
                  const right = Math.min(view.left + wrap.clientLeft + wrap.clientWidth, innerWidth);
                  const top = Math.max(view.top, document.querySelector('.topbar')!.getBoundingClientRect().bottom);
                  const bottom = Math.min(view.bottom, innerHeight);
                  return {
                    name: `${e.tagName.toLowerCase()} "${e.textContent!.trim().slice(0, 20)}"`,
                    shown: box.left >= left - 1 && box.right <= right + 1 && box.top >= top - 1 && box.bottom <= bottom + 1,
                  };
                });
                reached++;
                if (!at.shown) hidden.push(`${width} px, ${key}, ${path.slice(site.url.length)}: ${at.name}`);
              }
            }
          }
        }
      }
      expect(reached).toBeGreaterThan(20);
      expect(hidden).toEqual([]);
    } finally {
      await narrow.close();
    }
  });

  it("shows a run's offline eligibility, the exact gh command per environment with a copy button, and the workflow link", async () => {
    const { info } = site;
    await page.goto(`${site.url}${runPath(info.runs.candidate).slice(BASE.length)}`);
    const deploy = page.locator('#deploy');
    // Offline the site cannot verify where a run came from: it says the claim is checked at deploy.
    await expect(deploy.locator('#deploy-eligibility').textContent()).resolves.toBe('CI claimed, verified at deploy');
    const checks = await deploy
      .locator('#deploy-checks tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-check'), tr.getAttribute('data-ok')]));
    expect(checks).toEqual([
      ['run exists', 'true'],
      ['run completed', 'true'],
      ['made by a CI job', 'false'],
      ['files match SHA256SUMS', 'true'],
    ]);
    await expect(deploy.locator('#deploy-checks tr[data-check="made by a CI job"]').textContent()).resolves.toMatch(
      /skipped\s*not checked: source: ci claimed \(acme\/agent workflow run \d+\); not verifiable offline/,
    );
    const commands = await deploy.locator('.copy-line code').allTextContents();
    expect(commands).toEqual([
      `gh workflow run deploy.yml -f run=${info.runs.candidate} -f environment=production`,
      `gh workflow run deploy.yml -f run=${info.runs.candidate} -f environment=staging`,
    ]);
    expect(await deploy.locator('#deploy-workflow-link').getAttribute('href')).toBe(
      'https://github.com/acme/agent/actions/workflows/deploy.yml',
    );
    await deploy.locator('.copy-line button').first().click();
    await page.waitForFunction(() => document.querySelector('#deploy .copy-line button')?.textContent === 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(commands[0]);
    // Where this run has been deployed, across environments.
    expect(await deploy.locator('table.deployments tbody tr').count()).toBe(3);

    await page.goto(`${site.url}${runPath(info.runs.baseline).slice(BASE.length)}`);
    await expect(deploy.locator('#deploy-eligibility').textContent()).resolves.toBe('not eligible');
    await expect(deploy.locator('#deploy-checks tr[data-ok="false"]').textContent()).resolves.toMatch(
      /^\s*made by a CI job\s+fail\s+made on ada@laptop \(local\)/,
    );
    expect(await deploy.locator('.copy-line').count()).toBe(0);
    await expect(deploy.locator('table.deployments tbody tr').textContent()).resolves.toContain('refused');
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
  });
});
