/**
 * Bounds on what an annotation file may hold. Annotation files arrive from anyone who can open
 * a pull request, so every size is capped before anything is parsed or rendered: a file larger
 * than this is reported without being read. The string bounds repeat `schemas/annotation.ts`.
 */
export const ANNOTATION_LIMITS = {
  /** 2 MiB holds ~10,000 entries with short notes, the entry cap below. */
  fileBytes: 2 * 1024 * 1024,
  entriesPerFile: 10_000,
  traceLength: 200,
  nameLength: 100,
  labelLength: 200,
  authorLength: 100,
  noteLength: 5000,
  /** Problems reported per file before the rest are summarised in one line. */
  problemsPerFile: 50,
} as const;
