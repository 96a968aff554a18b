import { FileFormatError } from '#lib/errors/index.ts';
import { findConfigFile } from '#lib/store/storage-settings.ts';
import { readProjectConfig } from '#lib/store/project-config.ts';
import { DEFAULT_SITE_BUDGET_BYTES } from './site-budget.ts';

/**
 * `site.budgetMegabytes` in the nearest labbook.config.yaml: the most the built site may hold
 * before the oldest runs' trace detail is left out (default 900, under GitHub Pages' 1 GB).
 */
export async function readSiteBudget(fromDir: string): Promise<number> {
  const file = findConfigFile(fromDir);
  if (!file) return DEFAULT_SITE_BUDGET_BYTES;
  const site = (await readProjectConfig(file)).site;
  if (site === undefined || site === null) return DEFAULT_SITE_BUDGET_BYTES;
  if (typeof site !== 'object' || Array.isArray(site))
    throw new FileFormatError({ file, field: 'site' }, 'must be a mapping (budgetMegabytes: 900)');
  const value = (site as Record<string, unknown>).budgetMegabytes;
  if (value === undefined) return DEFAULT_SITE_BUDGET_BYTES;
  if (typeof value !== 'number' || !(value > 0))
    throw new FileFormatError(
      { file, field: 'site.budgetMegabytes' },
      `must be a number of megabytes above 0, got ${JSON.stringify(value)}`,
    );
  return Math.round(value * 1000 * 1000);
}
