import { formatProblem, type Problem } from '../errors/problem.ts';

/** Shown of the problems found reading annotations; `labbook annotations check` lists them all. */
const SHOWN = 5;

/** The first few annotation problems, on stderr: the entries they name are left out, the rest used. */
export function reportAnnotationProblems(problems: readonly Problem[], stderr: (line: string) => void): void {
  for (const problem of problems.slice(0, SHOWN)) stderr(formatProblem(problem));
  if (problems.length > SHOWN) stderr(`… and ${problems.length - SHOWN} more annotation problems (those entries are left out)`);
}
