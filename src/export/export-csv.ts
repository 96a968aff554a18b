import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type ExperimentHandle, type RunHandle } from '../store/open-store.ts';
import { listExperiments } from '../store/experiments.ts';
import { LabbookError, NotFoundError } from '../errors/index.ts';
import { toCsv, unparse, UTF8_BOM, type CsvCell } from './csv.ts';
import { runsCsvRows, type RunCsvInput } from './runs-csv.ts';
import { TraceColumnScan, traceCsvHeader, traceCsvRow, type TraceAnnotations } from './traces-csv.ts';
import { writeText, type TextTarget } from '../store/text-target.ts';
import { errorMessage } from '../errors/error-message.ts';

interface CsvFileOptions {
  /** Start the file with a UTF-8 BOM for Excel. */
  excel?: boolean;
}

/**
 * Where annotation columns come from: given a run, the reduced annotation values of its traces
 * (see `TraceAnnotations`), or undefined for none. The CLI passes the experiment's annotation
 * files through it; without one, traces CSVs have no annotation columns.
 */
export type AnnotationSource = (run: RunHandle) => Promise<TraceAnnotations | undefined>;

/** Rows per chunk when streaming a traces CSV: large enough to amortise, small enough to stay flat. */
const CHUNK_ROWS = 1000;

/**
 * What a reader skipped and why (a bad `run.json`, an invalid or duplicate trace line), each
 * naming its file and line: the export goes on without it and the caller says so.
 */
type OnSkipped = (error: LabbookError) => void;

/**
 * Writes an experiment's runs CSV (one row per run) to `to` (a file atomically, or a sink);
 * returns the number of runs.
 */
export async function exportRunsCsv(
  dataDir: string,
  experiment: string,
  to: TextTarget,
  options: CsvFileOptions & { onSkipped?: OnSkipped } = {},
): Promise<number> {
  const rows = await experimentRunsCsvRows(dataDir, experiment, options.onSkipped);
  await writeText(to, [toCsv(rows, options)]);
  return rows.length - 1;
}

/** The runs CSV rows of an experiment, reading each run's manifest, metrics and config model. */
async function experimentRunsCsvRows(dataDir: string, experiment: string, onSkipped?: OnSkipped): Promise<CsvCell[][]> {
  const handle = await openStore(dataDir).experiment(experiment);
  const inputs: RunCsvInput[] = [];
  for (const run of await handle.runs({ onError: onSkipped })) {
    const metrics = run.manifest.status === 'running' ? null : await run.metrics().catch(() => null);
    const model = await run.config().then(
      (config) => (typeof config.model === 'string' ? config.model : null),
      () => null,
    );
    inputs.push({ manifest: run.manifest, metrics, model });
  }
  return runsCsvRows(inputs);
}

interface TracesCsvOptions extends CsvFileOptions {
  /** When given, the run must belong to this experiment. */
  experiment?: string;
  annotations?: AnnotationSource;
  /**
   * Given, an invalid trace line or a repeated trace id is reported here and left out (the
   * first trace of an id is kept, as `validate` and the metrics do). Without it, it throws
   * before the file appears.
   */
  onSkipped?: OnSkipped;
}

/**
 * Writes a run's traces CSV (one row per trace) to `to` (a file atomically, or a sink); returns
 * the number of traces.
 * Streams `traces.jsonl` twice, once for the score columns and once for the rows, so memory
 * stays flat for any run size.
 */
export async function exportTracesCsv(dataDir: string, runId: string, to: TextTarget, options: TracesCsvOptions = {}): Promise<number> {
  const run = await openRun(dataDir, runId, options.experiment);
  let count = 0;
  await writeText(
    to,
    countRows(traceCsvChunks(run, options), (n) => (count = n)),
  );
  return count;
}

async function* countRows(chunks: AsyncIterable<{ text: string; rows: number }>, done: (rows: number) => void): AsyncGenerator<string> {
  let rows = 0;
  for await (const chunk of chunks) {
    rows += chunk.rows;
    yield chunk.text;
  }
  done(rows);
}

/**
 * The text of a run's traces CSV in chunks of rows. Joined, the chunks equal
 * `toCsv(traceCsvRows(traces))`: the same header, cells and line ends.
 */
