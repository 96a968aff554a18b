import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { experimentSchema, type Experiment } from '../../schemas/experiment.ts';
import { FileFormatError, NotFoundError } from '../errors/index.ts';
import { describeZodIssue } from '../json/zod-issue.ts';
import { experimentFile } from './layout.ts';
import { namedFoldersHolding } from './named-folders.ts';
import { parseYamlMapping } from './yaml.ts';
import { yamlPathPositions } from './yaml-path-positions.ts';

/** The experiments under a data folder, by name (folders that hold an `experiment.yaml`). */
export function listExperiments(dataDir: string): Promise<string[]> {
  return namedFoldersHolding(dataDir, 'experiment.yaml');
}

export async function readExperiment(dataDir: string, name: string): Promise<Experiment> {
  const file = experimentFile(dataDir, name);
  if (!existsSync(file)) {
    const known = await listExperiments(dataDir);
    throw new NotFoundError(
      'experiment',
      name,
      `no ${file}; ${known.length > 0 ? `experiments: ${known.join(', ')}` : 'there are none yet ("labbook init" makes one)'}`,
    );
  }
  const text = await readFile(file, 'utf8');
  const raw = parseYamlMapping(text, file);
  const result = experimentSchema.safeParse(raw);
  if (!result.success) {
    // The first problem, where it is; the count of the others, so a fix is not met by the next.
    const [issue, ...others] = result.error.issues;
    const more = others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'} in this file)` : '';
    throw new FileFormatError(
      { file, ...(await yamlPathPositions(text))(issue!.path), field: issue!.path.join('.') || undefined },
      `${describeZodIssue(issue!, raw)}${more}`,
    );
  }
  if (result.data.name !== name) {
    throw new FileFormatError({ file, field: 'name' }, `is "${result.data.name}" but the folder is "${name}"`);
  }
  return result.data;
}
