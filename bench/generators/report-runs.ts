import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { toYaml } from '../../src/store/yaml.ts';
import { syntheticRuns } from './synthetic-runs.ts';

/**
 * Writes `runs` sealed runs of `traces` examples each into `dataDir` through the real store,
 * from the compare benchmark's synthetic runs (each run a little better than the one before,
 * configs that differ in temperature). Returns their ids, baseline first.
 */
export async function writeReportRuns(dataDir: string, runs: number, traces: number): Promise<string[]> {
  const { experiment, runs: synthetic } = syntheticRuns(runs, traces);
  await ensureExperiment(dataDir, experiment.name, experiment);
  const ids: string[] = [];
  for (const run of synthetic) {
    const config = join(dataDir, `${run.manifest.config.name}.yaml`);
    writeFileSync(config, toYaml(run.config));
    const { dir } = await createRun({
      dataDir,
      experiment: experiment.name,
      configPath: config,
      rootDir: dataDir,
      source: run.manifest.source,
      code: run.manifest.code,
      runId: run.manifest.id,
      name: run.manifest.name,
    });
    const writer = new TraceWriter(dir);
    for (const trace of run.traces) writer.append(trace);
    writer.close();
    await finishRun(dir);
    ids.push(run.manifest.id);
  }
  return ids;
}