async function* traceCsvChunks(
  run: RunHandle,
  options: Omit<TracesCsvOptions, 'experiment'> & { scanned?: TraceColumnScan } = {},
): AsyncGenerator<{ text: string; rows: number }> {
  const annotations = options.annotations ? await options.annotations(run) : undefined;
  // Both passes skip the same lines; only the first reports them. A caller that already read
  // every trace of the run (the site's data pass) hands its scan over: one pass, not two.
  const reportingPass = { uniqueIds: true, ...(options.onSkipped ? { onError: options.onSkipped } : {}) };
  const quietPass = { uniqueIds: true, ...(options.onSkipped ? { onError: () => {} } : {}) };
  let scan = options.scanned;
  if (!scan) {
    scan = new TraceColumnScan();
    for await (const trace of run.traces(reportingPass)) scan.add(trace);
  }
  const columns = scan.columns(annotations);
  let batch: CsvCell[][] = [traceCsvHeader(columns)];
  let first = true;
  const flush = () => {
    const text = (first ? (options.excel ? UTF8_BOM : '') : '\r\n') + unparse(batch);
    const rows = first ? batch.length - 1 : batch.length;
    first = false;
    batch = [];
    return { text, rows };
  };
  for await (const trace of run.traces(quietPass)) {
    batch.push(traceCsvRow(trace, columns, annotations));
    if (batch.length >= CHUNK_ROWS) yield flush();
  }
  if (batch.length > 0 || first) yield flush();
}

/** Finds a run, checking it belongs to the experiment when one is named. */
async function openRun(dataDir: string, runId: string, experiment?: string): Promise<RunHandle> {
  const store = openStore(dataDir);
  if (experiment !== undefined) await store.experiment(experiment); // a clear error for an unknown experiment
  const run = await store.run(runId);
  if (experiment !== undefined && run.experiment !== experiment) {
    throw new NotFoundError('run', runId, `it belongs to experiment "${run.experiment}", not "${experiment}"`);
  }
  return run;
}

/** A CSV file written for the site, relative to the output folder. */
interface SiteCsvFile {
  experiment: string;
  /** Set for a run's traces CSV; absent for the experiment's runs CSV. */
  run?: string;
  /** Path under `outDir`, with `/` separators: `<experiment>/runs.csv`, `<experiment>/<run>/traces.csv`. */
  path: string;
}

/** A download the site goes without, named as the warning says it (`the traces.csv of run <id>`), and why. */
interface SkippedDownload {
  what: string;
  reason: string;
}

/**
 * The static CSV downloads of the site, written at build time: every experiment's runs CSV at
 * `<experiment>/runs.csv` and every run's traces CSV at `<experiment>/<run>/traces.csv`
 * under `outDir`. A run whose traces cannot be read is skipped and reported in `skipped`; the
 * other files are still written.
 */
export async function writeSiteCsvFiles(
  dataDir: string,
  outDir: string,
  options: {
    annotations?: AnnotationSource;
    reused?: ReadonlySet<string>;
    /** Each run's columns, scanned by a pass that read its traces already (by `<experiment>/<run>`). */
    scanned?: ReadonlyMap<string, TraceColumnScan>;
  } = {},
): Promise<{ files: SiteCsvFile[]; skipped: SkippedDownload[] }> {
  const store = openStore(dataDir);
  const files: SiteCsvFile[] = [];
  const skipped: SkippedDownload[] = [];
  for (const name of await listExperiments(store.dataDir)) {
    // One bad experiment.yaml or run.json costs its own downloads, never the others'.
    let experiment: ExperimentHandle;
    try {
      experiment = await store.experiment(name);
    } catch (error) {
      skipped.push({ what: `the CSV files of experiment ${name}`, reason: errorMessage(error) });
      continue;
    }
    const runsPath = `${experiment.name}/runs.csv`;
    const onSkippedRun: OnSkipped = (error) => skipped.push({ what: `a run's row in ${runsPath}`, reason: error.message });
    await exportRunsCsv(dataDir, experiment.name, join(outDir, runsPath), { onSkipped: onSkippedRun });
    files.push({ experiment: experiment.name, path: runsPath });
    for (const run of await experiment.runs({ onError: () => {} })) {
      const path = `${experiment.name}/${run.id}/traces.csv`;
      try {
        const target = join(outDir, path);
        // A run whose folder the site cache restored has its traces.csv already.
        if (options.reused?.has(run.id) && existsSync(target)) {
          files.push({ experiment: experiment.name, run: run.id, path });
          continue;
        }
        // A bad trace line is left out of the download (the run page reports it), not fatal to it.
        const scanned = options.scanned?.get(`${experiment.name}/${run.id}`);
        await writeText(
          target,
          countRows(
            traceCsvChunks(run, { annotations: options.annotations, onSkipped: () => {}, ...(scanned ? { scanned } : {}) }),
            () => {},
          ),
        );
        files.push({ experiment: experiment.name, run: run.id, path });
      } catch (error) {
        skipped.push({ what: `the traces.csv of run ${run.id}`, reason: errorMessage(error) });
      }
    }
  }
  return { files, skipped };
}
