import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { formatDelta, formatValue } from '../../src/export/report-format.ts';
import { createTestRepo, evalCommand, git, REPOSITORY, runAction } from './harness.ts';

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
    expect(second.stdout).toMatch(
      new RegExp(`wrote the HTML comparison with ${first.outputs['run-id']} to ${file} \\(\\d+(\\.\\d)? KiB\\)`),
    );
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

/**
 * Where people annotated a run an LLM judge scored, the step's summary, its PR comment and the
 * HTML report set the judge beside them: the reviewer of a pull request sees how far the judge's
 * verdicts can be trusted. Annotations come from the data branch, as the annotations workflow
 * merges them there.
 */
describe('the action sets automated judges beside the people (baseline annotations)', () => {
  let api: FakeGithub;
  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY, pagesUrl: 'https://codertocat.github.io/Hello-World/' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows the judge agreement of the baseline in the summary, the comment and the HTML report', { timeout: 120_000 }, async () => {
    const repo = await createTestRepo();
    const inputs = {
      experiment: 'demo',
      config: 'configs/baseline.yaml',
      command: evalCommand('EVAL_EXAMPLES=12 EVAL_JUDGE=1'),
      'github-token': 'ghs_test_token',
      'data-branch': 'labbook-data',
      'report-html': 'reports/labbook.html',
    };
    const first = await runAction({ repo, apiUrl: api.url, inputs });
    expect(first.code, first.stdout).toBe(0);
    const baseline = first.outputs['run-id']!;
    expect(first.summary).not.toContain('Judges and people');

    // A reviewer annotates six of the baseline's traces; on two of them she says the opposite
    // of the judge. Merged into the data branch, as the annotations workflow would.
    const data = join(repo.root, 'data-clone');
    git(repo.root, 'clone', '-q', '--branch', 'labbook-data', repo.remote, data);
    const judged = readJudgeVerdicts(data, baseline);
    const annotated = judged.slice(0, 6).map(({ trace, verdict }, i) => ({
      trace,
      value: i < 2 ? (verdict === 'approved' ? 'hallucination' : 'approved') : verdict,
    }));
    mkdirSync(join(data, 'experiments', 'demo', 'annotations'), { recursive: true });
    writeFileSync(
      join(data, 'experiments', 'demo', 'annotations', 'ada.yaml'),
      annotated
        .map(
          (a) =>
            `- run: ${baseline}\n  trace: ${a.trace}\n  name: verdict\n  value: ${a.value}\n  author: ada\n  at: 2026-01-01T00:00:00Z\n`,
        )
        .join(''),
    );
    git(data, 'add', '.');
    git(data, '-c', 'user.name=ada', '-c', 'user.email=ada@example.invalid', 'commit', '-q', '-m', 'annotations');
    git(data, 'push', '-q', 'origin', 'labbook-data');

    const second = await runAction({ repo, event: 'pull_request', apiUrl: api.url, inputs });
    expect(second.code, second.stdout).toBe(0);
    const row = /\| baseline \| verdict \| sim-judge \| 6 \| κ (-?[0-9.]+) \[[^|]*\] \| 67% same label \| 2 \|/;
    expect(second.summary).toContain('**Judges and people**');
    expect(second.summary).toMatch(row);
    const comments = [...api.comments.values()].flat();
    expect(comments.at(-1)?.body).toMatch(row);
    const html = readFileSync(join(repo.workspace, 'reports', 'labbook.html'), 'utf8');
    expect(html).toContain('<h2>Judges and people</h2>');
    expect(html).toMatch(/<td>A<\/td><td>verdict <span class="quiet">\(label\)<\/span><\/td><td>sim-judge<\/td><td>6<\/td>/);
  });
});

/** The judge's verdict on each trace of a run on the data branch, in trace order. */
function readJudgeVerdicts(data: string, run: string): Array<{ trace: string; verdict: string }> {
  const dir = join(data, 'experiments', 'demo', 'runs', run, 'traces');
  const lines = readdirSync(dir)
    .sort()
    .flatMap((file) =>
      gunzipSync(readFileSync(join(dir, file)))
        .toString('utf8')
        .split('\n')
        .filter(Boolean),
    );
  return lines.map((line) => {
    const trace = JSON.parse(line) as { id: string; scores: Array<{ name: string; value: string }> };
    return { trace: trace.id, verdict: trace.scores.find((s) => s.name === 'verdict')!.value };
  });
}
