/**
 * Synthetic data folders for the site benchmark, written through the store (createRun →
 * TraceWriter → finishRun) so the site reads exactly what real runs look like: agent traces
 * with chat messages, tool calls, usage and cost, and three scores of each kind.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpanInput } from '../../schemas/span.ts';
import type { TraceInput } from '../../schemas/trace.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { seeded } from './trace-lines.ts';

const WORDS =
  'the of and to in is for that with on as by it this be are from at or an which can data model agent tool answer question result value'.split(
    ' ',
  );

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return out.join(' ');
}

/**
 * One agent trace: an AGENT root, then LLM calls with chat messages, TOOL calls and a
 * retriever, `spans` spans in all (the deeper ones nested under the LLM calls).
 */
export function agentTrace(run: number, index: number, spans: number, random: () => number): TraceInput {
  const start = 1_760_000_000_000 + index * 5000;
  const question = `Question ${index}: ${sentence(random, 12)}?`;
  const answer = `${sentence(random, 20 + Math.floor(random() * 20))}${run % 2 === 1 && random() < 0.3 ? ' (revised)' : ''}.`;
  const list: SpanInput[] = [
    { id: 's0', parentId: null, name: 'agent', type: 'AGENT', start, end: start + 3000, inputs: { question }, outputs: { answer } },
  ];
  let cursor = start + 5;
  for (let s = 1; s < spans; s++) {
    const kind = s % 4;
    const duration = 5 + Math.floor(random() * 300);
    const parent = s < 4 ? 's0' : `s${1 + ((s - 1) % 3)}`;
    const base = {
      id: `s${s}`,
      parentId: parent,
      start: cursor,
      end: cursor + duration,
      status: random() < 0.01 ? ('error' as const) : ('ok' as const),
    };
    if (kind === 1) {
      list.push({
        ...base,
        name: 'chat',
        type: 'LLM',
        model: run % 2 === 0 ? 'model-small' : 'model-large',
        inputs: {
          messages: [
            { role: 'system', content: 'You answer questions using tools.' },
            { role: 'user', content: question },
          ],
        },
        outputs: { role: 'assistant', content: sentence(random, 15) },
        usage: { input: 150 + Math.floor(random() * 300), output: 20 + Math.floor(random() * 120) },
        cost: { total: 0.0001 + random() * 0.001 },
      });
    } else if (kind === 2) {
      list.push({
        ...base,
        name: 'search',
        type: 'TOOL',
        inputs: { query: sentence(random, 5) },
        outputs: { hits: [sentence(random, 10), sentence(random, 10)] },
        attributes: { 'tool.name': 'search' },
      });
    } else if (kind === 3) {
      list.push({
        ...base,
        name: 'calculator',
        type: 'TOOL',
        inputs: { expression: `${index} * ${s}` },
        outputs: { result: index * s },
        attributes: { 'tool.name': 'calculator' },
      });
    } else {
      list.push({
        ...base,
        name: 'retrieve',
        type: 'RETRIEVER',
        inputs: { query: question },
        outputs: [{ id: `doc-${s}`, text: sentence(random, 12) }],
      });
    }
    cursor += Math.floor(duration / 2);
  }
  const skill = 0.55 + run * 0.03;
  return {
    id: `r${run}-t${index}`,
    exampleId: `example-${index}`,
    input: { question },
    output: answer,
    status: random() < 0.02 ? 'error' : 'ok',
    start,
    end: start + 3000,
    durationMs: 500 + Math.floor(random() * 2500) - run * 20,
    spans: list,
    scores: [
      { name: 'correct', value: random() < skill, source: 'code' },
      { name: 'quality', value: Math.round(Math.min(1, Math.max(0, skill + (random() - 0.5) * 0.6)) * 1000) / 1000, source: 'llm_judge' },
      { name: 'tone', value: ['curt', 'neutral', 'polite'][Math.floor(random() * 3)]!, source: 'llm_judge' },
    ],
    tags: [],
  };
}

/** A trace with `spans` spans: a wide, three-level tree (root → 100 groups → leaves). */
export function hugeTrace(spans: number): TraceInput {
  const start = 1_760_000_000_000;
  const list: SpanInput[] = [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start, end: start + spans }];
  for (let s = 1; s < spans; s++) {
    const group = s <= 100;
    list.push({
      id: `s${s}`,
      parentId: group ? 'root' : `s${1 + (s % 100)}`,
      name: group ? `step ${s}` : `call ${s}`,
      type: group ? 'CHAIN' : s % 2 ? 'TOOL' : 'LLM',
      start: start + s,
      end: start + s + 5,
      inputs: { n: s },
      outputs: { ok: true },
    });
  }
  return {
    id: 'huge',
    exampleId: 'huge',
    input: 'a trace with many spans',
    output: 'done',
    start,
    end: start + spans,
    durationMs: spans,
    spans: list,
    scores: [],
    tags: [],
  };
}

export interface SiteDataOptions {
  dataDir: string;
  experiment: string;
  runs: number;
  traces: number;
  spans: number;
  seed?: number;
}

/** Writes `runs` runs of `traces` traces each; returns the run ids, oldest first. */
export async function writeSiteBenchData(options: SiteDataOptions): Promise<string[]> {
  const random = seeded(options.seed ?? 11);
  const configDir = join(options.dataDir, '..', 'configs');
  await mkdir(configDir, { recursive: true });
  await ensureExperiment(options.dataDir, options.experiment, {
    metrics: [
      { name: 'correct', direction: 'higher', kind: 'boolean' },
      { name: 'quality', direction: 'higher', kind: 'number' },
    ],
    primaryMetric: 'correct',
  } as never);
  const ids: string[] = [];
  for (let r = 0; r < options.runs; r++) {
    const configPath = join(configDir, `config-${r}.yaml`);
    await writeFile(configPath, `model: ${r % 2 ? 'model-large' : 'model-small'}\nparams:\n  temperature: ${(r % 5) / 10}\n`);
    const { dir, manifest } = await createRun({
      dataDir: options.dataDir,
      experiment: options.experiment,
      configPath,
      source: { kind: 'local', host: 'bench', user: 'bench' },
      code: { commit: null, branch: null, dirty: false },
      now: new Date(Date.UTC(2026, 0, 1, 0, r)),
      runId: `20260101-${String(r).padStart(4, '0')}-config-${r}`,
    });
    const writer = new TraceWriter(dir);
    // Generated traces are valid by construction: appendLine skips re-validating each one.
    for (let i = 0; i < options.traces; i++) writer.appendLine(JSON.stringify(agentTrace(r, i, options.spans, random)));
    writer.close();
    await finishRun(dir);
    ids.push(manifest.id);
  }
  return ids;
}

/** One run holding a single trace of `spans` spans. */
export async function writeHugeTraceRun(dataDir: string, experiment: string, spans: number): Promise<string> {
  const configDir = join(dataDir, '..', 'configs');
  await mkdir(configDir, { recursive: true });
  const configPath = join(configDir, 'huge.yaml');
  await writeFile(configPath, 'model: model-small\n');
  const { dir, manifest } = await createRun({
    dataDir,
    experiment,
    configPath,
    source: { kind: 'local', host: 'bench', user: 'bench' },
    code: { commit: null, branch: null, dirty: false },
    now: new Date(Date.UTC(2026, 0, 2)),
    runId: '20260102-000000-huge',
  });
  const writer = new TraceWriter(dir);
  writer.appendLine(JSON.stringify(hugeTrace(spans)));
  writer.close();
  await finishRun(dir);
  return manifest.id;
}
