import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceInput } from '../../schemas/trace.ts';
import { main } from '../../src/cli/main.ts';
import { CI_SOURCE, fixtureTrace, writeRun } from '../helpers/analysis-store.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium } from '../site/helpers/fixture-site.ts';

/**
 * The HTML report as its reader gets it: a file opened from disk (file://) in Chromium, with
 * every network request routed and aborted. It must need nothing but itself, log no error or
 * CSP violation, draw its charts, fit a phone and a laptop in light and dark, and keep hostile
 * run names, config values, outputs and metric names as text.
 */
const root = tempDir('labbook-report-browser-');
const dataDir = join(root, 'experiments');
let reportFile = '';
let hostileFile = '';
let browser: Browser;

/** Each sets window.__xss or opens a dialog if it ever runs. */
const XSS = {
  script: '<script>window.__xss = "script"; alert("script")</script>',
  img: "<img src=x onerror=\"window.__xss='img'; alert('img')\">",
  svg: '<svg onload="window.__xss=\'svg\'"></svg>',
  attr: '" autofocus onfocus="window.__xss=\'attr\'" x="',
  style: '<style>body{display:none}</style>',
  iframe: '<iframe src="javascript:alert(\'iframe\')"></iframe>',
};
/** Unbroken text that must wrap, not widen the page. */
const LONG = 'W'.repeat(10_000);
const HOSTILE_METRIC = `pass ${XSS.img}`;

function hostileTrace(i: number, variant: number): TraceInput {
  const base = fixtureTrace(i, variant);
  const payload = Object.values(XSS)[i % Object.values(XSS).length]!;
  return {
    ...base,
    input: { question: `${payload} ${i}` },
    expected: `${XSS.attr}${i}`,
    output: `${payload} answer ${variant === 0 ? i : i + (i % 3 === 0 ? 1 : 0)} ${i === 10 ? LONG : ''}`,
    scores: [...(base.scores ?? []), { name: HOSTILE_METRIC, value: variant === 0 || i % 3 !== 0 }],
  };
}

async function writeReport(runIds: string[], file: string): Promise<void> {
  let err = '';
  const code = await main(['report', '--data', dataDir, '--runs', runIds.join(','), '-o', file], {
    stdout: () => {},
    stderr: (t) => (err += t),
    cwd: root,
    env: process.env,
  });
  if (code !== 0) throw new Error(err);
}

beforeAll(async () => {
  const runs = [
    await writeRun(root, dataDir, { variant: 0, traces: 20 }),
    await writeRun(root, dataDir, { variant: 1, traces: 20, source: CI_SOURCE }),
    await writeRun(root, dataDir, { variant: 2, traces: 20 }),
  ];
  reportFile = join(root, 'report.html');
  await writeReport(
    runs.map((r) => r.id),
    reportFile,
  );

  const hostileConfig = (variant: number) =>
    [
      `model: ${JSON.stringify(variant === 0 ? XSS.script : XSS.img)}`,
      `${JSON.stringify(XSS.attr)}: ${JSON.stringify(XSS.svg + variant)}`,
      'prompt: |',
      `  You are ${variant === 0 ? 'careful' : 'quick'}.`,
      `  ${XSS.style} ${XSS.iframe}`,
      `long: ${LONG.slice(0, 2000 + variant)}`,
      '',
    ].join('\n');
  const hostile = [
    await writeRun(root, dataDir, {
      variant: 0,
      traces: 12,
      name: `${XSS.script}${XSS.img}`,
      configName: 'hostile-0',
      configText: hostileConfig(0),
      trace: hostileTrace,
    }),
    await writeRun(root, dataDir, {
      variant: 1,
      traces: 12,
      name: `${XSS.attr}${XSS.svg}${LONG.slice(0, 100)}`,
      configName: 'hostile-1',
      configText: hostileConfig(1),
      trace: hostileTrace,
    }),
  ];
  hostileFile = join(root, 'hostile.html');
  await writeReport(
    hostile.map((r) => r.id),
    hostileFile,
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Watched {
  requests: string[];
  aborted: string[];
  errors: string[];
  dialogs: string[];
}

/** A context that aborts every request but the report's own and records what the page asked for and said. */
async function openFromDisk(
  file: string,
  options: { width: number; colorScheme: 'light' | 'dark'; bypassCSP?: boolean },
): Promise<{ context: BrowserContext; page: Page; seen: Watched }> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: 900 },
    colorScheme: options.colorScheme,
    bypassCSP: options.bypassCSP ?? false,
  });
  const seen: Watched = { requests: [], aborted: [], errors: [], dialogs: [] };
  // Routing sees file:// too: the report itself is let through, anything else is aborted.
  const own = pathToFileURL(file).href;
  await context.route('**/*', (route) => {
    if (route.request().url() === own) return route.continue();
    seen.aborted.push(route.request().url());
    return route.abort();
  });
  // Injected by the browser's devtools, so the page's CSP cannot stop it: records violations.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForTimeout(200); // any late load or handler would show by now
  return { context, page, seen };
}

