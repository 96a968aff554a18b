import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRun } from '../../../test/helpers/analysis-store.ts';
import { runCli } from '../../../test/helpers/run-cli.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { loadSite } from '#site/build/load-site.ts';
import { writeSiteCsv } from '#site/build/write-site-csv.ts';
import { writeSiteData } from '#site/build/write-site-data.ts';
import { applySiteBudget } from '#site/build/site-budget/site-budget.ts';
import { exportTracesCsv } from '#lib/export/export-csv.ts';
import type { TraceColumnScan } from '#lib/export/traces-csv.ts';
import { CachedSiteData } from './cached-site-data.ts';

/** Every file under a folder with its bytes, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The site's two passes over the data, as the Astro integration runs them, with the cache. */
async function dataPasses(dataDir: string, out: string, cacheDir: string) {
  const warnings: string[] = [];
  const site = await loadSite(dataDir);
  const cache = new CachedSiteData({ cacheDir, siteRoot: out, siteRepo: null, warn: (w) => warnings.push(w) });
  const csvColumns = new Map<string, TraceColumnScan>();
  const data = await writeSiteData(site, out, { cache, csvColumns });
  const csv = await writeSiteCsv(site, out, { reused: cache.reused, scanned: csvColumns });
  const report = await cache.finish();
  return { report, warnings: [...warnings, ...data.warnings, ...csv.warnings], paths: csv.paths };
}

describe('the site cache', () => {
  it('reuses unchanged runs without reading their traces, builds new ones, and its output is the same', async () => {
    const root = tempDir('labbook-site-cache-');
    const dataDir = join(root, 'experiments');
    const cacheDir = join(root, 'cache');
    const a = await writeRun(root, dataDir, { variant: 0, traces: 30 });
    await writeRun(root, dataDir, { variant: 1, traces: 30 });
    await writeRun(root, dataDir, { variant: 2, traces: 5, unfinished: true });

    const cold = await dataPasses(dataDir, join(root, 'out1'), cacheDir);
    expect(cold.report).toBe('site cache: 0 runs reused, 2 built from their traces'); // the running run is never cached
    expect(cold.warnings).toEqual([]);
    // The CSV written from the data pass's column scan (one more read of the traces) is the one
    // the CLI's export writes in two reads.
    const exported = join(root, 'exported.csv');
    await exportTracesCsv(dataDir, a.id, exported);
    expect(readFileSync(join(root, 'out1', 'data', 'demo', a.id, 'traces.csv'), 'utf8')).toBe(readFileSync(exported, 'utf8'));

    // Garbage where a's traces were, SHA256SUMS untouched: a run that is read again says so.
    writeFileSync(join(a.dir, 'traces', '00000.jsonl.gz'), 'not gzip');
    const warm = await dataPasses(dataDir, join(root, 'out2'), cacheDir);
    expect(warm.report).toBe('site cache: 2 runs reused, 0 built from their traces');
    expect(warm.warnings).toEqual([]);
    expect(tree(join(root, 'out2'))).toEqual(tree(join(root, 'out1')));
    expect(warm.paths).toEqual(cold.paths);

    // One new run: only it is read.
    await writeRun(root, dataDir, { variant: 3, traces: 10 });
    const next = await dataPasses(dataDir, join(root, 'out3'), cacheDir);
    expect(next.report).toBe('site cache: 2 runs reused, 1 built from their traces');
  });

  it('restores a run by hard links, and the size budget leaving its detail out changes the site, never the cache', async () => {
    const root = tempDir('labbook-site-cache-');
    const dataDir = join(root, 'experiments');
    const cacheDir = join(root, 'cache');
    const a = await writeRun(root, dataDir, { variant: 0, traces: 30 });
    await dataPasses(dataDir, join(root, 'out1'), cacheDir);
    const [key] = readdirSync(join(cacheDir, 'demo', a.id));
    const entry = join(cacheDir, 'demo', a.id, key!, 'files');
    const cached = tree(entry);
    const out = join(root, 'out2');
    expect((await dataPasses(dataDir, out, cacheDir)).report).toBe('site cache: 1 run reused, 0 built from their traces');
    const site = join(out, 'data', 'demo', a.id);
    // Restored without copying: the site's file is the cache's file.
    expect(statSync(join(site, 'index.json')).ino).toBe(statSync(join(entry, 'index.json')).ino);
    const budget = await applySiteBudget(out, [{ experiment: 'demo', run: a.id, createdAt: '2026-01-01T00:00:00Z', url: null }], 1);
    expect(budget.omitted).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(site, 'index.json'), 'utf8')).omitted).toBeDefined();
    expect(readdirSync(site).some((f) => f.startsWith('traces-') && f.endsWith('.json.gz'))).toBe(false);
    // The table stays: a run over the budget keeps its rows pages, only its trace detail goes.
    expect(readdirSync(site).some((f) => f.startsWith('rows-') && f.endsWith('.json.gz'))).toBe(true);
    expect(tree(entry)).toEqual(cached);
  });

  it('rebuilds a run whose annotations changed, and a corrupt entry is named, dropped and rebuilt', async () => {
    const root = tempDir('labbook-site-cache-');
    const dataDir = join(root, 'experiments');
    const cacheDir = join(root, 'cache');
    const a = await writeRun(root, dataDir, { variant: 0, traces: 20 });
    await writeRun(root, dataDir, { variant: 1, traces: 20 });
    await dataPasses(dataDir, join(root, 'out1'), cacheDir);

    const annotated = await runCli(
      ['annotate', '--data', dataDir, '--run', a.id, '--trace', 't1', '--label', 'verdict=approved', '--author', 'Ada'],
      { cwd: root },
    );
    expect(annotated.stderr).toBe('');
    const after = await dataPasses(dataDir, join(root, 'out2'), cacheDir);
    expect(after.report).toBe('site cache: 1 run reused, 1 built from their traces, 1 stale entry removed');
    expect(JSON.parse(readFileSync(join(root, 'out2', 'data', 'demo', a.id, 'annotations.json'), 'utf8')).entries).toHaveLength(1);

    const entry = join(cacheDir, 'demo', a.id);
    const [key] = readdirSync(entry);
    rmSync(join(entry, key!, 'files', 'rows-0.json.gz'));
    const repaired = await dataPasses(dataDir, join(root, 'out3'), cacheDir);
    expect(repaired.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^site cache: ${join(entry, key!, 'entry.json')} is unusable \\(rows-0\\.json\\.gz is missing\\); removed, and run demo/${a.id} is built from its traces$`,
        ),
      ),
    ]);
    expect(repaired.report).toBe('site cache: 1 run reused, 1 built from their traces');
    expect(tree(join(root, 'out3'))).toEqual(tree(join(root, 'out2')));
  });
});
