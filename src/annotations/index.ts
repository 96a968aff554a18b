// The annotations' public surface (`labbook/annotations`): reading and checking experts'
// annotation files, summarising them per trace and run, agreement between people and with the
// LLM judges, and the browser-safe pieces the site's "Annotate" form uses.
export type { AnnotationEntry, AnnotationKind } from './annotation-entry.ts';
export { loadAnnotations, type LoadAnnotationsOptions } from './load-annotations.ts';
export { annotationsForRuns, type AnnotationsForRuns } from './annotations-for-runs.ts';
export { checkAnnotations, type AnnotationCheckReport, type CheckAnnotationsOptions } from './check-annotations.ts';
export type { AddedAnnotation, AnnotationChanges } from './annotation-changes.ts';
export {
  reducedValues,
  summarizeAnnotations,
  type AnnotationSummary,
  type Disagreement,
  type LabelCount,
  type NameAgreement,
  type RunAnnotationSummary,
  type RunNameSummary,
  type SummarizeOptions,
  type TraceAnnotationSummary,
  type TraceNameSummary,
} from './summarize-annotations.ts';
export { agreementOverRuns } from './agreement-over-runs.ts';
export { agreementText, alphaText, kappaWords } from './agreement-text.ts';
export {
  judgesAndPeople,
  JUDGE_TOLERANCE_SHARE,
  type Estimate,
  type JudgeErrorPair,
  type JudgeErrors,
  type JudgeRow,
  type JudgesAndPeople,
} from './judges-and-people.ts';
export { estimateText, judgeErrorsText, judgeRowText, judgesStateText, type JudgeRowText } from './judges-and-people-text.ts';
export { buildNewFileLink, MAX_NEW_FILE_URL_LENGTH, type NewFileLink, type NewFileLinkInput } from './new-file-url.ts';
export { validateNewAnnotation, type NewAnnotationIssue } from './validate-new-annotation.ts';
export type { NewAnnotation } from './entry-yaml.ts';
