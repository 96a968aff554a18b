/**
 * Evaluates the demo agent with the Labbook SDK: one trace per dataset example, scored by
 * built-in and custom evaluators. Usually started by `labbook run`, which says which config and
 * dataset to use and seals the run afterwards:
 *
 *   node bin/labbook.js run --experiment demo --config examples/configs/baseline.yaml \
 *     --dataset examples/data/dataset.jsonl -- node bin/tsx.js examples/evaluate.ts
 *
 * Run alone, it creates a run itself from $LABBOOK_CONFIG (default: the baseline config).
 */
import { join } from 'node:path';
import { evaluators, span, startRun, type EvaluatorLike } from '../src/sdk/index.ts';
import { parseDemoConfig } from './agent/config.ts';
import { readDataset, type DemoExample } from './agent/dataset.ts';
import { DATA_DIR, loadDemoAgent } from './agent/load-agent.ts';
import { answerType } from './evaluators/answer-type.ts';
import { correct } from './evaluators/correct.ts';
import { grounded } from './evaluators/grounded.ts';
import { simulatedLatency } from './evaluators/simulated-latency.ts';

const run = await startRun({
  experiment: 'demo',
  configPath: process.env.LABBOOK_CONFIG ?? join(import.meta.dirname, 'configs', 'baseline.yaml'),
  datasetPath: process.env.LABBOOK_DATASET ?? join(DATA_DIR, 'dataset.jsonl'),
});
const config = parseDemoConfig(run.config, run.configPath);
const agent = loadDemoAgent(config);
const examples = readDataset(run.datasetPath ?? join(DATA_DIR, 'dataset.jsonl'));

const everyExample: EvaluatorLike[] = [
  correct,
  evaluators.exactMatch({ normalize: true }),
  evaluators.includes({ ignoreCase: true }),
  grounded,
  answerType,
  evaluators.tokenBudget(300),
  // Wall time: the agent sleeps a scaled-down share of its simulated latency, so this catches a
  // pathological slowdown, while `simulated_latency_ms` is the deterministic latency to compare.
  evaluators.latencyBudget(250),
  simulatedLatency,
];
// Only arithmetic has a single numeric answer that the whole output should equal.
const calculationOnly: EvaluatorLike[] = [evaluators.numericCloseness({ tolerance: 0.01, name: 'numeric_close' })];

const answer = async (example: DemoExample) => (await agent.answer(example.input.question, span)).answer;
const calculations = examples.filter((example) => example.category === 'calculation');
const others = examples.filter((example) => example.category !== 'calculation');
await run.map(calculations, answer, { concurrency: 4, evaluators: [...everyExample, ...calculationOnly] });
await run.map(others, answer, { concurrency: 4, evaluators: everyExample });
await run.finish();
process.stdout.write(
  `evaluated ${run.traceCount} examples with ${config.model} (${config.params.strategy}, top_k ${config.params.top_k})\n`,
);
