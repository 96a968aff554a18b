import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { experimentSchema, type Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { FileFormatError, NotFoundError } from '../errors/index.ts';
import { describeZodIssue } from './zod-issue.ts';
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

/**
 * Finds a run by id in any experiment. A unique prefix of an id (at least 6 characters) also
 * works, as `git` does with commits; the error lists close ids.
 */
export async function locateRun(dataDir: string, runId: string): Promise<RunLocation> {
  if (runId.length >= 6 && NAME_PATTERN.test(runId)) {
    const matches: RunLocation[] = [];
    for (const experiment of await listExperiments(dataDir)) {
      for (const id of await listRunIds(dataDir, experiment)) {
        if (id === runId) return { experiment, runId: id, dir: runDir(dataDir, experiment, id) };
        if (id.startsWith(runId) || id.endsWith(runId)) matches.push({ experiment, runId: id, dir: runDir(dataDir, experiment, id) });
      }
    }
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new NotFoundError('run', runId, `ambiguous: ${matches.slice(0, 5).map((m) => m.runId).join(', ')}`);
    }
  } else {
    assertName('run', runId);
  }
  throw new NotFoundError('run', runId, `no such run under ${dataDir}; "labbook ls" lists them`);
}

/** Finds a run by id (or unique prefix/suffix) and reads its manifest. */
export async function findRun(dataDir: string, runId: string): Promise<RunLocation & { manifest: RunManifest }> {
  const location = await locateRun(dataDir, runId);
  return { ...location, manifest: await readRunManifest(location.dir) };
}
