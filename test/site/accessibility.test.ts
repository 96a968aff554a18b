import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, fixtureSite, launchChromium } from './helpers/fixture-site.ts';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core on every page type, in both themes: no serious or critical violation. */
describe('accessibility (axe-core)', () => {
  let site: FixtureSite;
  let browser: Browser;
  let axeSource: string;

  beforeAll(async () => {
    site = await fixtureSite();
    browser = await launchChromium();
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  async function violations(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run(document, { resultTypes: ['violations'] })).violations;
    });
    return found
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .slice(0, 3)
            .map((n) => JSON.stringify(n.target))
            .join(', ')}`,
      );
  }

  const pages = () => {
    const { info } = site;
    const run = `experiments/${info.experiments.qa}/runs/${info.runs.baseline}/`;
    const candidate = `experiments/${info.experiments.qa}/runs/${info.runs.candidate}/`;
    return [
      { name: 'home', path: '', ready: '.card' },
      { name: 'experiment with deployments', path: `experiments/${info.experiments.qa}/`, ready: '#deployments' },
      { name: 'run overview', path: run, ready: '#annotation-summary' },
      { name: 'deployed run overview', path: candidate, ready: '#deploy-checks' },
      { name: 'run traces', path: `${run}#traces`, ready: '#traces-table tr.row' },
      { name: 'trace', path: `${run}trace/?id=${info.chatTrace}&span=llm-1`, ready: '.annotations-table' },
      {
        name: 'annotate form',
        path: `${candidate}trace/?id=${info.disputedTraces[1]}`,
        ready: '#annotate-open',
        then: '#annotate-open',
        done: '#annotate-dialog[open] #annotate-github',
      },
      { name: 'compare', path: `compare/?runs=${info.runs.baseline},${info.runs.candidate}`, ready: '#cmp-charts figure svg' },
      { name: 'review queue', path: `experiments/${info.experiments.qa}/queues/${info.queue}/`, ready: '#queue-progress' },
      { name: 'review mode', path: `experiments/${info.experiments.qa}/queues/${info.queue}/?review=zoe`, ready: '#review-trace section' },
      { name: 'empty run', path: `experiments/${info.experiments.empty}/runs/${info.runs.empty}/#traces`, ready: '#no-traces' },
      { name: 'not found', path: 'no-such-page/', ready: 'h1' },
    ];
  };

  // Half the page types per test, so each stays well inside its time limit on a loaded machine.
  for (const scheme of ['light', 'dark'] as const)
    for (const half of [0, 1]) {
      it(`has no serious or critical violations on any page type (${scheme}, part ${half + 1} of 2)`, async () => {
        // bypassCSP: axe is injected as an inline script, which the pages' policy forbids.
        const page = await browser.newPage({ colorScheme: scheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
        const report: Record<string, string[]> = {};
        const mine = pages().filter((_, i) => i % 2 === half);
        for (const { name, path, ready, then, done } of mine) {
          await page.goto(`${site.url}${path}`);
          await page.locator(ready).first().waitFor();
          if (then) {
            await page.locator(then).click();
            await page.locator('#annotate-author').fill('Ada Lovelace');
            await page.locator(done!).waitFor();
          }
          report[name] = await violations(page);
        }
        expect(report).toEqual(Object.fromEntries(mine.map((p) => [p.name, []])));
        await page.close();
      });
    }
});
