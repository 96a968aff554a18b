import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, type CreatedRun } from '../../src/store/run-writer.ts';

/**
 * A new run of a local machine with no commit, made by the store as `labbook run` makes one: its
 * config `<config>.yaml` is written in `root` first (`configText`, else `model: <config>`).
 */
export async function createLocalRun(options: {
  root: string;
  dataDir: string;
  experiment: string;
  config: string;
  configText?: string;
  name?: string;
}): Promise<CreatedRun> {
  const configPath = join(options.root, `${options.config}.yaml`);
  writeFileSync(configPath, options.configText ?? `model: ${options.config}\n`);
  return createRun({
    dataDir: options.dataDir,
    experiment: options.experiment,
    configPath,
    rootDir: options.root,
    ...(options.name !== undefined ? { name: options.name } : {}),
    source: { kind: 'local', host: 'test', user: 'test' },
    code: { commit: null, branch: null, dirty: false },
  });
}
