import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deploymentSchema, type Deployment } from '../../schemas/deployment.ts';
import { deploymentsDir } from '../store/layout.ts';
import { readJsonFile } from '../store/run-reader.ts';
import { newRunId } from '../store/run-id.ts';

/**
 * Writes one deployment attempt as its own new file, `deployments/<id>.json`: recording never
 * rewrites another record, so concurrent deploys and the data pushes around them cannot conflict.
 * Returns the file's path relative to the data folder.
 */
export async function writeDeploymentRecord(
  dataDir: string,
  record: Omit<Deployment, 'id' | 'schemaVersion'>,
  now = new Date(),
): Promise<{ file: string; relativePath: string; deployment: Deployment }> {
  const deployment = deploymentSchema.parse({ schemaVersion: 1, id: newRunId(record.environment, now), ...record });
  const dir = deploymentsDir(dataDir, deployment.experiment);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${deployment.id}.json`);
  await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`, { flag: 'wx' });
  return { file, relativePath: `${deployment.experiment}/deployments/${deployment.id}.json`, deployment };
}

/** Every deployment of an experiment, oldest first; a file that does not parse is reported through `onProblem`. */
export async function listDeployments(dataDir: string, experiment: string, onProblem?: (error: unknown) => void): Promise<Deployment[]> {
  const dir = deploymentsDir(dataDir, experiment);
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const records: Deployment[] = [];
  for (const file of files) {
    try {
      records.push(await readJsonFile(join(dir, file), deploymentSchema));
    } catch (error) {
      if (!onProblem) throw error;
      onProblem(error);
    }
  }
  return records;
}
