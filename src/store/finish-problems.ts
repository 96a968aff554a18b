import type { FinishRunResult } from './finish-run.ts';

/** One line per problem, for a terminal or a log. */
export function describeFinishProblems(result: FinishRunResult): string[] {
  return [...result.errors.map((e) => `error: ${e.message}`), ...result.warnings.map((w) => `warning: ${w}`)];
}
