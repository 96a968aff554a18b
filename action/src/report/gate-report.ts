import type { Comparison, MetricComparison, MetricDelta, NonInferiority } from '../../../src/compare/comparison.ts';
import { planSummary } from '../../../src/compare/evidence-summary.ts';
import { deltaInUnit, interval, type Unit } from './format.ts';

type GateDecision = NonInferiority['decision'];

/** One metric's non-inferiority answer, in words a reviewer reads in the PR comment. */
export interface GateLine {
  metric: string;
  decision: GateDecision;
  icon: string;
  text: string;
}

/** The gate as a whole: the worst answer over the metrics with a margin, and why. */
export interface GateSummary {
  decision: GateDecision;
  icon: string;
  /** "pass: every metric with a margin is no worse than its margin" and the like. */
  headline: string;
}

const GATE_ICON: Record<GateDecision, string> = { pass: '✅', fail: '❌', indeterminate: '❔' };

/**
 * The non-inferiority answer of one delta, with the reason spelled out in the metric's unit:
 * where the (1 − α) interval of the change lies against the margin (−δ, or +δ for a metric
 * where lower is better), the significant regression that fails it, or how many paired
 * examples an indeterminate answer needs against how many were compared.
 */
export function describeGate(
  metric: MetricComparison,
  delta: MetricDelta,
  unit: Unit,
  confidence: number,
  marginFrom: string | null,
): GateLine | null {
  const gate = delta.nonInferiority;
  if (!gate) return null;
  const lower = metric.direction === 'lower';
  const bound = deltaInUnit(lower ? gate.margin : -gate.margin, unit);
  const margin = `margin ${deltaInUnit(gate.margin, unit).replace(/^\+/, '')}${marginFrom ? ` (${marginFrom})` : ''}`;
  const ci = delta.ci
    ? `the ${Math.round(confidence * 100)}% CI of the change ${interval(delta.ci, unit, true)}`
    : 'no interval of the change';
  let why: string;
  if (!delta.ci || delta.delta === null) why = `${ci}: nothing to decide on`;
  else if (gate.decision === 'pass') why = `${ci} lies ${lower ? 'below' : 'above'} ${bound}`;
  else if (gate.decision === 'fail') {
    const beyond = lower ? Math.min(...delta.ci) > gate.margin : Math.max(...delta.ci) < -gate.margin;
    why = beyond
      ? `${ci} lies ${lower ? 'above' : 'below'} ${bound}`
      : `a significant regression (${deltaInUnit(delta.delta, unit)}${delta.pAdjusted !== null ? `, adjusted p ${delta.pAdjusted < 0.001 ? '< 0.001' : `= ${delta.pAdjusted.toFixed(3)}`}` : ''}), though ${ci} reaches past ${bound}`;
  } else {
    const needed = gate.examplesNeeded;
    why = `${ci} straddles ${bound}: ${metric.n} paired example${metric.n === 1 ? '' : 's'} cannot tell${needed !== null ? `; about ${needed} would be needed (from the observed spread${metric.clusters !== undefined ? ' and design effect' : ''})` : ''}`;
  }
  return {
    metric: metric.name,
    decision: gate.decision,
    icon: GATE_ICON[gate.decision],
    text: `${metric.name}: ${gate.decision}, ${margin}: ${why}`,
  };
}

/** The worst answer wins: any fail fails the gate, else any indeterminate leaves it indeterminate. */
export function summarizeGate(lines: readonly GateLine[]): GateSummary | null {
  if (lines.length === 0) return null;
  const count = (d: GateDecision) => lines.filter((l) => l.decision === d).length;
  const fails = count('fail');
  const open = count('indeterminate');
  if (fails > 0)
    return {
      decision: 'fail',
      icon: GATE_ICON.fail,
      headline: `fail: ${fails} of ${lines.length} metric${lines.length > 1 ? 's' : ''} with a margin ${fails > 1 ? 'are' : 'is'} worse than allowed`,
    };
  if (open > 0)
    return {
      decision: 'indeterminate',
      icon: GATE_ICON.indeterminate,
      headline: `indeterminate: the sample cannot tell for ${open} of ${lines.length} metric${lines.length > 1 ? 's' : ''} with a margin`,
    };
  return {
    decision: 'pass',
    icon: GATE_ICON.pass,
    headline: `pass: ${lines.length > 1 ? `all ${lines.length} metrics` : 'the metric'} with a margin ${lines.length > 1 ? 'are' : 'is'} no worse than the baseline by more than the margin`,
  };
}

/** Where a metric's margin came from, when the comparison ran under a plan. */
export function marginSource(comparison: Comparison, metric: string): string | null {
  const planned = comparison.plan?.metrics.find((m) => m.name === metric);
  if (!comparison.plan) return null;
  if (planned?.marginFrom === 'plan') return 'from the plan';
  return 'from experiment.yaml';
}

/** The plan the comparison was held to, and its flags: the same summary the site and the PDF show. */
export function describePlanForReport(comparison: Comparison): { text: string; flags: string[] } | null {
  return planSummary(comparison);
}
