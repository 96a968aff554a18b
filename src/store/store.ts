import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { experimentSchema, type Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { FileFormatError, NotFoundError } from '../errors/index.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import { experimentFile, runDir, runsDir } from './layout.ts';
import { NAME_PATTERN } from '../../schemas/names.ts';
import { readRunManifest } from './run-reader.ts';
import { parseYamlMapping } from './yaml.ts';
import { assertName } from './names.ts';

/** The experiments under a data folder, by name (folders that hold an `experiment.yaml`). */
export async function listExperiments(dataDir: string): Promise<string[]> {
  if (!existsSync(dataDir)) return [];
  const entries = await readdir(dataDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && NAME_PATTERN.test(e.name) && existsSync(join(dataDir, e.name, 'experiment.yaml')))
    .map((e) => e.name)
    .sort();
}

export async function readExperiment(dataDir: string, name: string): Promise<Experiment> {
  const file = experimentFile(dataDir, name);
  if (!existsSync(file)) throw new NotFoundError('experiment', name, `no ${file}`);
  const raw = parseYamlMapping(await readFile(file, 'utf8'), file);
  const result = experimentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new FileFormatError({ file, field: issue.path.join('.') || undefined }, describeZodIssue(issue, raw));
  }
  if (result.data.name !== name) {
    throw new FileFormatError({ file, field: 'name' }, `is "${result.data.name}" but the folder is "${name}"`);
  }
  return result.data;
}

/** Run ids of an experiment, oldest first (ids sort by creation time). */
export async function listRunIds(dataDir: string, experiment: string): Promise<string[]> {
  const dir = runsDir(dataDir, experiment);
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && NAME_PATTERN.test(e.name) && existsSync(join(dir, e.name, 'run.json')))
    .map((e) => e.name)
    .sort();
}

/** Manifests of an experiment's runs, oldest first. */
export async function listRuns(dataDir: string, experiment: string): Promise<RunManifest[]> {
  const ids = await listRunIds(dataDir, experiment);
  return Promise.all(ids.map((id) => readRunManifest(runDir(dataDir, experiment, id))));
}

export interface RunLocation {
  experiment: string;
  runId: string;
  dir: string;
}

/** How many candidates an ambiguous run id lists. */
const CANDIDATES_SHOWN = 8;

/**
 * Finds a run in any experiment, as the README promises: by its full id; else by a unique prefix
 * or suffix of an id (at least 6 characters, as `git` does with commits); else by the run's name
 * (`--name`, by default its config's name) when exactly one run has it. An ambiguous reference
 * lists its candidates as `experiment/id`, so the user can pick one without `--experiment`.
 */
export async function locateRun(dataDir: string, runId: string): Promise<RunLocation> {
  if (typeof runId !== 'string' || runId.length === 0) assertName('run', String(runId ?? ''));
  const all: RunLocation[] = [];
  for (const experiment of await listExperiments(dataDir)) {
    for (const id of await listRunIds(dataDir, experiment)) all.push({ experiment, runId: id, dir: runDir(dataDir, experiment, id) });
  }
  const exact = all.filter((run) => run.runId === runId);
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1) throw ambiguous(runId, exact, 'runs of that id in several experiments');
  if (runId.length >= 6 && NAME_PATTERN.test(runId)) {
    const partial = all.filter((run) => run.runId.startsWith(runId) || run.runId.endsWith(runId));
    if (partial.length === 1) return partial[0]!;
    if (partial.length > 1) throw ambiguous(runId, partial, 'ids that start or end with it');
  }
  const named: RunLocation[] = [];
  for (const run of all) {
    const manifest = await readRunManifest(run.dir).catch(() => null); // validate reports unreadable runs
    if (manifest?.name === runId) named.push(run);
  }
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw ambiguous(runId, named, 'runs of that name; give an id');
  const hint = runId.length < 6 && NAME_PATTERN.test(runId) ? 'a part of an id needs at least 6 characters; ' : '';
  throw new NotFoundError(
    'run',
    runId,
    `${hint}no run has that id, id prefix or suffix, or name under ${dataDir}; "labbook ls" lists them`,
  );
}

function ambiguous(runId: string, candidates: RunLocation[], what: string): NotFoundError {
  const shown = candidates.slice(0, CANDIDATES_SHOWN).map((c) => `${c.experiment}/${c.runId}`);
  const more = candidates.length > CANDIDATES_SHOWN ? ` and ${candidates.length - CANDIDATES_SHOWN} more` : '';
  return new NotFoundError('run', runId, `ambiguous: ${candidates.length} ${what}: ${shown.join(', ')}${more}`);
}

/** Finds a run as `locateRun` does and reads its manifest. */
export async function findRun(dataDir: string, runId: string): Promise<RunLocation & { manifest: RunManifest }> {
  const location = await locateRun(dataDir, runId);
  return { ...location, manifest: await readRunManifest(location.dir) };
}
