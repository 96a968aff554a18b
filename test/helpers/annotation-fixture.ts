import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceInput } from '../../schemas/trace.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { makeTrace } from './make-trace.ts';

/** experiment.yaml of the fixture: the demo's annotation rules. */
export const DEMO_EXPERIMENT_YAML = `name: demo
metrics:
  - name: correct
    kind: boolean
annotations:
  labels:
    verdict: [approved, needs review, hallucination]
  metrics:
    reviewer_score: { min: 0, max: 1 }
`;

export interface AnnotationFixture {
  dataDir: string;
  annotations: string;
  /** Two sealed runs of 5 traces each (t1…t5). */
  runs: [string, string];
}

/**
 * A real data folder for annotation tests: the `demo` experiment with its rules and two
 * sealed runs made by the run store, plus an empty `annotations/` folder.
 */
export async function makeAnnotationFixture(root: string, name: string): Promise<AnnotationFixture> {
  const dataDir = join(root, name);
  const runs = await makeSealedRuns({
    root,
    dataDir,
    experimentYaml: DEMO_EXPERIMENT_YAML,
    configFile: `${name}-baseline.yaml`,
    traces: () => [1, 2, 3, 4, 5].map((i) => makeTrace(i)),
  });
  return { dataDir, annotations: join(dataDir, 'demo', 'annotations'), runs: runs as [string, string] };
}

/**
 * Two sealed local runs of the `demo` experiment (one day apart) made by the run store, with the
 * traces `traces(run)` gives each, plus an empty `annotations/` folder; returns the run ids.
 */
export async function makeSealedRuns(options: {
  root: string;
  dataDir: string;
  experimentYaml: string;
  configFile: string;
  traces: (run: number) => TraceInput[];
}): Promise<string[]> {
  const { root, dataDir } = options;
  mkdirSync(join(dataDir, 'demo', 'annotations'), { recursive: true });
  writeFileSync(join(dataDir, 'demo', 'experiment.yaml'), options.experimentYaml);
  const config = join(root, options.configFile);
  writeFileSync(config, 'model: demo-model\n');
  const runs: string[] = [];
  for (let r = 0; r < 2; r++) {
    const { dir, manifest } = await createRun({
      dataDir,
      experiment: 'demo',
      configPath: config,
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: 'abc', branch: 'main', dirty: false },
      rootDir: root,
      now: new Date(Date.UTC(2026, 0, 1 + r)),
    });
    const writer = new TraceWriter(dir);
    for (const trace of options.traces(r)) writer.append(trace);
    writer.close();
    await finishRun(dir);
    runs.push(manifest.id);
  }
  return runs;
}

/** One annotation entry as YAML, fields in the usual order. */
export function entryYaml(fields: Record<string, string | number>): string {
  const lines = Object.entries(fields).map(([k, v], i) => `${i === 0 ? '-' : ' '} ${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`);
  return `${lines.join('\n')}\n`;
}
