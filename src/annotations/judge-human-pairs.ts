import type { Score } from '../../schemas/score.ts';
import type { Annotation } from '../../schemas/annotation.ts';

/** One trace scored by an automated judge and by people under the same name. */
export interface JudgeHumanPair<V> {
  trace: string;
  judge: V;
  /** The people's value: the mean of their numbers, or the label most of them gave. */
  human: V;
  annotators: number;
}

/** Every automated judge of one metric or label, each with the traces people also scored. */
export interface JudgedName {
  name: string;
  kind: 'metric' | 'label';
  /** Keyed by the evaluator's name, or its source (`llm_judge`, `code`) when it has none. */
  judges: Map<string, Array<JudgeHumanPair<number | string>>>;
}

/**
 * Sets automated scores (`llm_judge`, `code`) beside human annotations of the same name on the
 * same traces of one run. A boolean score pairs with numeric annotations as 1/0. Traces where
 * people split evenly on a label have no human value and are left out, as are errored scores.
 */
export function pairJudgesWithPeople(
  traces: ReadonlyArray<{ id: string; scores: ReadonlyArray<Score> }>,
  annotations: ReadonlyArray<Pick<Annotation, 'trace' | 'name' | 'value'>>,
): JudgedName[] {
  const people = new Map<string, Map<string, Array<number | string>>>();
  for (const a of annotations) {
    const byTrace = people.get(a.name) ?? new Map<string, Array<number | string>>();
    people.set(a.name, byTrace);
    byTrace.set(a.trace, [...(byTrace.get(a.trace) ?? []), a.value]);
  }
  const result = new Map<string, JudgedName>();
  for (const trace of traces) {
    // One value per judge, name and trace: the first, as the aggregate counts it (errored or not).
    const seen = new Set<string>();
    for (const score of trace.scores) {
      if (score.source === 'human') continue;
      const once = `${score.name}\u0000${score.evaluator ?? score.source}`;
      if (seen.has(once)) continue;
      seen.add(once);
      if (score.value === null) continue;
      const given = people.get(score.name)?.get(trace.id);
      if (!given) continue;
      const judgeValue = typeof score.value === 'boolean' ? Number(score.value) : score.value;
      const kind = typeof judgeValue === 'number' ? 'metric' : 'label';
      const human = kind === 'metric' ? meanOfNumbers(given) : majorityLabel(given);
      if (human === null) continue;
      const key = `${kind}\u0000${score.name}`;
      const entry: JudgedName = result.get(key) ?? { name: score.name, kind, judges: new Map() };
      result.set(key, entry);
      const judge = score.evaluator ?? score.source;
      const list = entry.judges.get(judge) ?? [];
      entry.judges.set(judge, list);
      list.push({ trace: trace.id, judge: judgeValue, human, annotators: given.length });
    }
  }
  return [...result.values()].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}

function meanOfNumbers(values: ReadonlyArray<number | string>): number | null {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return numbers.length === 0 ? null : numbers.reduce((s, v) => s + v, 0) / numbers.length;
}

function majorityLabel(values: ReadonlyArray<number | string>): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return null;
  return ranked[0]![0];
}
