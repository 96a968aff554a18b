import type { SpanType } from '../../schemas/span.ts';
import type { Trace } from '../../schemas/trace.ts';
import type { KindConvention } from './span-kind-map.ts';

export interface ImportWarning {
  file: string;
  /** 1-based; for JSON Lines input, the line the record came from. */
  line?: number;
  message: string;
}

/** What an import turned into Labbook records, and what it had to change to do so. */
interface ImportCounts {
  files: number;
  traces: number;
  spans: number;
  scores: number;
  /** Expectations (MLflow) that became a trace's `expected`. */
  expectations: number;
  spanTypes: Partial<Record<SpanType, number>>;
  /** Which attribute decided each span's type; `none` when no span kind attribute was present. */
  kindSources: Partial<Record<KindConvention | 'none', number>>;
  /** Spans whose kind attribute held a value no convention defines; typed UNKNOWN. */
  unknownKinds: number;
  /** Spans whose parent was not in the input; made roots. */
  orphanSpans: number;
  /** Parent links removed to break a cycle of parent ids. */
  cyclesBroken: number;
  /** Spans whose id repeated another span's in the same trace; given a new id. */
  duplicateSpanIds: number;
  /** Spans that ended before they started; their end set to their start. */
  endsBeforeStart: number;
  /** Traces without an input, whose example id was derived from the trace id instead. */
  tracesWithoutInput: number;
  /** Records skipped as unusable (an MLflow assessment marked invalid, say); each one warned. */
  skipped: number;
}

export interface ImportReport {
  mapped: ImportCounts;
  warnings: ImportWarning[];
}

export interface ImportResult {
  traces: Trace[];
  report: ImportReport;
}

/** Warnings of one kind kept in full; the rest are counted in one closing warning. */
const MAX_WARNINGS_PER_KIND = 20;

/**
 * Collects counts and warnings during an import. A million orphan spans must not make a
 * million warnings, so each kind of warning keeps its first `MAX_WARNINGS_PER_KIND` and then
 * counts; `finish()` adds one "… and N more" line per kind that overflowed.
 */
export class ReportBuilder {
  readonly mapped: ImportCounts = {
    files: 0,
    traces: 0,
    spans: 0,
    scores: 0,
    expectations: 0,
    spanTypes: {},
    kindSources: {},
    unknownKinds: 0,
    orphanSpans: 0,
    cyclesBroken: 0,
    duplicateSpanIds: 0,
    endsBeforeStart: 0,
    tracesWithoutInput: 0,
    skipped: 0,
  };
  readonly #warnings: ImportWarning[] = [];
  readonly #perKind = new Map<string, { count: number; file: string; label: string }>();
  #drained = 0;

  /** Records a warning of a kind (`orphan`, `unknown-kind`…); `label` names the kind in the overflow line. */
  warn(kind: string, warning: ImportWarning, label = kind): void {
    const seen = this.#perKind.get(kind) ?? { count: 0, file: warning.file, label };
    seen.count++;
    this.#perKind.set(kind, seen);
    if (seen.count <= MAX_WARNINGS_PER_KIND) this.#warnings.push(warning);
  }

  /** The warnings recorded since the last call (a live receiver logs them as they come). */
  drainWarnings(): ImportWarning[] {
    const fresh = this.#warnings.slice(this.#drained);
    this.#drained = this.#warnings.length;
    return fresh;
  }

  /** A trace was built (by `assembleTrace`, or from a draft it built before: LiveTraces' `prepare`). */
  countTrace(trace: Trace): void {
    this.mapped.traces++;
    this.mapped.scores += trace.scores.length;
  }

  /** Whether anything was warned of. */
  get warned(): boolean {
    return this.#perKind.size > 0;
  }

  countSpan(type: SpanType, source: KindConvention | 'none'): void {
    this.mapped.spans++;
    this.mapped.spanTypes[type] = (this.mapped.spanTypes[type] ?? 0) + 1;
    this.mapped.kindSources[source] = (this.mapped.kindSources[source] ?? 0) + 1;
  }

  finish(): ImportReport {
    const warnings = [...this.#warnings];
    for (const { count, file, label } of this.#perKind.values()) {
      if (count > MAX_WARNINGS_PER_KIND) warnings.push({ file, message: `… and ${count - MAX_WARNINGS_PER_KIND} more ${label} warnings` });
    }
    return { mapped: structuredClone(this.mapped), warnings };
  }
}
