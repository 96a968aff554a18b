/**
 * Links into the static site, when its address is known. The routes follow the site's layout
 * (`<experiment>/runs/<id>/`, `<experiment>/compare/?runs=a,b`).
 */
export interface SiteLinks {
  run(experiment: string, runId: string): string | null;
  compare(experiment: string, runIds: string[]): string | null;
}

export function siteLinks(siteUrl: string | null): SiteLinks {
  const base = siteUrl ? (siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`) : null;
  return {
    run: (experiment, runId) => (base ? `${base}${encodeURIComponent(experiment)}/runs/${encodeURIComponent(runId)}/` : null),
    compare: (experiment, runIds) => (base ? `${base}${encodeURIComponent(experiment)}/compare/?runs=${runIds.map(encodeURIComponent).join(',')}` : null),
  };
}
