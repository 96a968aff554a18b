import type { AnnotateOptions } from './annotate-target.ts';
import type { RepoRef } from './repo-links.ts';
import type { SiteDataSummary, SiteSource } from './site-source.ts';

/**
 * Everything the pages render from, produced once per build by the data pass and handed to
 * them as the virtual module `virtual:labbook/site` (see site/build/site-model-module.ts).
 */
export interface SiteModel {
  site: SiteSource;
  data: SiteDataSummary;
  siteRepo: RepoRef | null;
  /** Where the annotation form proposes new files. */
  annotate: AnnotateOptions;
  /** Site-relative paths of the CSV downloads the build wrote. */
  downloads: ReadonlySet<string>;
  /** Where drawn charts are kept between builds (src/charts/chart-svg-cache.ts); null without a site cache. */
  chartCache?: string | null;
}
