import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../site/build/static-server.ts';
import { REPO } from '../docs/labbook-package.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { launchChromium, watchPage } from '../site/helpers/fixture-site.ts';

/**
 * Done when (issue 17): a run recorded through the OTLP receiver, from an agent instrumented
 * with OpenTelemetry only (fixtures/otel-chat-agent.mjs: the official SDK and protobuf
 * exporter, GenAI conventions), shows on the built site like any SDK run, with its system
 * prompt and tool call visible. Recorded by `labbook run`, built by `labbook site build`,
 * opened in Chromium: the run page's traces table, then one trace's span tree and messages.
 */
const project = tempDir('labbook-otlp-site-');
let runId = '';
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  cpSync(join(import.meta.dirname, 'fixtures', 'otel-chat-agent.mjs'), join(project, 'agent.mjs'));
  writeFileSync(
    join(project, 'data.jsonl'),
    `${JSON.stringify({ id: 'lisbon', input: { city: 'Lisbon' } })}\n${JSON.stringify({ id: 'porto', input: { city: 'Porto' } })}\n`,
  );
  writeFileSync(join(project, 'agent.yaml'), 'model: gpt-4o-mini\n');
  mkdirSync(join(project, 'experiments'));
  const run = await runCli(
    ['run', '--experiment', 'trips', '--create', '--config', 'agent.yaml', '--dataset', 'data.jsonl', '--', 'node', 'agent.mjs'],
    {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '' },
    },
  );
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stderr).toMatch(/labbook otlp: received 8 spans in \d+ requests? → 2 traces/);
  runId = /run (\S+) completed/.exec(run.stdout)![1]!;
  // The command a user runs, in its own process, as the site tests build theirs.
  await promisify(execFile)(
    process.execPath,
    [join(REPO, 'bin', 'labbook.js'), 'site', 'build', '--data', join(project, 'experiments'), '--out', join(project, 'site')],
    { cwd: project, maxBuffer: 64 * 1024 * 1024 },
  );
  server = await startStaticServer({ root: join(project, 'site'), base: '/' });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a run recorded through the OTLP receiver, on the built site', () => {
  it(
    'lists its traces, and a trace shows the span tree, the system prompt and the tool call with its arguments',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage();
      const seen = watchPage(page, server.url);
      await page.goto(`${server.url}experiments/trips/runs/${runId}/#traces`);
      await page.locator('#traces-table tr.row').first().waitFor();
      await expect(page.locator('#trace-count').textContent()).resolves.toBe('2 traces');
      await expect(page.locator('#traces-table').textContent()).resolves.toContain('Lisbon');

      await page.locator('#traces-table tr.row', { hasText: 'Lisbon' }).locator('a').first().click();
      await page.waitForURL('**/trace/?id=*');
      await page.locator('[role="treeitem"]').first().waitFor();
      expect((await page.locator('[role="treeitem"]').allTextContents()).map((text) => text.replace(/\s+/g, ' '))).toEqual([
        expect.stringContaining('agent'),
        expect.stringContaining('chat gpt-4o-mini'),
        expect.stringContaining('execute_tool get_weather'),
        expect.stringContaining('chat gpt-4o-mini'),
      ]);

      // The first model call: the system prompt as a system message, the user's turn, and the tool call it made.
      await page.locator('[role="treeitem"]', { hasText: 'chat gpt-4o-mini' }).first().click();
      const detail = page.locator('section[aria-label="Selected span"]');
      await expect(detail.locator('.chat .msg.system').first().textContent()).resolves.toContain('You are Wayfarer, a travel assistant.');
      await expect(detail.locator('.chat .msg.user').first().textContent()).resolves.toContain('Plan a day trip from Lisbon.');
      const call = detail.locator('.chat .msg.assistant .call').first();
      await expect(call.locator('.fn').textContent()).resolves.toBe('get_weather');
      await expect(call.textContent()).resolves.toMatch(/"city":\s*"Lisbon"/);

      // The second: the tool's answer as a tool message tied to the call, then the reply.
      await page.locator('[role="treeitem"]', { hasText: 'chat gpt-4o-mini' }).nth(1).click();
      await expect(detail.locator('.chat .msg.tool').first().textContent()).resolves.toMatch(/result of call_lisbon[\s\S]*Sunny in Lisbon/);
      await expect(detail.textContent()).resolves.toContain('Saturday looks sunny: take the train from Lisbon to the coast.');
      expect(seen.errors).toEqual([]);
      expect(seen.external).toEqual([]);
    },
  );
});
