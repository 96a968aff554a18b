import { meanBias, pearson, spearman, type Correlation, type MeanBias } from '../stats/correlation.ts';
import { judgeErrorCorrelation, type JudgeErrorCorrelation } from '../stats/judge-error-correlation.ts';
import type { JudgedName } from './judge-human-pairs.ts';
import { cohenKappaInterval, type KappaInterval } from './kappa-interval.ts';

/** How one judge agrees with people on one metric or label. */
type JudgeAgreement =
  | { judge: string; kind: 'metric'; n: number; pearson: Correlation; spearman: Correlation; bias: MeanBias }
  | { judge: string; kind: 'label'; n: number; kappa: KappaInterval };

interface NameAgreement {
  name: string;
  kind: 'metric' | 'label';
  judges: JudgeAgreement[];
  /** Metrics with two or more judges, on the traces every judge and the people scored. */
  errors: JudgeErrorCorrelation | null;
}

/** The statistics of every judge of one name against the people (pure; see judge-human-pairs.ts). */
export function judgeAgreement(judged: JudgedName): NameAgreement {
  const judges: JudgeAgreement[] = [];
  for (const [judge, pairs] of [...judged.judges].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (judged.kind === 'label') {
      judges.push({
        judge,
        kind: 'label',
        n: pairs.length,
        kappa: cohenKappaInterval(pairs.map((p) => [String(p.judge), String(p.human)] as const)),
      });
    } else {
      const j = pairs.map((p) => Number(p.judge));
      const h = pairs.map((p) => Number(p.human));
      judges.push({ judge, kind: 'metric', n: pairs.length, pearson: pearson(j, h), spearman: spearman(j, h), bias: meanBias(j, h) });
    }
  }
  return {
    name: judged.name,
    kind: judged.kind,
    judges,
    errors: judged.kind === 'metric' && judged.judges.size >= 2 ? sharedErrors(judged) : null,
  };
}

function sharedErrors(judged: JudgedName): JudgeErrorCorrelation {
  // Only traces every judge scored, so each error series lines up trace by trace.
  const byJudge = [...judged.judges].map(([name, pairs]) => [name, new Map(pairs.map((p) => [p.trace, p]))] as const);
  const common = [...byJudge[0]![1].keys()].filter((trace) => byJudge.every(([, m]) => m.has(trace))).sort();
  const human = common.map((trace) => Number(byJudge[0]![1].get(trace)!.human));
  return judgeErrorCorrelation(new Map(byJudge.map(([name, m]) => [name, common.map((trace) => Number(m.get(trace)!.judge))])), human);
}
