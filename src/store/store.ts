import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { AmbiguousReferenceError, FileFormatError, LabbookError, NotFoundError } from '../errors/index.ts';
import { runDir, runsDir } from './layout.ts';
import { NAME_PATTERN } from '../../schemas/names.ts';
import { listExperiments } from './experiments.ts';
import { namedFoldersHolding } from './named-folders.ts';
import { readRunManifest } from './run-reader.ts';
import { assertName } from './names.ts';

/** Run ids of an experiment, oldest first (ids sort by creation time). */
export function listRunIds(dataDir: string, experiment: string): Promise<string[]> {
  return namedFoldersHolding(runsDir(dataDir, experiment), 'run.json');
}

/** Manifests of an experiment's runs, oldest first. */
/**
 * The experiment's runs' manifests, oldest first. A run.json that cannot be read throws, unless
 * `onError` is given: it is then reported there and the run left out, so one bad run costs
 * only itself.
 */
export async function listRuns(
  dataDir: string,
  experiment: string,
  options: { onError?: (error: LabbookError) => void } = {},
): Promise<RunManifest[]> {
  const ids = await listRunIds(dataDir, experiment);
  const manifests = await Promise.all(
    ids.map((id) =>
      readRunManifest(runDir(dataDir, experiment, id)).catch((error: unknown) => {
        if (!options.onError || !(error instanceof LabbookError)) throw error;
        options.onError(error);
        return null;
      }),
    ),
  );
  return manifests.filter((manifest) => manifest !== null);
}

interface RunLocation {
  experiment: string;
  runId: string;
  dir: string;
}

/** The ways `locateRun` takes a run, as every message and usage text that takes one says them. */
export const RUN_REFERENCE_FORMS =
  'its id, a unique prefix or suffix of it (6+ characters), its name when unique, any of these as <experiment>/<run>, or its folder (<data>/<experiment>/runs/<id>)';

/** How many candidates an ambiguous run id lists. */
const CANDIDATES_SHOWN = 8;

/**
 * Finds a run, as the README promises: by its full id; else by a unique prefix or suffix of an id
 * (at least 6 characters, as `git` does with commits); else by the run's name (`--name`, by
 * default its config's name) when exactly one run has it. Any of these may be qualified as
 * `experiment/ref`, the form an ambiguous reference lists its candidates in; and a run's folder
 * (`experiments/<experiment>/runs/<id>`, as `labbook run` prints it, or as a shell completes it)
 * names its run too.
 */
export async function locateRun(dataDir: string, runId: string): Promise<RunLocation> {
  if (typeof runId !== 'string' || runId.length === 0) assertName('run', String(runId ?? ''));
  const experiments = await listExperiments(dataDir);
  const runsOf = async (names: readonly string[]) => {
    const all: RunLocation[] = [];
    for (const experiment of names) {
      for (const id of await listRunIds(dataDir, experiment)) all.push({ experiment, runId: id, dir: runDir(dataDir, experiment, id) });
    }
    return all;
  };
  const ref = parseRunRef(runId);
  if (ref === undefined || (ref.experiment !== undefined && !experiments.includes(ref.experiment))) {
    // Not `experiment/ref` nor a folder of an experiment that exists: a run's name may hold
    // slashes ("gpt-4o/t0"), so it is looked for as a name before the reference is refused.
    const { named, unreadable } = await runsNamed(await runsOf(experiments), runId);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) throw ambiguous(runId, named, 'runs of that name; give an id');
    throw notFoundByName(
      runId,
      unreadable,
      ref === undefined
        ? `a run is named by ${RUN_REFERENCE_FORMS}`
        : `no experiment "${ref.experiment}" under ${dataDir}, and no run of that name; "labbook ls" lists them`,
    );
  }
  const all = await runsOf(ref.experiment === undefined ? experiments : [ref.experiment]);
  if (ref.folder !== undefined) {
    const found = all.find((run) => run.runId === ref.id);
    if (!found)
      throw new NotFoundError(
        'run',
        runId,
        `no run ${ref.experiment}/${ref.id} under ${dataDir}; "labbook ls ${ref.experiment}" lists them`,
      );
    if (isAbsolute(ref.folder) && !sameFolder(ref.folder, found.dir)) {
      throw new NotFoundError('run', runId, `that folder is not in the data folder ${dataDir} (--data <folder> reads another)`);
    }
    return found;
  }
  const { id } = ref;
  const exact = all.filter((run) => run.runId === id);
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1) throw ambiguous(runId, exact, 'runs of that id in several experiments');
  if (id.length >= 6 && NAME_PATTERN.test(id)) {
    const partial = all.filter((run) => run.runId.startsWith(id) || run.runId.endsWith(id));
    if (partial.length === 1) return partial[0]!;
    if (partial.length > 1) throw ambiguous(runId, partial, 'ids that start or end with it');
  }
  const { named, unreadable } = await runsNamed(all, id);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw ambiguous(runId, named, 'runs of that name; give an id');
  const hint = id.length < 6 && NAME_PATTERN.test(id) ? 'a part of an id needs at least 6 characters; ' : '';
  const where = ref.experiment === undefined ? dataDir : `experiment "${ref.experiment}"`;
  throw notFoundByName(runId, unreadable, `${hint}no run has that id, id prefix or suffix, or name in ${where}; "labbook ls" lists them`);
}

