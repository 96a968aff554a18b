import type { JudgesAndPeople } from '#lib/annotations/judges-and-people.ts';
import { judgeErrorsText, judgeRowText, judgesStateText, type JudgeRowText } from '#lib/annotations/judges-and-people-text.ts';

/**
 * The run page's "Judges and people" section (and each run's on the compare page, which runs
 * this in the browser: no Node imports). Text only; the pages escape it.
 */
export interface JudgesSectionView {
  /** False: no annotations at all, so no section. */
  show: boolean;
  state: JudgesAndPeople['state'];
  intro: string;
  rows: JudgeRowText[];
  /** Error correlation of several judges of a metric, one line each. */
  notes: string[];
  /** Traces where some judge and the people disagree (the traces table's filter shows them). */
  disagreeing: number;
}

const NO_JUDGES: JudgesSectionView = { show: false, state: 'none', intro: '', rows: [], notes: [], disagreeing: 0 };

/** `judges` is absent for runs whose data was built before judges were paired. */
export function judgesSectionView(judges: JudgesAndPeople | undefined): JudgesSectionView {
  if (!judges || judges.state === 'none') return NO_JUDGES;
  return {
    show: true,
    state: judges.state,
    intro: judgesStateText(judges) ?? '',
    rows: judges.rows.map(judgeRowText),
    notes: judges.errors.flatMap(judgeErrorsText),
    disagreeing: judges.disagreeing.length,
  };
}
