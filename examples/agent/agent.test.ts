import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpanType } from '../../schemas/span.ts';
import { isCorrect } from '../evaluators/correct.ts';
import { createAgent, type AgentResult } from './agent.ts';
import { REFUSAL } from './answer.ts';
import { loadDemoConfig, parseDemoConfig, type DemoConfig } from './config.ts';
import { readDataset } from './dataset.ts';
import { DATA_DIR, loadDemoAgent } from './load-agent.ts';
import { ProductTable } from './product-table.ts';
import type { SpanFunction, SpanHandle } from './tracer.ts';

const configsDir = join(import.meta.dirname, '..', 'configs');
const dataset = readDataset(join(DATA_DIR, 'dataset.jsonl'));

async function answerAll(config: DemoConfig): Promise<AgentResult[]> {
  const agent = loadDemoAgent(config);
  const results: AgentResult[] = [];
  for (const example of dataset) results.push(await agent.answer(example.input.question));
  return results;
}

function correctness(results: AgentResult[]): boolean[] {
  return results.map((result, i) => isCorrect(result.answer, dataset[i]!.expected));
}

/** Two-sided exact McNemar p-value from the discordant pair counts. */
function mcnemar(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += binomial(n, i) / 2 ** n;
  return Math.min(1, 2 * tail);
}
function binomial(n: number, k: number): number {
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
}

describe('the three configs on the bundled dataset', async () => {
  const names = ['baseline', 'rag-deep', 'tool-first'] as const;
  const configs = Object.fromEntries(names.map((name) => [name, loadDemoConfig(join(configsDir, `${name}.yaml`))])) as Record<
    (typeof names)[number],
    DemoConfig
  >;
  const correct = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, correctness(await answerAll(configs[name]))] as const)),
  ) as Record<(typeof names)[number], boolean[]>;
  const accuracy = (name: (typeof names)[number]) => correct[name].filter(Boolean).length / dataset.length;
  const discordant = (a: (typeof names)[number], b: (typeof names)[number]) => {
    let onlyA = 0;
    let onlyB = 0;
    correct[a].forEach((pass, i) => {
      if (pass && !correct[b][i]) onlyA++;
      if (!pass && correct[b][i]) onlyB++;
    });
    return [onlyA, onlyB] as const;
  };

  it('has at least 150 examples covering every category', () => {
    expect(dataset.length).toBeGreaterThanOrEqual(150);
    expect(new Set(dataset.map((example) => example.category))).toEqual(new Set(['retrieval', 'lookup', 'calculation', 'multi-hop']));
  });

  it('orders the configs baseline < rag-deep < tool-first with clear gaps', () => {
    expect(accuracy('baseline')).toBeGreaterThan(0.45);
    expect(accuracy('rag-deep') - accuracy('baseline')).toBeGreaterThan(0.08);
    expect(accuracy('tool-first') - accuracy('rag-deep')).toBeGreaterThan(0.15);
    expect(accuracy('tool-first')).toBeLessThan(1);
  });

  it('differs significantly on paired examples (exact McNemar)', () => {
    expect(mcnemar(...discordant('baseline', 'rag-deep'))).toBeLessThan(0.01);
    expect(mcnemar(...discordant('rag-deep', 'tool-first'))).toBeLessThan(0.01);
  });

  it('is deterministic: a second pass gives the same answers, usage and simulated latency', async () => {
    const first = await answerAll(configs['rag-deep']);
    const second = await answerAll(configs['rag-deep']);
    expect(second).toEqual(first);
  });
});

