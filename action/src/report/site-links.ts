import { paths, withBase } from '#site/view/site-paths.ts';

/** Links into the static site, when its address is known; the site's own paths decide the routes. */
export interface SiteLinks {
  run(experiment: string, runId: string): string | null;
  compare(experiment: string, runIds: string[]): string | null;
}

export function siteLinks(siteUrl: string | null): SiteLinks {
  return {
    run: (experiment, runId) => (siteUrl ? withBase(siteUrl, paths.run(experiment, runId)) : null),
    compare: (_experiment, runIds) => (siteUrl ? withBase(siteUrl, paths.compare(runIds)) : null),
  };
}
