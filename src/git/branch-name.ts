/**
 * Why `value` is not a branch name git would accept (`git check-ref-format --branch`) in the
 * characters a link and a pull request form carry safely (letters, digits, `.`, `_`, `-` and `/`
 * between parts), or null when it is one. The one rule for every place a data branch is named:
 * `labbook init`, `labbook site build` and the action's inputs.
 */
export function branchNameProblem(value: string): string | null {
  if (!/^[A-Za-z0-9._/-]+$/.test(value)) return 'use letters, digits, ".", "_", "-" and "/", such as main or labbook-data';
  const parts = value.split('/');
  if (parts.includes('')) return '"/" must sit between two parts';
  if (parts.some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'no part may start with "." or end with ".lock"';
  if (value.includes('..') || value.endsWith('.')) return 'it may not hold ".." or end with "."';
  if (value.startsWith('-') || value === 'HEAD') return 'it may not start with "-" or be HEAD';
  return null;
}
