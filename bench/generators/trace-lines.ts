import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { TraceInput } from '../../schemas/trace.ts';
import { Mulberry32 } from '../../src/stats/prng.ts';

const TYPES = ['AGENT', 'CHAIN', 'RETRIEVER', 'LLM', 'TOOL', 'LLM', 'PARSER', 'TOOL', 'LLM', 'EVALUATOR'] as const;
const MODELS = ['model-small', 'model-large'];
const TOOLS = ['calculator', 'lookup', 'search'];

/** Uniform numbers in [0, 1) from the seeded generator the compare engine uses: generated data is the same every time. */
export function seeded(seed: number): () => number {
  const generator = new Mulberry32(seed);
  return () => generator.nextUint32() / 4294967296;
}

/**
 * One synthetic trace shaped like a real agent's: a root AGENT span and `spans - 1` children in
 * a shallow tree, LLM spans with model and usage, TOOL spans named after tools, three scores.
 */
export function syntheticTrace(index: number, spans: number, random: () => number): TraceInput {
  const start = 1_760_000_000_000 + index * 2000;
  const list: NonNullable<TraceInput['spans']> = [];
  let cursor = start;
  for (let s = 0; s < spans; s++) {
    const type = TYPES[s % TYPES.length]!;
    const duration = 1 + Math.floor(random() * 200);
    const span: NonNullable<TraceInput['spans']>[number] = {
      id: `s${s}`,
      parentId: s === 0 ? null : s < 3 ? 's0' : `s${1 + (s % 2)}`,
      name: type === 'TOOL' ? TOOLS[s % TOOLS.length]! : `${type.toLowerCase()}-${s}`,
      type,
      start: cursor,
      end: cursor + duration,
      status: random() < 0.02 ? 'error' : 'ok',
      inputs: { text: `input ${index}.${s} lorem ipsum dolor sit amet` },
      outputs: { text: `output ${index}.${s} consectetur adipiscing elit` },
    };
    if (type === 'LLM') {
      span.model = MODELS[s % 2]!;
      span.usage = { input: 100 + Math.floor(random() * 400), output: 20 + Math.floor(random() * 200) };
      span.cost = { total: 0.0001 * (1 + random()) };
    }
    list.push(span);
    cursor += Math.floor(duration / 2);
  }
  return {
    id: `trace-${index}`,
    exampleId: `ex-${index}`,
    input: { question: `What is item ${index}?` },
    output: `Item ${index} is ${Math.floor(random() * 100)}.`,
    expected: `Item ${index} is 42.`,
    status: random() < 0.01 ? 'error' : 'ok',
    start,
    end: cursor + 10,
    durationMs: cursor + 10 - start,
    spans: list,
    scores: [
      { name: 'correct', value: random() < 0.7 },
      { name: 'quality', value: Math.round(random() * 100) / 100 },
      { name: 'answer_type', value: random() < 0.9 ? 'answer' : 'refusal' },
    ],
    tags: [],
  };
}

/** Writes `traces` synthetic traces of `spans` spans each as JSON lines; returns the bytes written. */
export async function writeTraceLines(file: string, traces: number, spans: number, seed = 1): Promise<number> {
  const random = seeded(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < traces; i++) {
    const line = `${JSON.stringify(syntheticTrace(i, spans, random))}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
