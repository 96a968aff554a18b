import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../site/build/static-server.ts';
import { commitAll, plannedRepository } from '../helpers/planned-experiment.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium, watchPage } from './helpers/fixture-site.ts';

/**
 * Clusters, trials, the gate and the eval plan on the site: two runs made by `labbook run`
 * under a committed plan (cluster key, 3 trials, a margin), the site built by `labbook site
 * build`, opened in Chromium.
 */
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the site shows how a comparison was sampled and what it is held to', () => {
  const root = tempDir('labbook-site-plan-');
  let server: RunningServer;
  let browser: Browser;
  let ids: [string, string];

  beforeAll(async () => {
    const { run } = plannedRepository(root);
    // A second planned metric whose name is markup: every page must show it as text.
    writeFileSync(
      join(root, 'experiments', 'qa', 'plan.yaml'),
      `metrics:\n  - name: correct\n    margin: 0.08\n  - name: '${HOSTILE}'\n    margin: 0.1\ncluster: metadata.document\ntrials: 3\nsampleSize: 60\n`,
    );
    commitAll(root, 'plan with a hostile metric name');
    ids = [await run('base.yaml', 'baseline'), await run('cand.yaml', 'candidate')];
    const built = await runCli(['site', 'build', '--out', join(root, '_site'), '--base', '/lab/'], { cwd: root });
    expect(built.code, built.stderr).toBe(0);
    server = await startStaticServer({ root: join(root, '_site'), base: '/lab/' });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'on the compare page: the cluster key with the design effect, trials per example, the gate with its margin, the plan',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage();
      const seen = watchPage(page, server.url);
      await page.goto(`${server.url}compare/?runs=${ids[0]},${ids[1]}`);
      await page.locator('#cmp-evidence').waitFor();
      const text = async (selector: string) => (await page.locator(selector).textContent())!.replace(/\s+/g, ' ');
      // The page's engine gets the same clusters and trials from the rows pages as labbook compare from the runs.
      const cli = JSON.parse((await runCli(['compare', ids[0], ids[1], '--format', 'json'], { cwd: root })).stdout);
      const deffs = cli.metrics.flatMap((m: { runs: Array<{ designEffect?: number }>; deltas: Array<{ designEffect?: number }> }) =>
        [...m.runs, ...m.deltas].map((x) => x.designEffect ?? 0),
      );
      const largest = String(Number(Math.max(...deffs).toPrecision(3)));
      expect(await text('#cmp-clusters')).toBe(
        `Clusters: 15 on metadata.document · largest design effect ${largest} (intervals widened by √deff)`,
      );
      expect(await text('#cmp-trials')).toMatch(
        /^Trials per example: A 3 \(\d+% of the variance within examples\) · B 3 \(\d+% of the variance within examples\)$/,
      );
      expect(await text('#cmp-gate')).toMatch(
        /^Non-inferiority gate: (pass|fail|indeterminate)\s*(pass|fail|indeterminate) correct B vs A · margin 0\.08 \(from the plan\): /,
      );
      expect(await text('#cmp-plan')).toMatch(
        /^Eval plan: experiments\/qa\/plan\.yaml \([0-9a-f]{12}, from \S+\) · α 0\.05 · sample size 60 · cluster key metadata\.document · 3 trials per example · correct: margin 0\.08 · <img src=x onerror=alert\(1\)>: margin 0\.1 · the baseline ran under the same plan/,
      );
      // The metric no run has is flagged, by its name shown as text, never as an element.
      expect(await text('#cmp-plan .plan-flags')).toContain(`the plan names "${HOSTILE}" but no run has it`);
      expect(await page.locator('#cmp-evidence img').count()).toBe(0);
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
      expect(seen.external).toEqual([]);
    },
  );

  it('on the run page: trials per example, the cluster key with the design effect, the recorded plan', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}experiments/qa/runs/${ids[0]}/`);
    const body = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    expect(body).toContain('Trials per example 3 (90 examples)');
    expect(body).toMatch(/Cluster key metadata\.document: 15 clusters, design effect [\d.]+ on correct/);
    expect(body).toMatch(
      /Eval plan experiments\/qa\/plan\.yaml \([0-9a-f]{12}\) · α 0\.05 · sample size 60 · 3 trials · correct margin 0\.08; <img src=x onerror=alert\(1\)> margin 0\.1/,
    );
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
  });
});
