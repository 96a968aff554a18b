import { composeAnswer, renderTemplate, type ToolFinding } from './answer.ts';
import { Bm25Index, type Bm25Hit } from './bm25.ts';
import { calculate, CalculatorError, formatNumber } from './calculator.ts';
import type { DemoConfig } from './config.ts';
import type { Passage } from './knowledge-base.ts';
import { LookupError, type ProductTable } from './product-table.ts';
import { route, type Plan } from './router.ts';
import { hashString, simulateCall, sleepFor } from './simulated-model.ts';
import { noopTracer, type SpanFunction } from './tracer.ts';

export interface AgentResult {
  answer: string;
  plan: Plan;
  /** The passages the answer step saw, best first. Empty when a tool answered alone. */
  passages: { id: string; text: string; score: number }[];
  finding: ToolFinding | undefined;
  usage: { input: number; output: number };
  simulatedLatencyMs: number;
}

export interface Agent {
  answer(question: string, tracer?: SpanFunction): Promise<AgentResult>;
}

const ROUTER_PROMPT =
  'You route questions about Kestrel Outfitters. Tools: calculator(expression), lookup(product, column). ' +
  'Reply with a JSON plan. Question: ';

const COLUMN_LABELS: Record<string, string> = {
  price_usd: 'price in US dollars',
  weight_g: 'weight in grams',
  in_stock: 'number of units in stock',
  rating: 'customer rating',
  warranty_years: 'warranty in years',
  sku: 'SKU',
  color: 'colour',
};

/**
 * Builds the demo agent: route (simulated LLM) → retrieve (BM25) → tools → answer (simulated
 * LLM) → prompt template. Every step is deterministic for a given config and question.
 */
export function createAgent(config: DemoConfig, knowledge: readonly Passage[], table: ProductTable): Agent {
  const { params } = config;
  const index = new Bm25Index(knowledge, params.bm25);
  const routerModel = params.router_model ?? config.model;

  return {
    async answer(question, span = noopTracer) {
      const totals = { input: 0, output: 0, latency: 0 };
      const callModel = async (name: string, model: string, prompt: string, completion: string) =>
        span(name, 'LLM', async (s) => {
          const call = simulateCall(model, prompt, completion);
          s.setModel(model);
          s.setInputs({ prompt });
          s.setOutputs({ completion });
          s.setUsage(call.usage);
          s.setCost(call.cost);
          s.setAttributes({ simulated: true, simulated_latency_ms: call.latencyMs });
          totals.input += call.usage.input;
          totals.output += call.usage.output;
          totals.latency += call.latencyMs;
          await sleepFor(call.latencyMs);
        });

      return span('agent', 'AGENT', async (root) => {
        root.setInputs({ question });
        const plan = route(question, table, params.tools);
        await callModel('route', routerModel, ROUTER_PROMPT + question, JSON.stringify(plan));

        const retrieve = () =>
          span('retrieve', 'RETRIEVER', async (s) => {
            s.setInputs({ query: question, top_k: params.top_k });
            const found = index.search(question, params.top_k);
            s.setOutputs(found.map((hit) => ({ id: hit.document.id, score: round(hit.score), text: hit.document.text })));
            return found;
          });
        // tool-first tries a tool that needs no passages before retrieving, and retrieves only if it fails.
        const toolsFirst = params.strategy === 'tool-first' && plan.kind !== 'retrieve' && plan.kind !== 'retrieve-lookup';
        let hits: Bm25Hit<Passage>[] | undefined = toolsFirst ? undefined : await retrieve();
        const finding = await useTools(plan, hits ?? [], table, span);
        hits ??= finding ? [] : await retrieve();

        const body = composeAnswer(question, hits, finding, {
          strategy: params.strategy,
          style: params.style,
          temperature: params.temperature,
          seed: hashString(`${params.seed}:${question}`),
          idf: (term) => index.idf(term),
        });
        const answer = renderTemplate(config.prompts.answer, { answer: body, question });
        const context = hits.map((hit) => hit.document.text).join('\n');
        const prompt = `${config.prompts.answer}\nQuestion: ${question}\nContext:\n${context}\n${finding?.sentence ?? ''}`;
        await callModel('answer', config.model, prompt, answer);

        const result: AgentResult = {
          answer,
          plan,
          passages: hits.map((hit) => ({ id: hit.document.id, text: hit.document.text, score: round(hit.score) })),
          finding,
          usage: { input: totals.input, output: totals.output },
          simulatedLatencyMs: totals.latency,
        };
        root.setOutputs({ answer });
        root.setAttributes({ plan: plan.kind, simulated_latency_ms: totals.latency });
        return result;
      });
    },
  };
}

/**
 * Runs the tools the plan asks for. A tool that fails (bad expression, unknown product) yields no
 * finding, recorded as an error on its span, and the answer falls back to the passages; any other
 * error is a bug and propagates.
 */
async function useTools(
  plan: Plan,
  hits: readonly Bm25Hit<Passage>[],
  table: ProductTable,
  span: SpanFunction,
): Promise<ToolFinding | undefined> {
  const tool = <T>(name: string, inputs: Record<string, unknown>, work: () => T) =>
    span(name, 'TOOL', async (s) => {
      s.setInputs(inputs);
      s.setAttributes({ tool: name });
      const output = work();
      s.setOutputs(output);
      return output;
    }).catch((error: unknown) => {
      if (error instanceof CalculatorError || error instanceof LookupError) return undefined;
      throw error;
    });

  switch (plan.kind) {
    case 'retrieve':
      return undefined;
    case 'calculate': {
      const value = await tool('calculator', { expression: plan.expression }, () => formatNumber(calculate(plan.expression)));
      return value === undefined ? undefined : { value, sentence: `${plan.expression} = ${value}.` };
    }
    case 'lookup':
      return lookupFinding(plan.product, plan.column);
    case 'lookup-calculate': {
      const unit = await tool('lookup', { product: plan.product, column: plan.column }, () => table.lookup(plan.product, plan.column));
      if (unit === undefined) return undefined;
      const expression = `${plan.quantity} * ${unit}`;
      const value = await tool('calculator', { expression }, () => formatNumber(calculate(expression)));
      return value === undefined ? undefined : { value, sentence: `${plan.quantity} × ${unit} = ${value} US dollars.` };
    }
    case 'retrieve-lookup': {
      const product = hits
        .map((hit) => table.findProductIn(hit.document.text))
        .find(
          (row) =>
            row !== undefined &&
            (plan.category === undefined || row.category === plan.category || row.name?.toLowerCase().includes(plan.category)),
        );
      return product?.name ? lookupFinding(product.name, plan.column) : undefined;
    }
  }

  async function lookupFinding(product: string, column: string): Promise<ToolFinding | undefined> {
    const value = await tool('lookup', { product, column }, () => table.lookup(product, column));
    return value === undefined ? undefined : { value, sentence: `The ${COLUMN_LABELS[column] ?? column} of the ${product} is ${value}.` };
  }
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
