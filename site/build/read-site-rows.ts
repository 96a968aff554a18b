import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RunRows } from '#site/view/run-rows.ts';
import { joinRowsPages, type RunRowsPage } from '#site/view/run-rows-pages.ts';
import { runDataPaths } from '#site/view/run-meta.ts';

/** A run's traces table as a built site holds it (its rows pages, joined), read the way the browser does. */
export async function readSiteRows(siteRoot: string, experiment: string, run: string): Promise<RunRows> {
  const firstPath = join(siteRoot, runDataPaths(experiment, run).rows);
  const first = await readPage(firstPath);
  const rest = await Promise.all((first.pages ?? []).slice(1).map((ref) => readPage(join(dirname(firstPath), ref.file))));
  return joinRowsPages([first, ...rest]);
}

async function readPage(path: string): Promise<RunRowsPage> {
  return JSON.parse(gunzipSync(await readFile(path)).toString('utf8')) as RunRowsPage;
}
