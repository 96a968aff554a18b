/**
 * Two reviewers judge some traces, as they would from the site's "Add metric / label" form or
 * a terminal: `labbook annotate` (run in-process here, to keep the demo fast) appends to their
 * files, which are then committed to the data branch as a merged annotations pull request.
 * They agree on most traces and disagree on a few, so agreement and the disagreement filter
 * have something to show. They also give their own `grounded` (a code evaluator's metric) and
 * `answer_type` (a label), so the run page's "Judges and people" section has an automated
 * judge to check against people: they find wrong answers less grounded than the evaluator does,
 * and on one trace they name the answer type differently.
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

/** Annotates the first `count` traces of each run; returns the `labbook annotate` commands it ran. */
export async function reviewRuns(dataDir: string, runIds: string[], count: number): Promise<string[]> {
  const commands: string[] = [];
  for (const runId of runIds) {
    const traces = (await readPlainTraces(runDir(dataDir, 'demo', runId))).trim().split('\n').slice(0, count).map((l) => JSON.parse(l) as TraceLine);
    for (const [index, trace] of traces.entries()) {
      const correct = trace.scores?.find((s) => s.name === 'correct')?.value === true;
      for (const [who, author] of REVIEWERS.entries()) {
        // Ben is stricter on every third trace the agent got right: that is where they disagree.
        const strict = who === 1 && correct && index % 3 === 0;
        const verdict = !correct ? (index % 2 === 0 ? 'hallucination' : 'needs review') : strict ? 'needs review' : 'approved';
        const score = !correct ? 0.2 : strict ? 0.6 : 0.9;
        const argv = ['annotate', '--data', dataDir, '--run', runId, '--trace', trace.id, '--label', `verdict=${verdict}`, '--metric', `reviewer_score=${score}`, ...judgeChecks(trace, index, correct), '--author', author];
        if (!correct) argv.push('--note', 'The answer does not match the source passage.');
        let output = '';
        const code = await main(argv, { cwd: dataDir, stdout: (t) => (output += t), stderr: (t) => (output += t) });
        if (code !== 0) throw new Error(`labbook ${argv.join(' ')} failed:\n${output}`);
        commands.push(`labbook ${argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`);
      }
    }
  }
  return commands;
}

/** The same `grounded` and `answer_type` from both reviewers, set against the evaluators' values. */
function judgeChecks(trace: TraceLine, index: number, correct: boolean): string[] {
  const args: string[] = [];
  const grounded = trace.scores?.find((s) => s.name === 'grounded')?.value;
  if (typeof grounded === 'number') {
    const human = Math.min(1, Math.max(0, grounded - (correct ? 0 : 0.3) + ((index % 3) - 1) * 0.05));
    args.push('--metric', `grounded=${Math.round(human * 100) / 100}`);
  }
  const type = trace.scores?.find((s) => s.name === 'answer_type')?.value;
  if (typeof type === 'string') args.push('--label', `answer_type=${index === 4 ? (type === 'extractive' ? 'tool' : 'extractive') : type}`);
  return args;
}