describe('the HTML report opened from disk in Chromium', () => {
  for (const [width, colorScheme] of [
    [1366, 'light'],
    [390, 'dark'],
    [390, 'light'],
    [1366, 'dark'],
  ] as const) {
    it(`needs nothing but itself and draws every chart (${width} px, ${colorScheme})`, { timeout: 60_000 }, async () => {
      const { context, page, seen } = await openFromDisk(reportFile, { width, colorScheme });
      try {
        expect(seen.requests).toEqual([pathToFileURL(reportFile).href]);
        expect(seen.aborted).toEqual([]);
        expect(seen.errors).toEqual([]);
        expect(seen.dialogs).toEqual([]);
        const state = await page.evaluate(() => ({
          title: document.title,
          sections: [...document.querySelectorAll('section[id]')].map((s) => s.id),
          charts: [...document.querySelectorAll('figure svg')].map((svg) => {
            const box = svg.getBoundingClientRect();
            return {
              width: box.width,
              height: box.height,
              // Vega's marks: points (symbols), interval rules and bars, each a drawn path or line.
              marks: svg.querySelectorAll('.mark-symbol path, .mark-rule line, .mark-rect path').length,
              fits: box.right <= window.innerWidth + 0.5,
            };
          }),
          scrollWidth: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          background: getComputedStyle(document.documentElement).backgroundColor,
          colour: getComputedStyle(document.body).color,
          nav: getComputedStyle(document.querySelector('nav.contents')!).display,
        }));
        expect(state.title).toBe('demo: A config-0 vs B config-1 vs C config-2');
        expect(state.sections).toEqual(['runs', 'config', 'metrics', 'charts', 'examples', 'annotations', 'alignment']);
        expect(state.charts).toHaveLength(3);
        for (const chart of state.charts) {
          expect(chart.width).toBeGreaterThan(100);
          expect(chart.height).toBeGreaterThan(50);
          expect(chart.marks).toBeGreaterThanOrEqual(3);
          expect(chart.fits).toBe(true);
        }
        // The page never scrolls sideways: wide tables scroll inside their own box.
        expect(state.scrollWidth).toBeLessThanOrEqual(state.viewport);
        expect(state.nav).not.toBe('none');
        expect(state.background).toBe(colorScheme === 'dark' ? 'rgb(21, 23, 27)' : 'rgb(255, 255, 255)');
        expect(state.colour).toBe(colorScheme === 'dark' ? 'rgb(228, 230, 234)' : 'rgb(22, 24, 29)');
        // The metrics table's numbers are there to read (the content test checks them against the engine).
        await expect(page.locator('#metrics tr', { hasText: 'correct (primary)' }).textContent()).resolves.toMatch(
          /75\.0%[\s\S]*90\.0%[\s\S]*90\.0%/,
        );
      } finally {
        await context.close();
      }
    });
  }

  // axe-core is a script, which the report's policy refuses: these contexts bypass the CSP.
  for (const [width, colorScheme] of [
    [1366, 'light'],
    [1366, 'dark'],
    [390, 'dark'],
  ] as const) {
    it(`has no serious or critical accessibility violation (axe-core, ${width} px, ${colorScheme})`, { timeout: 60_000 }, async () => {
      const { context, page } = await openFromDisk(reportFile, { width, colorScheme, bypassCSP: true });
      try {
        await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
        const violations = await page.evaluate(async () => {
          type Violation = { id: string; impact: string; help: string; nodes: Array<{ target: unknown }> };
          const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
          return (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            at: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
          }));
        });
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("prints without its contents links (the PDF's layout)", { timeout: 60_000 }, async () => {
    const { context, page } = await openFromDisk(reportFile, { width: 1366, colorScheme: 'light' });
    try {
      await page.emulateMedia({ media: 'print' });
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('nav.contents')!).display)).toBe('none');
    } finally {
      await context.close();
    }
  });

  it(
    'keeps hostile run names, config values, outputs and metric names as text: nothing runs, nothing is injected',
    { timeout: 60_000 },
    async () => {
      const html = readFileSync(hostileFile, 'utf8');
      // The payloads reached the report (so the test tests something) ...
      expect(html).toContain('&lt;script&gt;window.__xss = &quot;script&quot;');
      // ... and the policy is bypassed, so escaping has to hold on its own.
      for (const colorScheme of ['light', 'dark'] as const) {
        const { context, page, seen } = await openFromDisk(hostileFile, { width: 390, colorScheme, bypassCSP: true });
        try {
          expect(seen.dialogs).toEqual([]);
          expect(seen.requests).toEqual([pathToFileURL(hostileFile).href]);
          expect(seen.errors).toEqual([]);
          const audit = await page.evaluate(() => {
            const handlers: string[] = [];
            for (const el of document.querySelectorAll('*'))
              for (const attr of el.getAttributeNames())
                if (attr.toLowerCase().startsWith('on') || attr === 'autofocus') handlers.push(`${el.tagName} ${attr}`);
            return {
              xss: (window as { __xss?: string }).__xss ?? null,
              handlers,
              scripts: document.querySelectorAll('script').length,
              injected: document.querySelectorAll('img, iframe, object, embed, body style, section style, svg svg').length,
              styles: document.querySelectorAll('style').length,
              hidden: getComputedStyle(document.body).display,
              h1: document.querySelector('h1')!.textContent,
              text: document.body.textContent ?? '',
              scrollWidth: document.documentElement.scrollWidth,
              viewport: window.innerWidth,
              // The widest table's own scrolling width: long unbroken values wrap there too.
              tableWidth: Math.max(...[...document.querySelectorAll('.scroll')].map((el) => el.scrollWidth)),
              tableWidths: [...document.querySelectorAll('.scroll')].map((el) => `#${el.closest('section')!.id}: ${el.scrollWidth} px`),
            };
          });
          expect(audit).toMatchObject({ xss: null, handlers: [], scripts: 0, injected: 0, styles: 1, hidden: 'block' });
          // Shown as text, where a reader expects them: the run names in the title, the config
          // diff's values, the outputs of the examples that moved, the metric's row and chart.
          expect(audit.h1).toContain(`A ${XSS.script}${XSS.img} vs B ${XSS.attr}${XSS.svg}${LONG.slice(0, 100)}`);
          // The config diff: a changed string is shown as a text diff, whose kept and removed
          // parts are the old value and kept and inserted parts the new one.
          const diff = await page.evaluate(() =>
            [...document.querySelectorAll('#config tbody tr')].map((tr) => {
              const spans = [...tr.querySelectorAll('.text-diff span')];
              const side = (skip: string) =>
                spans
                  .filter((s) => !s.classList.contains(skip))
                  .map((s) => s.textContent)
                  .join('');
              return { key: tr.querySelector('code')!.textContent, before: side('op-insert'), after: side('op-delete') };
            }),
          );
          expect(diff).toEqual(
            expect.arrayContaining([
              { key: 'model', before: XSS.script, after: XSS.img },
              { key: expect.stringContaining(XSS.attr), before: `${XSS.svg}0`, after: `${XSS.svg}1` },
              {
                key: 'prompt',
                before: `You are careful.\n${XSS.style} ${XSS.iframe}\n`,
                after: `You are quick.\n${XSS.style} ${XSS.iframe}\n`,
              },
            ]),
          );
          expect((await page.locator('#examples').textContent())!).toContain(`${XSS.script} answer`);
          expect((await page.locator('#metrics').textContent())!).toContain(HOSTILE_METRIC);
          expect((await page.locator('#charts svg').first().textContent())!).toContain(HOSTILE_METRIC);
          expect(audit.scrollWidth).toBeLessThanOrEqual(audit.viewport);
          expect(audit.tableWidth, audit.tableWidths.join('\n')).toBeLessThan(1200);
          // The 10,000-character output of the regressed example, clipped and wrapped.
          expect((await page.locator('#examples').textContent())!).toContain(`${'W'.repeat(200)}`);
        } finally {
          await context.close();
        }
      }
    },
  );
});
