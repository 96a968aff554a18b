import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '#lib/store/atomic-write.ts';
import { join } from 'node:path';
import { measureFolder } from '#lib/gc/storage-health.ts';
import { countNoun } from '#lib/text/count-noun.ts';
import type { DetailOmitted, TraceIndex } from '#site/view/run-rows.ts';
import { runDataPaths } from '#site/view/run-meta.ts';

/** A GitHub Pages site may be at most 1 GB; the default budget leaves room for the pages themselves. */
export const DEFAULT_SITE_BUDGET_BYTES = 900 * 1000 * 1000;

export type { DetailOmitted } from '#site/view/run-rows.ts';

interface BudgetRun {
  experiment: string;
  run: string;
  createdAt: string;
  /** Where the run's traces can be read instead (the data branch), or null. */
  url: string | null;
}

interface BudgetOutcome {
  /** Bytes of the site folder once the budget is applied. */
  bytes: number;
  /** Runs whose trace detail was left out, oldest first. */
  omitted: Array<{ experiment: string; run: string; bytes: number }>;
  /** One line for the build log. */
  message: string;
}

/**
 * Keeps the site under its size budget (`site.budgetMegabytes` in labbook.config.yaml): when the
 * site folder is over it, the trace detail (`traces-<k>.json.gz`) of the oldest runs is left
 * out until it fits. Those runs keep their summary, metrics, table rows and comparisons; their
 * `index.json` records why their detail is missing and where to read it (the data branch), which
 * the trace page shows. Newest runs keep everything.
 */
export async function applySiteBudget(siteRoot: string, runs: BudgetRun[], budgetBytes: number): Promise<BudgetOutcome> {
  let bytes = (await measureFolder(siteRoot)).bytes;
  const omitted: BudgetOutcome['omitted'] = [];
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const oldestFirst = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const run of oldestFirst) {
    if (bytes <= budgetBytes) break;
    const paths = runDataPaths(run.experiment, run.run);
    const dir = join(siteRoot, paths.dir);
    const chunks = (await readdir(dir).catch(() => [] as string[])).filter((name) => /^traces-\d+\.json\.gz$/.test(name));
    if (chunks.length === 0) continue;
    let freed = 0;
    for (const name of chunks) {
      freed += (await stat(join(dir, name))).size;
      await rm(join(dir, name));
    }
    const indexFile = join(siteRoot, paths.index);
    const before = await readFile(indexFile, 'utf8');
    const index = JSON.parse(before) as TraceIndex & { omitted?: DetailOmitted };
    index.omitted = {
      reason: `left out to keep the site under its ${mb(budgetBytes)} budget (site.budgetMegabytes in labbook.config.yaml)`,
      url: run.url,
    };
    const text = JSON.stringify(index);
    // Renamed over, never written in place: the file may be a hard link into the site cache.
    await writeFileAtomic(indexFile, text);
    bytes -= freed - (Buffer.byteLength(text) - Buffer.byteLength(before));
    omitted.push({ experiment: run.experiment, run: run.run, bytes: freed });
  }
  const message =
    omitted.length === 0
      ? `site size ${mb(bytes)}, within its ${mb(budgetBytes)} budget`
      : `site size ${mb(bytes)} against a ${mb(budgetBytes)} budget: the trace detail of the ${countNoun(omitted.length, 'oldest run')} is left out (${omitted.map((o) => `${o.experiment}/${o.run}`).join(', ')}); ${omitted.length === 1 ? 'its' : 'their'} summaries, metrics and comparisons stay, and ${omitted.length === 1 ? 'its' : 'their'} trace pages link to the data branch${bytes > budgetBytes ? `; still over budget: the rest is pages, tables and downloads` : ''}`;
  return { bytes, omitted, message };
}

/** The run's folder on the data branch (GitHub's tree view), when the repository is known. */
export function dataBranchRunUrl(repoUrl: string | null, branch: string, dataPath: string, experiment: string, run: string): string | null {
  if (!repoUrl) return null;
  const path = [dataPath.replace(/^\/+|\/+$/g, ''), experiment, 'runs', run].filter(Boolean).map(encodeURIComponent).join('/');
  return `${repoUrl}/tree/${branch.split('/').map(encodeURIComponent).join('/')}/${path}`;
}
