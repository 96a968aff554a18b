import type { Direction } from './run-rows.ts';

/**
 * Which way a metric improves, in words: "higher is better". The site never says it with an
 * arrow (↑ ↓) beside a column name, which readers take for the column's sort order.
 */
export function directionText(direction: Direction | null | undefined): string {
  return direction ? `${direction} is better` : '';
}
