import { LabbookError } from '../errors/index.ts';
import type { AnnotateOptions } from './annotate-target.ts';
import type { SiteSource } from './load-site.ts';
import type { RepoRef } from './repo-links.ts';
import type { SiteDataSummary } from './write-site-data.ts';

/** Everything the pages render from, produced once per build by the data pass. */
export interface SiteModel {
  site: SiteSource;
  data: SiteDataSummary;
  siteRepo: RepoRef | null;
  /** Where the annotation form proposes new files. */
  annotate: AnnotateOptions;
  /** Site-relative paths of the CSV downloads the build wrote. */
  downloads: ReadonlySet<string>;
}

/*
 * The Astro integration runs the data pass and the pages read its result. They live in the
 * same process but not in the same module graph (Vite bundles the pages separately), so a
 * module-level variable would not be shared; a registered symbol on globalThis is.
 */
const KEY = Symbol.for('labbook.site-model');

export function publishSiteModel(model: SiteModel): void {
  (globalThis as Record<symbol, unknown>)[KEY] = model;
}

export function siteModel(): SiteModel {
  const model = (globalThis as Record<symbol, unknown>)[KEY] as SiteModel | undefined;
  if (!model) throw new LabbookError('the site data pass has not run; build the site with "labbook site build"');
  return model;
}
