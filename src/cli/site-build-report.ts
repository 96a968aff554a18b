import type { SiteBuildResult } from '#site/build/build-site.ts';
import { formatBytes } from '../text/format-bytes.ts';
import type { SiteBuildEvent } from '#site/build/site-build-events.ts';

/** During a long data pass, how often a line says how far it got. */
const PROGRESS_EVERY_MS = 10_000;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const seconds = (s: number) => `${s.toFixed(1)} s`;

/**
 * The few lines `labbook site build` prints while Astro's own log is quiet: where it builds
 * from, a figure at most every 10 s while runs are written (a big site's data pass takes
 * minutes; a small one prints none), then one line when the data pass ends, as Astro starts on
 * the pages (the longest silent wait left). Warnings and errors are Astro's to print, in full.
 */
export function quietProgress(write: (line: string) => void, now: () => number = () => performance.now()): (event: SiteBuildEvent) => void {
  let lastLine = now();
  return (event) => {
    if (event.kind === 'start') {
      lastLine = now();
      write(`building the site from ${event.dataDir}`);
    } else if (event.kind === 'run') {
      if (event.done === event.total || now() - lastLine < PROGRESS_EVERY_MS) return;
      lastLine = now();
      write(`data: ${event.done} of ${count(event.total, 'run')} written`);
    } else if (event.kind === 'data') {
      const cache = event.cache ? ` (${event.cache})` : '';
      write(
        `read ${count(event.runs, 'run')} (${count(event.traces, 'trace')}) of ${count(event.experiments, 'experiment')} in ${seconds(event.seconds)}${cache}; rendering the pages`,
      );
    }
  };
}

interface NextSteps {
  base: string;
  /** In a CI job the workflow's next step publishes the site: no hint to preview it. */
  ci: boolean;
  /** The repository has the Pages workflow `labbook init` writes. */
  pagesWorkflow: boolean;
}

/** What a finished build made, where it is, and what to do with it. */
export function siteBuiltLines(result: SiteBuildResult, next: NextSteps): string[] {
  const made = `${count(result.pages, 'page')} for ${count(result.experiments, 'experiment')}, ${count(result.runs, 'run')} and ${count(result.traces, 'trace')}`;
  const lines = [`site built in ${seconds(result.seconds)}: ${made}, ${formatBytes(result.bytes)} in ${result.outDir}`];
  if (next.ci) return lines;
  lines.push(`preview it: labbook site preview --out ${result.outDir}${next.base !== '/' ? ` --base ${next.base}` : ''}`);
  lines.push(
    next.pagesWorkflow
      ? 'publish it: .github/workflows/pages.yml builds and deploys it to GitHub Pages after each evaluation of the default branch'
      : 'publish it: any static file host serves the folder; "labbook init" writes a GitHub Pages workflow that builds and deploys it',
  );
  return lines;
}
