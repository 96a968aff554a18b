import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { cachedVegaLiteSvg, pruneChartSvgCache } from './chart-svg-cache.ts';
import { renderVegaLiteSvg } from './vega-svg.ts';

const bars = (values: number[]): TopLevelSpec => ({
  data: { values: values.map((v, i) => ({ x: `run ${i}`, y: v })) },
  mark: 'bar',
  encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } },
});

describe('the chart cache of site builds', () => {
  it('draws a chart once, serves it from the folder after, and draws again when the data changes', async () => {
    const dir = tempDir('labbook-chart-cache-');
    const first = await cachedVegaLiteSvg(bars([1, 2]), dir);
    expect(first).toBe(await renderVegaLiteSvg(bars([1, 2])));
    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe(first);
    // What the folder holds is what a rebuild gets: proof it was not drawn again.
    writeFileSync(join(dir, file!), '<svg data-from-cache="yes"></svg>');
    expect(await cachedVegaLiteSvg(bars([1, 2]), dir)).toBe('<svg data-from-cache="yes"></svg>');
    expect(await cachedVegaLiteSvg(bars([1, 3]), dir)).toBe(await renderVegaLiteSvg(bars([1, 3])));
    expect(readdirSync(dir)).toHaveLength(2);
    // A file that is not a chart is drawn over; no folder at all just draws.
    writeFileSync(join(dir, file!), 'garbage');
    expect(await cachedVegaLiteSvg(bars([1, 2]), dir)).toBe(first);
    expect(await cachedVegaLiteSvg(bars([1, 2]), null)).toBe(first);
  });

  it('prunes the charts no build drew since it started, keeping the ones it served', async () => {
    const dir = tempDir('labbook-chart-cache-');
    await cachedVegaLiteSvg(bars([1]), dir);
    await cachedVegaLiteSvg(bars([2]), dir);
    const long = new Date(Date.now() - 3_600_000);
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), long, long);
    const started = Date.now() - 1000;
    await cachedVegaLiteSvg(bars([1]), dir); // served from the folder, so touched
    expect(await pruneChartSvgCache(dir, started)).toBe(1);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(await cachedVegaLiteSvg(bars([1]), dir)).toBe(await renderVegaLiteSvg(bars([1])));
  });
});
