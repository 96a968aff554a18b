import type { EvalPlan, EvalPlanInput } from '../../schemas/eval-plan.ts';
import { evalPlanSchema } from '../../schemas/eval-plan.ts';

interface PlanProposal {
  metric: string;
  mde: number;
  margin?: number;
  alpha: number;
  power: number;
  examplesNeeded: number | null;
  cluster?: string;
  trials?: number;
}

/**
 * A plan with the metric's mde (and margin) and the sample size they need, merged into an
 * existing plan when there is one: the metric's entry is replaced (keeping its margin unless a
 * new one is given), other metrics are kept, and
 * the sample size only grows (another metric may need more). alpha and power are the ones the
 * size was computed at, so the plan states the assumptions its number rests on.
 */
export function proposePlan(existing: EvalPlan | null, proposal: PlanProposal): EvalPlan {
  // The metric's margin is kept unless a new one is given: planning a sample size is no reason to drop it.
  const margin = proposal.margin ?? existing?.metrics.find((m) => m.name === proposal.metric)?.margin;
  const entry = { name: proposal.metric, mde: proposal.mde, ...(margin !== undefined ? { margin } : {}) };
  const metrics = existing ? existing.metrics.map((m) => (m.name === proposal.metric ? entry : m)) : [entry];
  if (existing && !existing.metrics.some((m) => m.name === proposal.metric)) metrics.push(entry);
  const sizes = [existing?.sampleSize, proposal.examplesNeeded ?? undefined].filter((n): n is number => n !== undefined);
  const input: EvalPlanInput = {
    ...(existing?.description !== undefined ? { description: existing.description } : {}),
    metrics,
    alpha: proposal.alpha,
    power: proposal.power,
    ...(sizes.length > 0 ? { sampleSize: Math.max(...sizes) } : {}),
    ...((existing?.cluster ?? proposal.cluster) !== undefined ? { cluster: existing?.cluster ?? proposal.cluster } : {}),
    ...((existing?.trials ?? proposal.trials) !== undefined ? { trials: existing?.trials ?? proposal.trials } : {}),
  };
  return evalPlanSchema.parse(input);
}
