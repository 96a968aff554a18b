import { readFileSync } from 'node:fs';
import type { Trace } from '../../schemas/trace.ts';
import type { DatasetExample } from '../interop/trace-assembly.ts';
import { normalizeExample } from '../sdk/example.ts';
import { runEvaluators, type Evaluator } from '../sdk/evaluators/evaluator.ts';

// What the run's OTLP receiver adds to a trace it assembled: its example, from the dataset line it
// names, and its evaluators' scores. Loaded with the receiver's other modules, once the command
// is spawned (see startOtlpSession).

/**
 * Line n of a JSON Lines dataset as the example it holds (read once, on first use; lines are
 * parsed when asked for). Undefined for a line that does not exist or is not an example.
 */
export function datasetLines(path: string): (line: number) => DatasetExample | undefined {
  let lines: string[] | undefined;
  return (line) => {
    if (!/\.jsonl$/i.test(path)) return undefined;
    try {
      lines ??= readFileSync(path, 'utf8').split('\n');
      const text = lines[line - 1];
      if (text === undefined || text.trim() === '') return undefined;
      const example = normalizeExample(JSON.parse(text));
      return { id: example.exampleId, input: example.input, ...(example.expected !== undefined ? { expected: example.expected } : {}) };
    } catch {
      return undefined; // the trace is then written with a warning naming the line
    }
  };
}

/**
 * Runs the configured evaluators on a received trace, as the SDK runs them on its own: they see
 * its input, output and expected value. A score the agent sent under the same name is kept, and
 * the evaluator's is left out with a log line (names are unique within a trace).
 */
export async function scoreTrace(trace: Trace, evaluators: readonly Evaluator[], onLog: (line: string) => void): Promise<Trace> {
  const { scores: _existing, ...draft } = trace;
  const scores = await runEvaluators(evaluators, { input: trace.input, output: trace.output, expected: trace.expected, trace: draft });
  const taken = new Set(trace.scores.map((score) => score.name));
  const added = scores.filter((score) => {
    if (!taken.has(score.name)) return true;
    onLog(`trace ${trace.id}: the agent sent a score "${score.name}"; the evaluator of that name is not applied to it`);
    return false;
  });
  return { ...trace, scores: [...trace.scores, ...added] };
}
