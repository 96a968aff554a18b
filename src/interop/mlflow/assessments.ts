import type { Score, ScoreSource } from '../../../schemas/score.ts';
import type { ReportBuilder } from '../import-report.ts';
import { isRecord, parseJsonLoose } from '../json-value.ts';
import type { Where } from './mlflow-span.ts';

/** MLflow's assessment source types; `AI_JUDGE` is the name MLflow used before `LLM_JUDGE`. */
const SOURCE_TYPES: Readonly<Record<string, ScoreSource>> = {
  HUMAN: 'human',
  LLM_JUDGE: 'llm_judge',
  AI_JUDGE: 'llm_judge',
  CODE: 'code',
};

interface MappedAssessments {
  scores: Score[];
  /** The expectations: one becomes `expected` as it is, several an object by name. */
  expected?: unknown;
}

/**
 * MLflow assessments as Labbook scores. A feedback becomes a score (`assessment_name`, the
 * value, `rationale`, `source.source_type` → human / llm_judge / code, `source.source_id` as
 * the evaluator); a feedback that failed becomes a score with value null and its error. An
 * expectation becomes the trace's expected output. Assessments MLflow marks `valid: false`
 * (superseded by an override) are skipped, with a warning. Both the protobuf-JSON shape
 * (`assessment_name`, timestamps as strings) and the older dict (`name`) are read.
 */
export function mapAssessments(raw: unknown, traceLabel: string, where: Where, report: ReportBuilder): MappedAssessments {
  const scores: Score[] = [];
  const expectations: Array<{ name: string; value: unknown }> = [];
  if (!Array.isArray(raw)) return { scores };
  for (const assessment of raw) {
    if (!isRecord(assessment)) continue;
    const name =
      typeof assessment.assessment_name === 'string'
        ? assessment.assessment_name
        : typeof assessment.name === 'string'
          ? assessment.name
          : undefined;
    if (!name) {
      report.mapped.skipped++;
      report.warn('assessment', { ...where, message: `trace ${traceLabel}: an assessment without a name was skipped` }, 'assessment');
      continue;
    }
    if (assessment.valid === false) {
      report.mapped.skipped++;
      report.warn(
        'assessment-invalid',
        { ...where, message: `trace ${traceLabel}: assessment "${name}" is marked invalid (superseded by an override) and was skipped` },
        'superseded assessment',
      );
      continue;
    }
    if (typeof assessment.span_id === 'string' && assessment.span_id !== '') {
      report.warn(
        'assessment-span',
        {
          ...where,
          message: `trace ${traceLabel}: assessment "${name}" was given to span ${assessment.span_id}; Labbook scores belong to the trace`,
        },
        'span-level assessment',
      );
    }

    if (isRecord(assessment.expectation)) {
      const expectation = assessment.expectation;
      const serialized = isRecord(expectation.serialized_value) ? expectation.serialized_value.value : undefined;
      expectations.push({ name, value: expectation.value !== undefined ? expectation.value : parseJsonLoose(serialized) });
      continue;
    }
    if (!isRecord(assessment.feedback)) {
      report.mapped.skipped++;
      report.warn(
        'assessment',
        { ...where, message: `trace ${traceLabel}: assessment "${name}" has neither feedback nor expectation and was skipped` },
        'assessment',
      );
      continue;
    }

    const source = isRecord(assessment.source) ? assessment.source : {};
    const sourceType = typeof source.source_type === 'string' ? source.source_type : undefined;
    const mappedSource = sourceType ? SOURCE_TYPES[sourceType] : undefined;
    if (!mappedSource) {
      report.warn(
        'assessment-source',
        { ...where, message: `trace ${traceLabel}: assessment "${name}" has source type ${sourceType ?? '(none)'}; recorded as code` },
        'assessment source',
      );
    }
    // Every key in the schema's order (absent ones undefined), so the stored JSON is the same as the schema's parse would give.
    const score: Score = {
      name: name.slice(0, 200),
      value: null,
      rationale: undefined,
      source: mappedSource ?? 'code',
      evaluator: undefined,
      error: undefined,
    };
    const feedbackValue = assessment.feedback.value;
    if (typeof feedbackValue === 'number' || typeof feedbackValue === 'boolean' || feedbackValue === null) {
      score.value = feedbackValue;
    } else if (typeof feedbackValue === 'string') {
      score.value = feedbackValue.slice(0, 10_000);
    } else if (feedbackValue !== undefined) {
      score.value = JSON.stringify(feedbackValue).slice(0, 10_000);
      report.warn(
        'assessment-value',
        { ...where, message: `trace ${traceLabel}: assessment "${name}" has a structured value; recorded as its JSON text` },
        'structured assessment value',
      );
    }
    const error = assessment.feedback.error ?? assessment.error;
    if (isRecord(error)) {
      score.error =
        [error.error_code, error.error_message].filter((part) => typeof part === 'string' && part !== '').join(': ') || 'failed';
    }
    if (typeof assessment.rationale === 'string' && assessment.rationale !== '') score.rationale = assessment.rationale;
    if (typeof source.source_id === 'string' && source.source_id !== '' && source.source_id !== 'default')
      score.evaluator = source.source_id.slice(0, 200);
    scores.push(score);
  }
  report.mapped.expectations += expectations.length;
  if (expectations.length === 0) return { scores };
  return {
    scores,
    expected: expectations.length === 1 ? expectations[0]!.value : Object.fromEntries(expectations.map(({ name, value }) => [name, value])),
  };
}
