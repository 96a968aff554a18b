import type { Score } from '../../schemas/score.ts';
import type { Span } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';
import { exampleIdFromInput } from '../json/example-id.ts';
import type { ReportBuilder } from './import-report.ts';
import type { LabbookTraceFields } from './span-semantics.ts';
import { formatGap } from './format-gap.ts';

/** Where a record was read: the file, and the line for JSON Lines input. */
export interface Where {
  file: string;
  line?: number;
}

/** What a span says beyond itself. Almost no span says anything, so most spans have none. */
export interface SpanNotes {
  /** The id Labbook wrote before the exporter made it OTLP hex (`labbook.span.id`). */
  originalId?: string;
  /** A placeholder span the exporter wrote for a trace without spans; dropped. */
  synthetic?: boolean;
  trace?: LabbookTraceFields;
  /** Scores the span's events carried (`gen_ai.evaluation.result`); they belong to the trace. */
  scores?: Score[];
}

/** One span on its way into a trace. */
export interface SpanDraft {
  span: Span;
  notes?: SpanNotes;
}

/**
 * A trace's spans and what the source format says about the trace itself. The spans are kept
 * as they will be stored, with where each was read and its notes beside them rather than one
 * wrapper object per span: an import of a million spans holds every one until the end.
 */
export interface TraceDraft {
  id: string;
  /** The spans in the order they were read. */
  spans: Span[];
  /** Where each span was read, by index: one object per file or line, shared by its spans. */
  sources: Where[];
  /** The notes of the few spans that have any, by index. */
  notes?: Map<number, SpanNotes>;
  /** Scores the format states for the trace (MLflow's assessments); span events add theirs. */
  scores: Score[];
  /** Fields the format states for the trace (MLflow's trace info); the root span fills the rest. */
  known?: Partial<Pick<Trace, 'exampleId' | 'input' | 'output' | 'expected' | 'status' | 'error' | 'start' | 'end' | 'tags'>>;
  metadata?: Record<string, unknown>;
  file: string;
  line?: number;
  /**
   * The run's dataset, by 1-based line, for traces that name their example by
   * `labbook.example.line` (the OTLP receiver sets it; an import has no dataset).
   */
  datasetLine?: (line: number) => DatasetExample | undefined;
}

/** A dataset line as a trace takes it: the example's id (its own, else its input's hash), input and expected. */
export interface DatasetExample {
  id: string;
  input: unknown;
  expected?: unknown;
}

/** Adds a span read at `where` to its trace. */
export function addSpan(trace: TraceDraft, draft: SpanDraft, where: Where): void {
  if (draft.notes) (trace.notes ??= new Map()).set(trace.spans.length, draft.notes);
  trace.spans.push(draft.span);
  trace.sources.push(where);
}

/**
 * Builds a Labbook trace from spans grouped by trace id, repairing what a tree cannot hold:
 * a repeated span id gets a suffix, a parent that is not in the trace makes its span a root,
 * and a cycle of parent ids is cut at the span where the walk closed it. Each repair is
 * counted and warned. Nothing recurses, so a chain of a million spans is as safe as a flat one.
 *
 * The trace's input and output are its root span's inputs and outputs (the earliest true root,
 * else the earliest orphan); its status is `error` when a root failed; its example id is
 * `labbook.example_id` when a span carries it, else a hash of the input.
 *
 * The draft is left as it was: a span that needs repair is copied first (see `own`), so a
 * trace can be built again from the same draft with more spans (LiveTraces' `prepare`).
 */
