import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { version as vegaLiteVersion } from 'vega-lite';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { TOOL_VERSION } from '../store/version.ts';
import { renderVegaLiteSvg } from './vega-svg.ts';

/**
 * Static charts kept between site builds (`<site cache>/.charts/<key>.svg`), keyed by the spec
 * and the versions that draw it: a rebuild draws only the charts whose data changed (a new run's,
 * the experiment's trends) instead of every run's again: vega's parse, dataflow and SVG
 * serialisation were about a tenth of a rebuild. A file used by a build is touched, so
 * `pruneChartSvgCache` can drop the ones no page drew. The cache is never the only copy of
 * anything, and a cache that cannot be read or written costs time, never the chart.
 */
export async function cachedVegaLiteSvg(spec: TopLevelSpec, dir: string | null): Promise<string> {
  if (!dir) return renderVegaLiteSvg(spec);
  const key = createHash('sha256')
    .update(JSON.stringify({ tool: TOOL_VERSION, vega: vega.version, vegaLite: vegaLiteVersion, spec }))
    .digest('hex')
    .slice(0, 32);
  const file = join(dir, `${key}.svg`);
  try {
    const svg = await readFile(file, 'utf8');
    if (svg.startsWith('<svg')) {
      const now = new Date();
      await utimes(file, now, now).catch(() => {});
      return svg;
    }
  } catch {
    // Not drawn before (or unreadable): drawn now.
  }
  const svg = await renderVegaLiteSvg(spec);
  await writeFileAtomic(file, svg).catch(() => {});
  return svg;
}

/** Removes the cached charts no page drew since `since` (ms since the epoch); returns how many. */
export async function pruneChartSvgCache(dir: string, since: number): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.svg')) continue;
    const file = join(dir, name);
    const modified = await stat(file).then(
      (s) => s.mtimeMs,
      () => Infinity,
    );
    if (modified < since) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
