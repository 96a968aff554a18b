// The evaluation of your agent (written by `labbook init`). Start it with
//
//   npx labbook run --experiment @{experiment} --config agent.yaml \
//     --dataset data.jsonl -- node eval.mjs
//
// `labbook run` prepares the run and tells this script which config and dataset to use
// (LABBOOK_CONFIG, LABBOOK_DATASET); it seals the run when the script exits. In CI the action
// does the same. Run alone (`node eval.mjs`), the SDK records a local run itself.
import { readFileSync } from 'node:fs';
import { span, startRun } from 'labbook/sdk';

const here = import.meta.dirname;
const run = await startRun({
  experiment: '@{experiment}',
  configPath: `${here}/agent.yaml`,
  datasetPath: `${here}/data.jsonl`,
});
const examples = readFileSync(run.datasetPath ?? `${here}/data.jsonl`, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

// Replace this with a call to your agent. `span` records a step of the trace (with its
// model and tokens); spans nest, and a thrown error marks the trace as failed.
async function agent(question, config) {
  return span('answer', 'LLM', async (s) => {
    s.setModel(config.model).setInputs({ question });
    const sum = /^What is (\d+) \+ (\d+)\?$/.exec(question);
    const text = sum ? String(Number(sum[1]) + Number(sum[2])) : `I do not know the answer to "${question}" yet.`;
    s.setUsage({ input: question.length, output: text.length, simulated: true });
    return text;
  });
}

// One evaluator per metric of experiments/@{experiment}/experiment.yaml; each gives one score.
const evaluators = [
@{jsEvaluators}
];

// run.map traces each example (one trace each) and scores it; the callback only does the work.
// Do not call run.trace inside it: the example is already being traced.
await run.map(examples, (example) => agent(example.input.question, run.config), { concurrency: 4, evaluators });
await run.finish();
console.log(`evaluated ${run.traceCount} examples`);
