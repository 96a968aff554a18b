import { describe, expect, it } from 'vitest';
import { quietProgress, siteBuiltLines } from './site-build-report.ts';

describe('quietProgress', () => {
  it('prints where it builds from, a figure only when the data pass runs long, and one line when it ends', () => {
    const lines: string[] = [];
    let clock = 0;
    const onEvent = quietProgress(
      (line) => lines.push(line),
      () => clock,
    );
    onEvent({ kind: 'start', dataDir: '/p/experiments', outDir: '/p/_site' });
    for (let done = 1; done <= 30; done++) {
      clock += 1_000;
      onEvent({ kind: 'run', done, total: 30 });
    }
    onEvent({
      kind: 'data',
      experiments: 2,
      runs: 30,
      traces: 1,
      seconds: 30.04,
      cache: 'site cache: 29 runs reused, 1 built from their traces',
    });
    onEvent({ kind: 'pages', pages: 70 });
    expect(lines).toEqual([
      'building the site from /p/experiments',
      'data: 10 of 30 runs written',
      'data: 20 of 30 runs written',
      'read 30 runs (1 trace) of 2 experiments in 30.0 s (site cache: 29 runs reused, 1 built from their traces); rendering the pages',
    ]);
  });
});

describe('siteBuiltLines', () => {
  const result = { outDir: '/p/_site', seconds: 12.34, pages: 1, experiments: 1, runs: 0, traces: 0, bytes: 1_400_000 };

  it('names what was made, the folder, its size and time, then how to preview and publish it', () => {
    expect(siteBuiltLines(result, { base: '/lab/', ci: false, pagesWorkflow: true })).toEqual([
      'site built in 12.3 s: 1 page for 1 experiment, 0 runs and 0 traces, 1.3 MiB in /p/_site',
      'preview it: labbook site preview --out /p/_site --base /lab/',
      'publish it: .github/workflows/pages.yml builds and deploys it to GitHub Pages after each evaluation of the default branch',
    ]);
    expect(siteBuiltLines(result, { base: '/', ci: false, pagesWorkflow: false }).slice(1)).toEqual([
      'preview it: labbook site preview --out /p/_site',
      'publish it: any static file host serves the folder; "labbook init" writes a GitHub Pages workflow that builds and deploys it',
    ]);
  });

  it('in CI, where the workflow publishes the site, only says what was built', () => {
    expect(siteBuiltLines(result, { base: '/', ci: true, pagesWorkflow: true })).toHaveLength(1);
  });
});
