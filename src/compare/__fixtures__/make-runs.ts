import { type Experiment, experimentSchema } from '../../../schemas/experiment.ts';
import type { RunManifest } from '../../../schemas/run-manifest.ts';
import type { Score } from '../../../schemas/score.ts';
import type { Trace } from '../../../schemas/trace.ts';
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

/** Builds a run the way the store would hand it to compareRuns, without files. */
export function makeRun(id: string, rows: readonly ExampleRow[], options: { experiment?: string; config?: Record<string, unknown> } = {}): RunToCompare {
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
        : [{ id: 'llm', parentId: null, name: 'chat', type: 'LLM', start: 0, end: 1, status: 'ok', usage: { input: row.tokens, output: 0 } }],
    scores: Object.entries(row.scores ?? {}).map(([name, value]) => ({ name, value, source: 'code' as const })),
    tags: [],
    ...(row.metadata ? { metadata: row.metadata } : {}),
  }));
  return { manifest: manifest(id, options.experiment ?? 'exp'), traces, config: options.config ?? { model: 'm' } };
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
