/**
 * Site-relative paths of every page (no leading slash). Pages and scripts prefix them with the
 * base path through `withBase`, so a project site under `/repo/` links correctly.
 * Experiment and run names match NAME_PATTERN, so they need no escaping; trace ids do.
 */
export const paths = {
  home: () => '',
  experiment: (experiment: string) => `experiments/${experiment}/`,
  run: (experiment: string, run: string) => `experiments/${experiment}/runs/${run}/`,
  traces: (experiment: string, run: string) => `experiments/${experiment}/runs/${run}/#traces`,
  trace: (experiment: string, run: string, traceId: string, spanId?: string) =>
    `experiments/${experiment}/runs/${run}/trace/?id=${encodeURIComponent(traceId)}${spanId ? `&span=${encodeURIComponent(spanId)}` : ''}`,
  queue: (experiment: string, queue: string) => `experiments/${experiment}/queues/${queue}/`,
  compare: (runIds: readonly string[]) => `compare/${runIds.length > 0 ? `?runs=${runIds.map(encodeURIComponent).join(',')}` : ''}`,
};

/** Joins the base path (with or without a trailing slash) and a site-relative path. */
export function withBase(base: string, path: string): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return `${prefix}${path.replace(/^\/+/, '')}`;
}
