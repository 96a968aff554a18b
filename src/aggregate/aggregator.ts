import type { RunMetrics } from '../../schemas/metrics.ts';
import type { Trace } from '../../schemas/trace.ts';
import { GrowableFloat64Array } from '../stats/growable-array.ts';
import { summarizeDistribution } from './distribution.ts';
import { ScoreAccumulator } from './score-accumulator.ts';
import { measureSpan, noMeasures } from './span-measures.ts';
import { spanToolName } from './tool-name.ts';
import { UsageGroups } from './usage-groups.ts';

interface Aggregator {
  /** Folds one trace in. The trace object is not retained. */
  add(trace: Trace): void;
  /** The metrics of everything added so far (can be called more than once). */
  result(): RunMetrics;
}

/**
 * Streams traces into run metrics (metrics.json). Only compact per-trace numbers are kept
 * (latency, tokens, cost and each score in typed arrays), so a 100,000-trace run needs a few
 * megabytes, not the traces.
 *
 * Definitions:
 * - scores: per name, one value per trace (if a trace carries the same name twice, the first
 *   wins); see ScoreAccumulator for the number / boolean / label rules; `value: null`, a score
 *   with `error`, and NaN/±Infinity count in `errors`.
 * - percentiles: linear interpolation between closest ranks (numpy's default).
 * - latencyMs: trace.durationMs of every trace.
 * - tokens: usage summed over ALL spans of the trace (evaluation scripts put usage on the leaf
 *   LLM spans; a parent span that repeats its children's usage would be counted twice).
 *   total = usage.total ?? input + output. `perTrace` covers traces with at least one span
 *   carrying usage; `simulated` is true if any usage was estimated.
 * - cost: span.cost.total summed over all spans; `perTrace` covers traces with at least one
 *   span carrying cost.
 * - byType / byModel / byTool: calls, errors (span status 'error'), tokens, cost and
 *   durationMs (end − start, never negative) per span type, per span.model, and per TOOL
 *   span's tool name (`spanToolName`: `gen_ai.tool.name`, `tool.name` or `ai.toolCall.name`)
 *   or else its name.
 * - traces.errors: traces with status 'error'; errorRate is null for zero traces.
 */
export function createAggregator(): Aggregator {
  let traceCount = 0;
  let traceErrors = 0;
  let spanCount = 0;
  let simulated = false;
  const totals = { input: 0, output: 0, total: 0, cached: 0, cost: 0 };
  const latency = new GrowableFloat64Array(1024);
  const tokensPerTrace = new GrowableFloat64Array(1024);
  const costPerTrace = new GrowableFloat64Array(1024);
  const scores = new Map<string, ScoreAccumulator>();
  const byType = new UsageGroups();
  const byModel = new UsageGroups();
  const byTool = new UsageGroups();
  const seenScores = new Set<string>();
  /** Each span's measures, in turn (read by the groups at once, never kept). */
  const measures = noMeasures();

  return {
    add(trace) {
      traceCount++;
      if (trace.status === 'error') traceErrors++;
      if (Number.isFinite(trace.durationMs)) latency.push(trace.durationMs);

      let traceTokens = 0;
      let traceCost = 0;
      let hasUsage = false;
      let hasCost = false;
      const spans = trace.spans ?? [];
      spanCount += spans.length;
      for (const span of spans) {
        const usage = measureSpan(span, measures);
        if (span.usage !== undefined) {
          hasUsage = true;
          if (span.usage.simulated === true) simulated = true;
          traceTokens += usage.totalTokens;
          totals.input += usage.inputTokens;
          totals.output += usage.outputTokens;
          totals.total += usage.totalTokens;
          totals.cached += usage.cachedTokens;
        }
        if (span.cost !== undefined) {
          hasCost = true;
          traceCost += usage.cost;
          totals.cost += usage.cost;
        }
        byType.add(span.type ?? 'UNKNOWN', usage);
        if (span.model !== undefined) byModel.add(span.model, usage);
        if (span.type === 'TOOL') byTool.add(spanToolName(span), usage);
      }
      if (hasUsage) tokensPerTrace.push(traceTokens);
      if (hasCost) costPerTrace.push(traceCost);

      seenScores.clear();
      for (const score of trace.scores ?? []) {
        if (seenScores.has(score.name)) continue;
        seenScores.add(score.name);
        let acc = scores.get(score.name);
        if (acc === undefined) {
          acc = new ScoreAccumulator();
          scores.set(score.name, acc);
        }
        acc.add(score.value, score.error !== undefined, trace.trial !== undefined ? trace.exampleId : undefined);
      }
    },

    result() {
      const scoreRecord: RunMetrics['scores'] = {};
      for (const name of [...scores.keys()].sort()) scoreRecord[name] = (scores.get(name) as ScoreAccumulator).summary();
      return {
        schemaVersion: 1,
        traces: {
          count: traceCount,
          errors: traceErrors,
          errorRate: traceCount === 0 ? null : traceErrors / traceCount,
          spans: spanCount,
        },
        scores: scoreRecord,
        latencyMs: summarizeDistribution(latency.view()),
        tokens: {
          input: totals.input,
          output: totals.output,
          total: totals.total,
          cached: totals.cached,
          perTrace: summarizeDistribution(tokensPerTrace.view()),
          simulated,
        },
        cost: { total: totals.cost, perTrace: summarizeDistribution(costPerTrace.view()) },
        byType: byType.toRecord(),
        byModel: byModel.toRecord(),
        byTool: byTool.toRecord(),
      };
    },
  };
}
