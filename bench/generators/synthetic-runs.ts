import type { Experiment } from '../../schemas/experiment.ts';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import type { Trace } from '../../schemas/trace.ts';
import { seeded } from './trace-lines.ts';

const TONES = ['curt', 'neutral', 'polite'];

/**
 * `runs` runs of one experiment over the same `traces` examples, each run a little better
 * than the one before: a pass/fail score, a continuous score, a label, a leaf LLM span with
 * usage and cost, and latency. Deterministic for a given seed.
 */
/** A run as the store holds it: its manifest, traces and config. */
export interface SyntheticRun {
  manifest: RunManifest;
  traces: Trace[];
  config: Record<string, unknown>;
}

export function syntheticRuns(runs: number, traces: number, seed = 7): { experiment: Experiment; runs: SyntheticRun[] } {
  const random = seeded(seed);
  const experiment: Experiment = {
    name: 'bench',
    metrics: [
      { name: 'correct', direction: 'higher', kind: 'boolean', minEffect: 0.02 },
      { name: 'quality', direction: 'higher', kind: 'number', minEffect: 0.01 },
      { name: 'tone', direction: 'higher', kind: 'label' },
    ],
    primaryMetric: 'correct',
    annotations: { labels: {}, metrics: {} },
  };
  const difficulty = Float64Array.from({ length: traces }, () => random());
  const result: SyntheticRun[] = [];
  for (let r = 0; r < runs; r++) {
    const id = `20250101-00000${r}-bench${r}`;
    const list: Trace[] = [];
    for (let i = 0; i < traces; i++) {
      const skill = 0.5 + 0.02 * r;
      const quality = Math.min(1, Math.max(0, skill - difficulty[i]! * 0.3 + (random() - 0.5) * 0.4));
      const start = 1_760_000_000_000 + i * 1000;
      const duration = 200 + Math.floor(random() * 800) + r * 10;
      const input = 100 + Math.floor(random() * 400);
      list.push({
        id: `t${r}-${i}`,
        exampleId: `example-${i}`,
        input: { question: `question ${i}` },
        output: `answer ${i} from run ${r}${random() < 0.3 ? ' with a changed word' : ''}`,
        status: random() < 0.01 ? 'error' : 'ok',
        start,
        end: start + duration,
        durationMs: duration,
        spans: [
          { id: 'root', parentId: null, name: 'agent', type: 'AGENT', start, end: start + duration, status: 'ok' },
          {
            id: 'llm',
            parentId: 'root',
            name: 'chat',
            type: 'LLM',
            start,
            end: start + duration - 10,
            status: 'ok',
            model: 'model-small',
            usage: { input, output: 50 + Math.floor(random() * 100) },
            cost: { total: input * 1e-6 },
          },
        ],
        scores: [
          { name: 'correct', value: random() < skill + 0.2 - difficulty[i]! * 0.2, source: 'code' },
          { name: 'quality', value: Math.round(quality * 1000) / 1000, source: 'llm_judge' },
          { name: 'tone', value: TONES[Math.floor(random() * 3)]!, source: 'llm_judge' },
        ],
        tags: [],
      });
    }
    result.push({
      manifest: manifest(id, experiment.name, r),
      traces: list,
      config: { model: 'model-small', params: { temperature: 0.1 * r } },
    });
  }
  return { experiment, runs: result };
}

function manifest(id: string, experiment: string, index: number): RunManifest {
  return {
    schemaVersion: 1,
    id,
    experiment,
    name: `config-${index}`,
    status: 'completed',
    createdAt: `2025-01-01T00:00:0${index}.000Z`,
    source: { kind: 'local', host: 'bench', user: 'bench' },
    code: { commit: null, branch: null, dirty: false },
    config: { path: `configs/config-${index}.yaml`, name: `config-${index}`, digest: `sha256:${'0'.repeat(64)}` },
    dataset: null,
    counts: { traces: 0, errors: 0, spans: 0, scores: 0 },
    tool: { name: 'labbook', version: '0.0.0' },
    files: {},
  };
}
