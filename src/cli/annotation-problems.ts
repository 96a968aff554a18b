import { formatProblem, type Problem } from '../errors/problem.ts';

/** Shown of the problems found reading annotations; `labbook annotations check` lists them all. */
const SHOWN = 5;

/**
 * The first few annotation problems, on stderr, each saying what became of its entry: an error
 * leaves the entry out, a warning (an undeclared name, say) keeps it. The rest are used.
 */
export function reportAnnotationProblems(problems: readonly Problem[], stderr: (line: string) => void): void {
  for (const problem of problems.slice(0, SHOWN))
    stderr(`${formatProblem(problem)}${problem.severity === 'error' ? ' (the annotation is left out)' : ''}`);
  if (problems.length > SHOWN) stderr(`… and ${problems.length - SHOWN} more annotation problems ("labbook annotations check" lists them)`);
}
