import { wilsonInterval } from '../stats/wilson.ts';
import type { FlatSpan } from '../store/flat-span.ts';
import { toolName } from './span-keys.ts';

export interface ToolSuccess {
  tool: string;
  calls: number;
  /** TOOL spans with status `error`. */
  errors: number;
  /** (calls − errors) / calls; null when there were no calls. */
  successRate: number | null;
  /** 95% Wilson interval of the success rate (honest at 0 % and 100 % on few calls). */
  ci: [number, number] | null;
}

/**
 * Success rates of tool calls, per tool. A call is a TOOL span; it failed when its status is
 * `error` (`unset` counts as success: exporters that never set a status did not report a
 * failure). Tools are named as in `metrics.json`: `gen_ai.tool.name` (or `tool.name`, `ai.toolCall.name`), else the span name.
 */
export class ToolSuccessRates {
  readonly #tools = new Map<string, { calls: number; errors: number }>();

  add(flat: FlatSpan): void {
    if (flat.span.type !== 'TOOL') return;
    const name = toolName(flat);
    let entry = this.#tools.get(name);
    if (entry === undefined) {
      entry = { calls: 0, errors: 0 };
      this.#tools.set(name, entry);
    }
    entry.calls++;
    if (flat.span.status === 'error') entry.errors++;
  }

  /** One entry per tool, sorted by name. */
  result(): ToolSuccess[] {
    return [...this.#tools.keys()].sort().map((tool) => {
      const { calls, errors } = this.#tools.get(tool)!;
      return { tool, calls, errors, successRate: calls === 0 ? null : (calls - errors) / calls, ci: wilsonInterval(calls - errors, calls) };
    });
  }
}

export async function toolSuccessRates(spans: AsyncIterable<FlatSpan> | Iterable<FlatSpan>): Promise<ToolSuccess[]> {
  const acc = new ToolSuccessRates();
  for await (const flat of spans) acc.add(flat);
  return acc.result();
}
