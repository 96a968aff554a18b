import type { AlignmentReport } from './comparison.ts';

/**
 * The sentence that says a comparison compared nothing, or null when some example is in every
 * run. The CLI, the site's compare page and the action's PR comment all lead with it: without
 * it, a table of "not compared" rows reads like a comparison that found no difference.
 * A partial overlap is not this case: the alignment says how many examples matched.
 */
export function noSharedExampleText(alignment: AlignmentReport): string | null {
  if (alignment.matched > 0) return null;
  const counts = alignment.runs.map((r) => `${r.run}: ${r.examples}`).join(', ');
  return `the runs share no example: nothing can be paired (${counts} examples)`;
}
