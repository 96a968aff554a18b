/**
 * Whether `commit` was once the tip of a branch now at `tip`: whether it lies on the branch's
 * first-parent line (`git log --first-parent`), the commits the branch itself moved through.
 * A pull request merged with a merge commit brings its own commits into the branch's history
 * through the merge's second parent: in the history, never the tip, never reviewed as the
 * branch. `firstParents` maps each commit reachable from `tip` but not from `commit` (what
 * GitHub's compare `commit...tip` lists) to its first parent. The first-parent line from `tip`
 * down to `commit`, if there is one, runs through those commits only, so leaving them first
 * means no; when the list was cut short (`complete` false) that is not known: null. Pure.
 */
export function onFirstParentLine(
  tip: string,
  commit: string,
  firstParents: ReadonlyMap<string, string | undefined>,
  complete: boolean,
): boolean | null {
  if (tip === commit) return true;
  const seen = new Set<string>();
  for (let current: string | undefined = tip; current !== undefined && firstParents.has(current) && !seen.has(current);) {
    seen.add(current);
    current = firstParents.get(current);
    if (current === commit) return true;
    if (current !== undefined && !firstParents.has(current)) return complete ? false : null;
  }
  return complete ? false : null;
}
