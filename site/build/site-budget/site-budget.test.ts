import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRun } from '../../../test/helpers/analysis-store.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { measureFolder } from '#lib/gc/storage-health.ts';
import { loadSite } from '#site/build/load-site.ts';
import { writeSiteData } from '#site/build/write-site-data.ts';
import { applySiteBudget, dataBranchRunUrl } from './site-budget.ts';

async function builtSite() {
  const root = tempDir('labbook-site-budget-');
  const dataDir = join(root, 'experiments');
  const runs = [];
  for (const variant of [0, 1, 2]) runs.push(await writeRun(root, dataDir, { variant, traces: 300 }));
  const out = join(root, 'out');
  const site = await loadSite(dataDir);
  await writeSiteData(site, out, {});
  const budgetRuns = site.experiments[0]!.runs.map((r) => ({
    experiment: 'demo',
    run: r.manifest.id,
    createdAt: r.manifest.createdAt,
    url: dataBranchRunUrl('https://github.com/acme/agent', 'labbook-data', 'experiments', 'demo', r.manifest.id),
  }));
  return { out, runs, budgetRuns };
}

const chunksOf = (out: string, run: string) => readdirSync(join(out, 'data', 'demo', run)).filter((f) => /^traces-\d+\.json\.gz$/.test(f));

describe('the site size budget', () => {
  it('leaves out the trace detail of the oldest runs until the site fits, and says where to read it', async () => {
    const { out, runs, budgetRuns } = await builtSite();
    const total = (await measureFolder(out)).bytes;
    const detail = chunksOf(out, runs[0]!.id).reduce((n, f) => n + readFileSync(join(out, 'data', 'demo', runs[0]!.id, f)).length, 0);
    // Room for everything but a little less than the oldest run's detail.
    const outcome = await applySiteBudget(out, budgetRuns, total - Math.floor(detail / 2));
    expect(outcome.omitted.map((o) => o.run)).toEqual([runs[0]!.id]);
    expect(outcome.bytes).toBe((await measureFolder(out)).bytes);
    expect(outcome.bytes).toBeLessThanOrEqual(total - Math.floor(detail / 2));
    expect(chunksOf(out, runs[0]!.id)).toEqual([]);
    expect(chunksOf(out, runs[2]!.id).length).toBeGreaterThan(0);
    // The table and summary of the run stay; its index says why and where.
    expect(existsSync(join(out, 'data', 'demo', runs[0]!.id, 'rows-0.json.gz'))).toBe(true);
    const index = JSON.parse(readFileSync(join(out, 'data', 'demo', runs[0]!.id, 'index.json'), 'utf8'));
    expect(index.ids).toHaveLength(300);
    expect(index.omitted).toEqual({
      reason: expect.stringMatching(
        /^left out to keep the site under its [\d.]+ MB budget \(site\.budgetMegabytes in labbook\.config\.yaml\)$/,
      ),
      url: `https://github.com/acme/agent/tree/labbook-data/experiments/demo/runs/${runs[0]!.id}`,
    });
    expect(outcome.message).toMatch(new RegExp(`the trace detail of the 1 oldest run is left out \\(demo/${runs[0]!.id}\\)`));
  });

  it('touches nothing within budget', async () => {
    const { out, runs, budgetRuns } = await builtSite();
    const outcome = await applySiteBudget(out, budgetRuns, 1e9);
    expect(outcome.omitted).toEqual([]);
    expect(outcome.message).toMatch(/^site size [\d.]+ MB, within its 1000\.0 MB budget$/);
    for (const run of runs) expect(chunksOf(out, run.id).length).toBeGreaterThan(0);
  });
});
