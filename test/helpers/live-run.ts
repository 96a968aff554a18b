import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRun } from '../../src/store/run-writer.ts';
import { tempDir } from './temp-dir.ts';

/**
 * Makes empty live runs (no traces yet) in folders of their own under one temporary root, each
 * run of the experiment `demo` made locally: for tests of what writes and seals traces.jsonl.
 */
export function liveRuns(prefix: string): () => Promise<{ dir: string; file: string }> {
  const root = tempDir(prefix);
  const config = join(root, 'baseline.yaml');
  writeFileSync(config, 'model: demo-model\n');
  let counter = 0;
  return async () => {
    const { dir } = await createRun({
      dataDir: join(root, `d${++counter}`),
      experiment: 'demo',
      configPath: config,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: 'abc', branch: 'main', dirty: false },
      rootDir: root,
    });
    return { dir, file: join(dir, 'traces.jsonl') };
  };
}