export function assembleTrace(draft: TraceDraft, report: ReportBuilder): Trace {
  const where = { file: draft.file, ...(draft.line !== undefined ? { line: draft.line } : {}) };
  let spans = draft.spans;
  let sources = draft.sources;
  let notes = draft.notes;
  const allNotes = notes ? [...notes.values()] : [];
  // A trace exported without spans carries its fields on a placeholder span, which is dropped.
  const placeholder = allNotes.find((note) => note.synthetic);
  if (placeholder) ({ spans, sources, notes } = withoutSynthetic(draft));
  // The span at i, made this trace's own (the array and the span copied) before it is changed.
  let owned: Uint8Array | undefined;
  const own = (i: number): Span => {
    if (!owned) {
      owned = new Uint8Array(spans.length);
      spans = spans.slice();
    }
    if (owned[i] === 0) {
      owned[i] = 1;
      spans[i] = { ...spans[i]! };
    }
    return spans[i]!;
  };

  // Labbook's own ids, when the exporter had to replace them with hex.
  if (notes) {
    const renamed = new Map<string, string>();
    for (const [i, note] of notes) if (note.originalId !== undefined) renamed.set(spans[i]!.id, note.originalId);
    if (renamed.size > 0) {
      for (let i = 0; i < spans.length; i++) {
        const { id, parentId } = spans[i]!;
        const newId = renamed.get(id) ?? id;
        const newParentId = parentId === null ? null : (renamed.get(parentId) ?? parentId);
        if (newId === id && newParentId === parentId) continue;
        const span = own(i);
        span.id = newId;
        span.parentId = newParentId;
      }
    }
  }

  // Index loops below, not forEach or for-of: this runs for every span imported, and the
  // callbacks and iterator results those can allocate add up over a million spans.
  const index = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (!index.has(span.id)) {
      index.set(span.id, i);
      continue;
    }
    let n = 2;
    while (index.has(`${span.id}~${n}`)) n++;
    const id = `${span.id}~${n}`;
    report.mapped.duplicateSpanIds++;
    report.warn(
      'duplicate-span-id',
      { ...sources[i]!, message: `trace ${draft.id}: span id ${span.id} appears more than once; this one is kept as ${id}` },
      'duplicate span id',
    );
    own(i).id = id;
    index.set(id, i);
  }

  const trueRoot = new Uint8Array(spans.length);
  for (let i = 0; i < spans.length; i++) if (spans[i]!.parentId === null) trueRoot[i] = 1;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.parentId !== null && !index.has(span.parentId)) {
      report.mapped.orphanSpans++;
      report.warn(
        'orphan',
        {
          ...sources[i]!,
          message: `trace ${draft.id}: span ${span.id} ("${span.name}") names parent ${span.parentId}, which is not in the input; imported as a root (the missing id is kept as otel.parent_span_id)`,
        },
        'orphan span',
      );
      const orphan = own(i);
      orphan.attributes = { ...span.attributes, 'otel.parent_span_id': span.parentId };
      orphan.parentId = null;
    }
  }

  // Cycles: walk up from each span; a walk that meets its own path has found one.
  const state = new Uint8Array(spans.length); // 0 unvisited, 1 on the current walk, 2 settled
  const path: number[] = [];
  for (let start = 0; start < spans.length; start++) {
    if (state[start] !== 0) continue;
    let current: number | undefined = start;
    while (current !== undefined && state[current] === 0) {
      state[current] = 1;
      path.push(current);
      const parentId: string | null = spans[current]!.parentId;
      const parent: number | undefined = parentId === null ? undefined : index.get(parentId);
      if (parent !== undefined && state[parent] === 1) {
        const span = spans[current]!;
        report.mapped.cyclesBroken++;
        report.warn(
          'cycle',
          {
            ...sources[current]!,
            message: `trace ${draft.id}: parent ids form a cycle through span ${span.id}; its parent link to ${span.parentId} was removed and it is imported as a root`,
          },
          'parent cycle',
        );
        own(current).parentId = null;
        break;
      }
      current = parent;
    }
    for (let i = 0; i < path.length; i++) state[path[i]!] = 2;
    path.length = 0;
  }

  const root = pickRoot(spans, trueRoot);
  const fields: LabbookTraceFields = { ...(root === undefined ? placeholder : notes?.get(root))?.trace };
  for (const note of allNotes) if (note.trace?.exampleId !== undefined) fields.exampleId ??= note.trace.exampleId;
  const rootSpan = root === undefined ? undefined : spans[root];
  const known = draft.known ?? {};
  if (fields.exampleLine !== undefined) {
    const example = draft.datasetLine?.(fields.exampleLine);
    if (example) {
      fields.exampleId ??= example.id;
      fields.input ??= { value: example.input };
      if (example.expected !== undefined) fields.expected ??= { value: example.expected };
    } else {
      report.warn(
        'no-example-line',
        {
          ...where,
          message: `trace ${draft.id} names dataset line ${fields.exampleLine} (labbook.example.line), which ${draft.datasetLine ? "the run's dataset does not have" : 'cannot be read here: the run has no dataset'}`,
        },
        'unknown dataset line',
      );
    }
  }

  const input = fields.input ? fields.input.value : 'input' in known ? known.input : rootSpan?.inputs;
  const output = fields.output ? fields.output.value : 'output' in known ? known.output : rootSpan?.outputs;
  const expected = fields.expected ? fields.expected.value : known.expected;

  let start = fields.start ?? known.start;
  let end = fields.end ?? known.end;
  if (start === undefined || end === undefined) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      if (span.start < min) min = span.start;
      if (span.end > max) max = span.end;
    }
    start ??= Number.isFinite(min) ? min : (end ?? 0);
    end ??= Number.isFinite(max) ? max : start;
  }
  if (end < start) {
    // Times another tool stated (MLflow's negative duration, labbook.* attributes): kept, as an
    // instantaneous trace, as draftSpan keeps such a span (the schema takes no negative duration).
    report.warn(
      'end-before-start',
      { ...where, message: `trace ${draft.id} ends ${formatGap(start - end)} before it starts; its end was set to its start` },
      'trace ending before its start',
    );
    end = start;
  }

  let failedRoot: Span | undefined;
  for (let i = 0; i < spans.length && !failedRoot; i++) {
    const span = spans[i]!;
    if (span.parentId === null && span.status === 'error' && (trueRoot[i] === 1 || root === i)) failedRoot = span;
  }
  const status = fields.status ?? known.status ?? (failedRoot ? 'error' : 'ok');
  const error = fields.error ?? known.error ?? (status === 'error' ? (failedRoot?.error ?? rootSpan?.error) : undefined);

  let exampleId = fields.exampleId ?? known.exampleId;
  if (exampleId === undefined) {
    if (input === undefined) {
      report.mapped.tracesWithoutInput++;
      report.warn(
        'no-input',
        {
          ...where,
          message: `trace ${draft.id} has no input (no root span inputs); its example id is derived from the trace id, so it will not pair with other runs`,
        },
        'trace without input',
      );
    }
    exampleId = exampleIdFromInput(input === undefined ? { traceId: fields.id ?? draft.id } : input);
  }

  const scores = [...draft.scores];
  for (const note of allNotes) if (note.scores) scores.push(...note.scores);

  const metadata = fields.metadata ?? draft.metadata;
  // Keys in the schema's order, absent ones undefined (JSON leaves them out): the run's
  // traces.jsonl line is then this object's JSON as it stands, the same bytes the schema's
  // parse would give, and every trace has one shape.
  const trace: Trace = {
    id: fields.id ?? draft.id,
    exampleId,
    input: input ?? null,
    output,
    expected,
    status,
    error,
    start,
    end,
    durationMs: Math.max(0, end - start),
    spans,
    scores,
    tags: fields.tags ?? known.tags ?? [],
    metadata: metadata && Object.keys(metadata).length > 0 ? metadata : undefined,
  };
  report.countTrace(trace);
  return trace;
}

/** The earliest-starting true root, else the earliest span left without a parent. */
function pickRoot(spans: readonly Span[], trueRoot: Uint8Array): number | undefined {
  let best: number | undefined;
  let bestOrphan: number | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.parentId !== null) continue;
    if (trueRoot[i]) {
      if (best === undefined || span.start < spans[best]!.start) best = i;
    } else if (bestOrphan === undefined || span.start < spans[bestOrphan]!.start) {
      bestOrphan = i;
    }
  }
  return best ?? bestOrphan;
}

/** The draft's spans, sources and notes without the exporter's placeholder spans. */
function withoutSynthetic(draft: TraceDraft): Pick<TraceDraft, 'spans' | 'sources' | 'notes'> {
  const spans: Span[] = [];
  const sources: Where[] = [];
  const notes = new Map<number, SpanNotes>();
  draft.spans.forEach((span, i) => {
    const note = draft.notes?.get(i);
    if (note?.synthetic) return;
    if (note) notes.set(spans.length, note);
    spans.push(span);
    sources.push(draft.sources[i]!);
  });
  return { spans, sources, notes };
}
