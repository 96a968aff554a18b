/**
 * Two reviewers judge some traces, as they would from the site's "Add metric / label" form or
 * a terminal: `labbook annotate` (run in-process here, to keep the demo fast) appends to their
 * files, which are then committed to the data branch as a merged annotations pull request.
 * They agree on most traces and disagree on a few, so agreement and the disagreement filter
 * have something to show. On more traces they also give their own `correct` and `answer_type`
 * (what two evaluators score), so the run page's "Judges and people" section has automated
 * judges to check against people.
 */
import { runDir } from '../../src/store/layout.ts';
import { readPlainTraces } from '../../src/store/trace-storage.ts';
import { main } from '../../src/cli/main.ts';

interface TraceLine {
  id: string;
  output?: unknown;
  scores?: Array<{ name: string; value: unknown }>;
}

const REVIEWERS = ['Ada Reviewer', 'Ben Checker'] as const;
/** Traces per run on which both reviewers also check the evaluators (`correct`, `answer_type`). */
const JUDGE_CHECKS = 30;

/**
 * Annotates the first `count` traces of each run with a verdict and a score, and the first
 * JUDGE_CHECKS with the reviewers' own `correct` and `answer_type`; returns the
 * `labbook annotate` commands it ran.
 */
export async function reviewRuns(dataDir: string, runIds: string[], count: number): Promise<string[]> {
  const commands: string[] = [];
  for (const runId of runIds) {
    const traces = (await readPlainTraces(runDir(dataDir, 'demo', runId)))
      .trim()
      .split('\n')
      .slice(0, Math.max(count, JUDGE_CHECKS))
      .map((l) => JSON.parse(l) as TraceLine);
    for (const [index, trace] of traces.entries()) {
      const correct = trace.scores?.find((s) => s.name === 'correct')?.value === true;
      for (const [who, author] of REVIEWERS.entries()) {
        const argv = ['annotate', '--data', dataDir, '--run', runId, '--trace', trace.id];
        if (index < count) {
          // Ben is stricter on every third trace the agent got right: that is where they disagree.
          const strict = who === 1 && correct && index % 3 === 0;
          const verdict = !correct ? (index % 2 === 0 ? 'hallucination' : 'needs review') : strict ? 'needs review' : 'approved';
          const score = !correct ? 0.2 : strict ? 0.6 : 0.9;
          argv.push('--label', `verdict=${verdict}`, '--metric', `reviewer_score=${score}`);
          if (!correct) argv.push('--note', 'The answer does not match the source passage.');
        }
        argv.push(...judgeChecks(trace, index, correct), '--author', author);
        let output = '';
        const code = await main(argv, { cwd: dataDir, stdout: (t) => (output += t), stderr: (t) => (output += t) });
        if (code !== 0) throw new Error(`labbook ${argv.join(' ')} failed:\n${output}`);
        commands.push(`labbook ${argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`);
      }
    }
  }
  return commands;
}

/**
 * Both reviewers' own `correct` (1/0) and `answer_type`, set against the evaluators' values by
 * the "Judges and people" section. They accept an extractive answer the exact-match evaluator
 * failed on every fourth trace (a paraphrase it cannot see), and on every ninth trace they name
 * the answer type differently.
 */
function judgeChecks(trace: TraceLine, index: number, correct: boolean): string[] {
  const args: string[] = [];
  const type = trace.scores?.find((s) => s.name === 'answer_type')?.value;
  const paraphrase = !correct && type === 'extractive' && index % 4 === 1;
  args.push('--metric', `correct=${correct || paraphrase ? 1 : 0}`);
  if (typeof type === 'string')
    args.push('--label', `answer_type=${index % 9 === 4 ? (type === 'extractive' ? 'refusal' : 'extractive') : type}`);
  return args;
}