interface UnreadableRun {
  run: RunLocation;
  error: unknown;
}

/**
 * The runs among `runs` whose name (`--name`, by default the config's name) is `name`, and the
 * runs whose run.json could not be read (their name is unknown: one of them may be the run).
 */
async function runsNamed(runs: readonly RunLocation[], name: string): Promise<{ named: RunLocation[]; unreadable: UnreadableRun[] }> {
  const named: RunLocation[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const run of runs) {
    try {
      if ((await readRunManifest(run.dir)).name === name) named.push(run);
    } catch (error) {
      unreadable.push({ run, error });
    }
  }
  return { named, unreadable };
}

/**
 * No readable run matched `ref`. A run whose run.json cannot be read may be the one meant: when
 * its id carries the name (ids are `<time>-<name>-<hex>`), its own error is the answer, naming
 * the file, line and what is wrong, rather than "not found"; other unreadable runs are counted
 * in the hint.
 */
function notFoundByName(ref: string, unreadable: readonly UnreadableRun[], hint: string): LabbookError {
  const likely = unreadable.find(({ run }) => run.runId.includes(`-${ref}-`));
  if (likely) {
    const why = `so run "${ref}" cannot be found by its name; "labbook validate" checks every file`;
    const { error } = likely;
    return error instanceof FileFormatError
      ? new FileFormatError(error.location, `${error.detail} (${why})`, { cause: error })
      : new LabbookError(`${error instanceof Error ? error.message : String(error)} (${why})`, { cause: error });
  }
  if (unreadable.length === 0) return new NotFoundError('run', ref, hint);
  const first = unreadable[0]!.error;
  const count = unreadable.length === 1 ? 'a run.json' : `${unreadable.length} run.json files`;
  return new NotFoundError(
    'run',
    ref,
    `${hint}; ${count} could not be read, so a run of that name may be there: ${first instanceof Error ? first.message : String(first)}`,
  );
}

interface RunRef {
  /** The id, part of one, or name looked for. */
  id: string;
  /** Only this experiment's runs are looked at. */
  experiment?: string;
  /** The reference is a run's folder: `id` is its exact id. */
  folder?: string;
}

/**
 * `ref`, `experiment/ref`, or a run folder `…/<experiment>/runs/<id>` (a trailing slash
 * allowed); undefined for another shape with slashes, which only a run's name can have.
 */
function parseRunRef(ref: string): RunRef | undefined {
  const parts = ref.split(/[\\/]+/);
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length === 1) return { id: parts[0]! };
  if (parts.length >= 3 && parts.at(-2) === 'runs') return { experiment: parts.at(-3)!, id: parts.at(-1)!, folder: ref };
  if (parts.length === 2 && parts[0] !== '' && parts[0] !== '.' && parts[0] !== '..') return { experiment: parts[0], id: parts[1]! };
  return undefined;
}

function sameFolder(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

function ambiguous(runId: string, candidates: RunLocation[], what: string): AmbiguousReferenceError {
  const all = candidates.map((c) => `${c.experiment}/${c.runId}`);
  const more = candidates.length > CANDIDATES_SHOWN ? ` and ${candidates.length - CANDIDATES_SHOWN} more` : '';
  return new AmbiguousReferenceError(
    runId,
    all,
    `run "${runId}" is ambiguous: ${candidates.length} ${what}: ${all.slice(0, CANDIDATES_SHOWN).join(', ')}${more}`,
  );
}

/** Finds a run as `locateRun` does and reads its manifest. */
export async function findRun(dataDir: string, runId: string): Promise<RunLocation & { manifest: RunManifest }> {
  const location = await locateRun(dataDir, runId);
  return { ...location, manifest: await readRunManifest(location.dir) };
}
