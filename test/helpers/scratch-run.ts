import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun } from '../../src/sdk/index.ts';
import type { Run } from '../../src/sdk/run.ts';

/**
 * A standalone SDK run of experiment "demo" in a new temporary folder (its config beside it),
 * with no environment and no crash handlers: what a test of the SDK's own behaviour starts from.
 */
export async function scratchRun(prefix: string): Promise<{ tmp: string; run: Run }> {
  const tmp = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(tmp, 'agent.yaml'), 'model: demo\n');
  const run = await startRun({
    experiment: 'demo',
    configPath: join(tmp, 'agent.yaml'),
    dataDir: join(tmp, 'experiments'),
    env: {},
    handleCrashes: false,
  });
  return { tmp, run };
}
