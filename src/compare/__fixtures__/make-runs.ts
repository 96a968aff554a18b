import { type Experiment, experimentSchema } from '../../../schemas/experiment.ts';
import type { RunManifest } from '../../../schemas/run-manifest.ts';
import type { Score } from '../../../schemas/score.ts';
import type { Trace } from '../../../schemas/trace.ts';
import { compareRecordsFromTraces } from '../compare-record.ts';
import type { RunToCompare } from '../compare-runs.ts';

/** One example of a synthetic run: its id, scores by name, and optional latency/output. */
export interface ExampleRow {
  example: string;
  scores?: Record<string, Score['value']>;
  latency?: number;
  output?: unknown;
  tokens?: number;
  metadata?: Record<string, unknown>;
}

/** A run as the store holds it (its traces), and as compareRuns takes it (records made from them). */
export type TestRun = RunToCompare & { traces: Trace[] };

/**
 * Builds a run the way the CLI would hand it to compareRuns, without files. `cluster` is
 * experiment.yaml's cluster path; after changing `traces`, call `recordsOf` again.
 */
export function makeRun(
  id: string,
  rows: readonly ExampleRow[],
  options: { experiment?: string; config?: Record<string, unknown>; cluster?: string } = {},
): TestRun {
  const traces: Trace[] = rows.map((row, i) => ({
    id: `${id}-t${i}`,
    exampleId: row.example,
    input: { example: row.example },
    output: row.output ?? `answer to ${row.example}`,
    status: 'ok',
    start: 0,
    end: row.latency ?? 100,
    durationMs: row.latency ?? 100,
    spans:
      row.tokens === undefined
        ? []
        : [
            {
              id: 'llm',
              parentId: null,
              name: 'chat',
              type: 'LLM',
              start: 0,
              end: 1,
              status: 'ok',
              usage: { input: row.tokens, output: 0 },
            },
          ],
    scores: Object.entries(row.scores ?? {}).map(([name, value]) => ({ name, value, source: 'code' as const })),
    tags: [],
    ...(row.metadata ? { metadata: row.metadata } : {}),
  }));
  return {
    manifest: manifest(id, options.experiment ?? 'exp'),
    traces,
    records: compareRecordsFromTraces(traces, options.cluster),
    config: options.config ?? { model: 'm' },
  };
}

/** The run with its records made again from its (changed) traces. */
export function recordsOf(run: TestRun, cluster?: string): TestRun {
  return { ...run, records: compareRecordsFromTraces(run.traces, cluster) };
}

export function manifest(id: string, experiment: string): RunManifest {
  return {
    schemaVersion: 1,
    id,
    experiment,
    name: id,
    status: 'completed',
    createdAt: '2025-01-01T00:00:00.000Z',
    source: { kind: 'local', host: 'h', user: 'u' },
    code: { commit: 'abc', branch: 'main', dirty: false },
    config: { path: `configs/${id}.yaml`, name: id, digest: `sha256:${'0'.repeat(64)}` },
    dataset: null,
    counts: { traces: 0, errors: 0, spans: 0, scores: 0 },
    tool: { name: 'labbook', version: '0.0.0' },
    files: {},
  };
}

export function makeExperiment(input: Partial<Experiment> = {}): Experiment {
  return experimentSchema.parse({ name: 'exp', ...input });
}