describe('createAgent', () => {
  const base = parseDemoConfig({ model: 'sim-large-test', params: { tools: ['calculator', 'lookup'], strategy: 'tool-first' } });

  it('records route, retrieval, tools and answer as nested spans with simulated usage', async () => {
    const spans: { name: string; type: SpanType; depth: number; model?: string; usage?: unknown; attributes: Record<string, unknown> }[] =
      [];
    let depth = 0;
    const recorder: SpanFunction = async (name, type, fn) => {
      const entry: (typeof spans)[number] = { name, type, depth, attributes: {} };
      spans.push(entry);
      const handle: SpanHandle = {
        setInputs: () => {},
        setOutputs: () => {},
        setAttributes: (attributes) => Object.assign(entry.attributes, attributes),
        setModel: (model) => (entry.model = model),
        setUsage: (usage) => (entry.usage = usage),
        setCost: () => {},
      };
      depth++;
      try {
        return await fn(handle);
      } finally {
        depth--;
      }
    };
    const result = await loadDemoAgent({ ...base, params: { ...base.params, router_model: 'sim-mini-router' } }).answer(
      'What is the price of the tent staff recommend for the Cairn Ridge Traverse?',
      recorder,
    );
    expect(result.answer).toBe('479.00');
    expect(spans.map((s) => `${'  '.repeat(s.depth)}${s.name}:${s.type}`)).toEqual([
      'agent:AGENT',
      '  route:LLM',
      '  retrieve:RETRIEVER',
      '  lookup:TOOL',
      '  answer:LLM',
    ]);
    expect(spans[1]).toMatchObject({ model: 'sim-mini-router', usage: { simulated: true } });
    expect(spans[4]).toMatchObject({ model: 'sim-large-test', usage: { input: expect.any(Number), output: 2, simulated: true } });
    expect(spans[4]!.attributes.simulated_latency_ms).toBe(
      350 + Math.round(0.12 * (result.usage.input - (spans[1]!.usage as { input: number }).input) + 18 * 2),
    );
  });

  it('lets the prompt template shape the final answer', async () => {
    const question = 'How long does standard shipping take?';
    const plain = await loadDemoAgent(base).answer(question);
    const templated = await loadDemoAgent({
      ...base,
      prompts: { answer: 'Short answer: {{ answer }} (you asked: {{ question }})' },
    }).answer(question);
    expect(plain.answer).toBe('Standard shipping takes 3 to 5 business days within the contiguous United States.');
    expect(templated.answer).toBe(`Short answer: ${plain.answer} (you asked: ${question})`);
    expect(templated.usage.output).toBeGreaterThan(plain.usage.output);
  });

  it('answers with the tool value alone under tool-first and as a sentence under extractive', async () => {
    const question = 'What is 15% of 360?';
    expect((await loadDemoAgent(base).answer(question)).answer).toBe('54');
    const extractive = await loadDemoAgent({ ...base, params: { ...base.params, strategy: 'extractive' } }).answer(question);
    expect(extractive.answer.startsWith('(15 / 100) * 360 = 54.')).toBe(true);
    expect(extractive.passages.length).toBe(base.params.top_k);
  });

  it('falls back to the passages when a tool fails, recording the failure on its span', async () => {
    const table = ProductTable.fromCsv('sku,name,price_usd\nX-1,Widget Pro,n/a\n');
    const failed: string[] = [];
    const tracer: SpanFunction = async (name, _type, fn) => {
      const ignore = () => {};
      try {
        return await fn({
          setInputs: ignore,
          setOutputs: ignore,
          setAttributes: ignore,
          setModel: ignore,
          setUsage: ignore,
          setCost: ignore,
        });
      } catch (error) {
        failed.push(`${name}: ${(error as Error).name}`);
        throw error;
      }
    };
    const passages = [{ id: 'widgets/pro', title: 'Widget Pro', text: 'Widget Pro. The Widget Pro costs less in spring.' }];
    const result = await createAgent(base, passages, table).answer('How much would 3 Widget Pro cost in total?', tracer);
    expect(result.plan).toEqual({ kind: 'lookup-calculate', product: 'Widget Pro', column: 'price_usd', quantity: 3 });
    expect(failed).toEqual(['calculator: CalculatorError']);
    expect(result.finding).toBeUndefined();
    expect(result.answer).toBe('The Widget Pro costs less in spring.');
  });

  it('refuses when nothing it retrieved or computed is relevant', async () => {
    const result = await loadDemoAgent(parseDemoConfig({ params: { tools: [] } })).answer(
      'What is the airspeed velocity of an unladen swallow?',
    );
    expect(result.answer).toBe(REFUSAL);
  });

  it('changes its choices with temperature, repeatably for a given seed', async () => {
    const answers = async (temperature: number, seed: number) => {
      const agent = loadDemoAgent(parseDemoConfig({ params: { tools: [], top_k: 5, temperature, seed } }));
      const out: string[] = [];
      for (const example of dataset.slice(0, 60)) out.push((await agent.answer(example.input.question)).answer);
      return out;
    };
    const greedy = await answers(0, 1);
    const hot = await answers(1.5, 1);
    expect(hot).toEqual(await answers(1.5, 1));
    expect(hot).not.toEqual(greedy);
    expect(await answers(1.5, 2)).not.toEqual(hot);
  });
});
