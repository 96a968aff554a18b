/**
 * Fills the run `labbook run` prepared with one trace per dataset example, from a toy agent
 * whose accuracy the config sets (`params.top_k`: a deeper search answers more): enough for
 * the samples' commands (compare, query, export, annotate) to have real runs to work on.
 */
import { readFileSync } from 'node:fs';
import { evaluators, span, startRun } from 'labbook/sdk';

const run = await startRun();
const depth = Number((run.config.params as { top_k?: number } | undefined)?.top_k ?? 1);
const examples = readFileSync(process.env.LABBOOK_DATASET!, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

await run.map(
  examples.slice(0, 40),
  (example: { id: string; expected: unknown }, t) =>
    span('agent', 'AGENT', async () => {
      await span('retrieve', 'RETRIEVER', (s) => s.setInputs({ depth }));
      return span('answer', 'LLM', (s) => {
        s.setModel(`toy-${depth}`).setUsage({ input: 40 + depth, output: 8 });
        const right = Number.parseInt(example.id.replace(/\D/g, ''), 10) % (depth + 2) !== 0;
        t.score('correct', right);
        return right ? String(example.expected) : 'not sure';
      });
    }),
  { evaluators: [evaluators.exactMatch({ normalize: true })] },
);
await run.finish();
