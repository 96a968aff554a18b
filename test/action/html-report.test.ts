import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDelta, formatValue } from '../../src/export/report-format.ts';
import { createTestRepo, evalCommand, runAction } from './harness.ts';

/**
 * The action's `report-html` input through the bundle, as the runner runs it: the comparison
 * with the baseline written as the HTML report `labbook report --format html` writes, its path
 * in the `report-html-path` output, with the numbers the step's gate used; no file where there
 * is nothing to compare.
 */
describe('the action writes the HTML comparison (report-html)', () => {
  it('writes none without a baseline, then the comparison with it on a pull request', { timeout: 120_000 }, async () => {
    const repo = await createTestRepo();
    const inputs = {
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=120'),
      'data-branch': 'labbook-data',
      'report-html': 'reports/labbook.html',
    };
    const file = join(repo.workspace, 'reports', 'labbook.html');

    const first = await runAction({ repo, inputs });
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs['report-html-path']).toBeUndefined();
    expect(first.stdout).toContain('no HTML report: no baseline (no completed CI run of baseline on master yet)');
    expect(existsSync(file)).toBe(false);

    writeFileSync(join(repo.workspace, 'configs/baseline.yaml'), 'model: sim-1\nparams:\n  accuracy: 0.5\n');
    const second = await runAction({ repo, event: 'pull_request', inputs });
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs['report-html-path']).toBe(file);
    expect(second.stdout).toMatch(new RegExp(`wrote the HTML comparison with ${first.outputs['run-id']} to ${file} \\(\\d+ KB\\)`));
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(/i);
    expect(html).toContain(`<title>demo: A baseline vs B baseline</title>`);
    expect(html).toContain(first.outputs['run-id']);
    expect(html).toContain(second.outputs['run-id']);
    // The config diff and the charts.
    expect(html).toMatch(
      /<code>params\.accuracy<\/code><\/td>\s*<td>changed<\/td>\s*<td class="value">0\.8<\/td>\s*<td class="value">0\.5<\/td>/,
    );
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(2);
    // The regression the step reports is the report's: the same means and difference.
    const regressions = JSON.parse(second.outputs.regressions!) as Array<{
      metric: string;
      baseline: number;
      current: number;
      delta: number;
    }>;
    const correct = regressions.find((r) => r.metric === 'correct')!;
    expect(correct).toBeDefined();
    const row = html.slice(
      html.indexOf('<td class="metric-name">correct'),
      html.indexOf('</tr>', html.indexOf('<td class="metric-name">correct')),
    );
    const cells = [...row.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((m) =>
      m[1]!
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(cells[1]).toMatch(new RegExp(`^${formatValue(correct.baseline, 'boolean').replace('.', '\\.')} `));
    expect(cells[2]).toMatch(new RegExp(`^${formatValue(correct.current, 'boolean').replace('.', '\\.')} `));
    expect(cells[3]).toMatch(new RegExp(`^${formatDelta(correct.delta, 'boolean').replace('.', '\\.').replace('+', '\\+')} .* worse`));
    // The job summary says nothing went wrong with it.
    expect(second.summary).not.toContain('could not write the HTML report');
    expect(second.summary).toContain(
      "📄 The comparison as one HTML file that opens from disk: <code>reports/labbook.html</code> (input `report-html`), for the workflow's upload-artifact step.",
    );
    expect(first.summary).not.toContain('📄');
  });

  it('writes none for a shard run (compared once merged), and warns when the path cannot be written', { timeout: 120_000 }, async () => {
    const repo = await createTestRepo();
    const base = {
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=40'),
      'data-branch': 'labbook-data',
    };
    expect((await runAction({ repo, inputs: base })).code).toBe(0);
    const shard = await runAction({ repo, inputs: { ...base, shard: '1/2', 'report-html': 'r.html' } });
    expect(shard.code, shard.stdout).toBe(0);
    expect(shard.outputs['report-html-path']).toBeUndefined();
    expect(shard.stdout).toContain('no HTML report: shard runs are compared once merged');

    // A folder where the file should go: the run is still pushed, the step still succeeds, and
    // the summary says why there is no report.
    writeFileSync(join(repo.workspace, 'blocker'), 'a file, not a folder');
    const blocked = await runAction({ repo, inputs: { ...base, 'report-html': 'blocker/labbook.html' } });
    expect(blocked.code, blocked.stdout).toBe(0);
    expect(blocked.outputs).toMatchObject({ pushed: 'true' });
    expect(blocked.outputs['report-html-path']).toBeUndefined();
    expect(blocked.summary).toContain('could not write the HTML report blocker/labbook.html');
  });
});
