import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Score } from '../../schemas/score.ts';
import { DEMO_EXPERIMENT_YAML, entryYaml, makeSealedRuns } from './annotation-fixture.ts';

const EXPERIMENT_YAML = DEMO_EXPERIMENT_YAML.replace(
  '  metrics:\n',
  '    tone: [polite, rude]\n  metrics:\n    helpful: { min: 0, max: 1 }\n',
);
import { makeTrace } from './make-trace.ts';

/** A judge named like markup, so every page that shows it must escape it. */
export const MARKUP_JUDGE = 'gpt <b>judge</b>';
export const TRACES = 12;

/** What the fixture's judges and people gave each trace i = 1…12, for tests to recompute from. */
export const judged = (i: number) => ({
  gpt: Math.round((((i * 7) % 11) / 10) * 100) / 100,
  length: Math.round((((i * 5) % 11) / 10) * 100) / 100,
  people: [Math.round((((i * 7 + (i % 3)) % 11) / 10) * 100) / 100, Math.round((((i * 7 + (i % 4)) % 11) / 10) * 100) / 100],
  tone: i % 3 === 0 ? 'rude' : 'polite',
  peopleTone: i % 4 === 0 ? 'rude' : 'polite',
});

export interface JudgeFixture {
  dataDir: string;
  /** Judged and annotated on every trace. */
  judgedRun: string;
  /** Annotated under a name no judge scored: the "no overlap" state. */
  otherRun: string;
}

/**
 * A data folder where two automated judges of `helpful` (an llm_judge and a code evaluator) and
 * one of the label `tone` meet two people's annotations of the same names on the same traces of
 * one run; the second run has only a `verdict` annotation, which no judge scores.
 */
export async function makeJudgeFixture(root: string): Promise<JudgeFixture> {
  const dataDir = join(root, 'experiments');
  const traces = () =>
    Array.from({ length: TRACES }, (_, k) => {
      const i = k + 1;
      const j = judged(i);
      const scores: Score[] = [
        { name: 'correct', value: i % 4 !== 0, source: 'code' },
        { name: 'helpful', value: j.gpt, source: 'llm_judge', evaluator: MARKUP_JUDGE },
        { name: 'helpful', value: j.length, source: 'code', evaluator: 'length' },
        { name: 'tone', value: j.tone, source: 'llm_judge' },
      ];
      return makeTrace(i, { scores });
    });
  const runs = await makeSealedRuns({ root, dataDir, experimentYaml: EXPERIMENT_YAML, configFile: 'baseline.yaml', traces });
  const [judgedRun, otherRun] = runs as [string, string];
  for (const [p, author] of ['Ada', 'Ben'].entries()) {
    let text = '';
    for (let i = 1; i <= TRACES; i++) {
      const at = `2026-01-0${3 + p}T10:${String(i).padStart(2, '0')}:00Z`;
      text += entryYaml({ run: judgedRun, trace: `t${i}`, name: 'helpful', value: judged(i).people[p]!, author, at });
      text += entryYaml({ run: judgedRun, trace: `t${i}`, name: 'tone', value: judged(i).peopleTone, author, at });
    }
    text += entryYaml({ run: otherRun, trace: 't1', name: 'verdict', value: 'approved', author, at: '2026-01-05T10:00:00Z' });
    writeFileSync(join(dataDir, 'demo', 'annotations', `${author.toLowerCase()}.yaml`), text);
  }
  return { dataDir, judgedRun, otherRun };
}
