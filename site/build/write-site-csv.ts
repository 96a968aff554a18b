import { join } from 'node:path';
import { reducedValues } from '#lib/annotations/summarize-annotations.ts';
import { type AnnotationSource, writeSiteCsvFiles } from '#lib/export/export-csv.ts';
import type { TraceColumnScan } from '#lib/export/traces-csv.ts';
import type { SiteSource } from '#site/view/site-source.ts';
import { runAnnotationSummary } from '#site/view/site-annotations.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

/** The data folder's CSV files on the site, relative to its root: `data/<experiment>/runs.csv`, `data/<experiment>/<run>/traces.csv`. */
interface SiteCsvResult {
  paths: string[];
  warnings: string[];
}

/**
 * Writes the site's static CSV downloads under `<siteRoot>/data/`, next to each run's data
 * files (see runDataPaths and experimentDataPaths): every experiment's runs and every run's
 * traces with a column per score and per annotation (the annotations the site already read,
 * so a bad annotation file is reported once). A run whose traces cannot be read gets no file
 * and a warning; a failure of the whole export costs only the downloads, never the site.
 */
export async function writeSiteCsv(
  site: SiteSource,
  siteRoot: string,
  options: { reused?: ReadonlySet<string>; scanned?: ReadonlyMap<string, TraceColumnScan> } = {},
): Promise<SiteCsvResult> {
  const annotations: AnnotationSource = async (run) => {
    const experiment = site.experiments.find((e) => e.name === run.experiment);
    if (!experiment) return undefined;
    const values = reducedValues(runAnnotationSummary(experiment.annotations, run.id));
    return values.names.length > 0 ? values : undefined;
  };
  try {
    const { files, skipped } = await writeSiteCsvFiles(site.dataDir, join(siteRoot, 'data'), {
      annotations,
      reused: options.reused,
      scanned: options.scanned,
    });
    return {
      paths: files.map((f) => `data/${f.path}`),
      warnings: skipped.map((s) => `${s.what} not written: ${s.reason}`),
    };
  } catch (error) {
    return { paths: [], warnings: [`CSV downloads not written: ${errorMessage(error)}`] };
  }
}
