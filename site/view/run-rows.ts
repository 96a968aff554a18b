import type { Trace } from '#schemas/trace.ts';
import { PREVIEW_CHARS, previewText, truncate } from './preview.ts';
import { spanFacets } from './span-facets.ts';

/**
 * Distinct attribute facets a run keeps for filtering. Span types, models and tools are always
 * kept; attribute values past this many (ids, timestamps) would only bloat rows.json.
 */
const MAX_ATTRIBUTE_FACETS = 1000;

export type ColumnKind = 'number' | 'boolean' | 'label';
export type Direction = 'higher' | 'lower';
/** Evaluation scores (from traces.jsonl) or people's annotations (from annotations/*.yaml). */
export type ColumnSource = 'score' | 'annotation';

/**
 * One value column of the traces table. `source` says where the values come from: evaluation
 * scores (`score:<name>`), or annotations (`annotation:<name>`), several judgements of one trace
 * already reduced to one value (the mean, or the most frequent label) as the compare engine does.
 */
export interface ScoreColumn {
  /** Unique among a run's columns, e.g. `score:f1`, `annotation:verdict`. Used in URLs (filters, sort). */
  key: string;
  name: string;
  source: ColumnSource;
  kind: ColumnKind;
  direction: Direction | null;
  /** One per row: a number (booleans as 1/0), a label, or null (missing or evaluator error). */
  values: (number | string | null)[];
}

/**
 * `data/<experiment>/<run>/rows.json`: everything the traces table shows, column by column
 * (no repeated keys), with previews cut to PREVIEW_CHARS. Row i is the i-th trace of
 * `traces.jsonl`.
 */
export interface RunRows {
  v: 1;
  experiment: string;
  run: string;
  count: number;
  id: string[];
  example: string[];
  input: string[];
  output: string[];
  /** The trace's error message, cut short; '' when none. */
  error: string[];
  /** 1 for a trace with status `error`. */
  status: (0 | 1)[];
  latency: number[];
  tokens: (number | null)[];
  cost: (number | null)[];
  spans: number[];
  tags: string[];
  /**
   * Short hashes (16 hex digits of sha256) of each trace's input and output as canonical JSON:
   * the compare page matches inputs and detects changed outputs with them, without the full values.
   */
  inputHash: string[];
  outputHash: string[];
  /** Score columns (by name), then annotation columns (by name). */
  scores: ScoreColumn[];
  /** Each row's trial number (null without one), when some trace of the run has one: compare averages trials. */
  trial?: (number | null)[];
  /** With a cluster key in force: each row's value at the key as JSON (null without one), for compare's clustered errors. */
  cluster?: { key: string; values: (string | null)[] };
  /** Rows (ascending) where the people who annotated the trace disagree on some name. */
  disagreements: number[];
  /**
   * Rows (ascending) where an automated judge and the people disagree on a name both scored
   * (src/annotations/judges-and-people.ts). Absent when there are none, and in rows written before.
   */
  judgeDisagreements?: number[];
  /**
   * What the run's spans are (`type:LLM`, `model:…`, `tool:…`, `attr:key=value`; see
   * span-facets.ts), each once; `facets[i]` lists the indices row i has. Optional: rows written
   * before facets existed have none.
   */
  facetNames?: string[];
  facets?: number[][];
  /** Set when attribute facets past MAX_ATTRIBUTE_FACETS were left out. */
  facetsTruncated?: boolean;
}

/** `data/<experiment>/<run>/index.json`: trace id → chunk, for the trace view. */
export interface TraceIndex {
  v: 1;
  ids: string[];
  /** Chunk k holds rows chunkStarts[k] … chunkStarts[k+1]−1 in `traces-<k>.json`. */
  chunkStarts: number[];
}

/** Hashes a value for `inputHash` / `outputHash` (injected: the browser never builds rows). */
type ValueHasher = (value: unknown) => string;

/** A run's annotations as the rows need them: one value per trace and name (see `reducedValues`). */
export interface RowAnnotations {
  /** Annotation names, each with its kind and (for metrics) direction, in column order. */
  columns: { name: string; kind: 'number' | 'label'; direction: Direction | null }[];
  get(traceId: string): ReadonlyMap<string, number | string> | undefined;
  /** Traces whose annotators disagree on some name. */
  disagreements: ReadonlySet<string>;
}

export interface ColumnHints {
  /** Kinds decided by the aggregator (metrics.json), so the table agrees with the metrics. */
  kinds?: Record<string, ColumnKind>;
  directions?: Record<string, Direction>;
}

/** The chunk that holds row `row`, by binary search over the chunk starts. */
export function chunkOfRow(chunkStarts: readonly number[], row: number): number {
  let lo = 0;
  let hi = chunkStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunkStarts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Builds a run's rows one trace at a time. A score seen first at row k gets nulls for rows
 * before k. If a trace carries one name twice the first value wins, and a score with an
 * `error` is null — the same rules as the aggregator, so table and metrics agree.
 */
export class RunRowsBuilder {
  readonly #rows: RunRows;
  readonly #columns = new Map<string, ScoreColumn>();
  readonly #annotations: { column: ScoreColumn; name: string }[];
  readonly #annotationSource: RowAnnotations | null;
  readonly #hints: ColumnHints;
  readonly #hash: ValueHasher;
  readonly #facetIndex = new Map<string, number>();
  #attributeFacets = 0;

  constructor(experiment: string, run: string, hash: ValueHasher, hints: ColumnHints = {}, annotations: RowAnnotations | null = null) {
    this.#hints = hints;
    this.#hash = hash;
    this.#annotationSource = annotations;
    this.#annotations = (annotations?.columns ?? []).map(({ name, kind, direction }) => ({
      name,
      column: { key: `annotation:${name}`, name, source: 'annotation', kind, direction: kind === 'label' ? null : direction, values: [] },
    }));
    this.#rows = {
      v: 1,
      experiment,
      run,
      count: 0,
      id: [],
      example: [],
      input: [],
      output: [],
      error: [],
      status: [],
      latency: [],
      tokens: [],
      cost: [],
      spans: [],
      tags: [],
      inputHash: [],
      outputHash: [],
      scores: [],
      disagreements: [],
      facetNames: [],
      facets: [],
    };
  }

  #facets(trace: Trace): number[] {
    const indices: number[] = [];
    for (const facet of spanFacets(trace)) {
      let index = this.#facetIndex.get(facet);
      if (index === undefined) {
        if (facet.startsWith('attr:')) {
          if (this.#attributeFacets >= MAX_ATTRIBUTE_FACETS) {
            this.#rows.facetsTruncated = true;
            continue;
          }
          this.#attributeFacets++;
        }
        index = this.#rows.facetNames!.length;
        this.#rows.facetNames!.push(facet);
        this.#facetIndex.set(facet, index);
      }
      indices.push(index);
    }
    return indices;
  }

  add(trace: Trace): void {
    const rows = this.#rows;
    const row = rows.count++;
    rows.id.push(trace.id);
    rows.example.push(trace.exampleId);
    rows.input.push(previewText(trace.input));
    rows.output.push(previewText(trace.output));
    rows.error.push(trace.error ? truncate(trace.error.replace(/\s+/g, ' '), PREVIEW_CHARS) : '');
    rows.status.push(trace.status === 'error' ? 1 : 0);
    rows.latency.push(Number.isFinite(trace.durationMs) ? trace.durationMs : 0);
    let tokens: number | null = null;
    let cost: number | null = null;
    for (const span of trace.spans) {
      if (span.usage) tokens = (tokens ?? 0) + finite(span.usage.total ?? span.usage.input + span.usage.output);
      if (span.cost) cost = (cost ?? 0) + finite(span.cost.total);
    }
    rows.tokens.push(tokens);
    rows.cost.push(cost);
    rows.spans.push(trace.spans.length);
    rows.facets!.push(this.#facets(trace));
    rows.tags.push(trace.tags.join(' '));
    rows.inputHash.push(this.#hash(trace.input));
    rows.outputHash.push(this.#hash(trace.output ?? null));

    const seen = new Set<string>();
    for (const score of trace.scores) {
      if (seen.has(score.name)) continue;
      seen.add(score.name);
      const column = this.#column(score.name, score.value, row);
      column.values[row] = cellValue(column.kind, score.error === undefined ? score.value : null);
    }
    for (const column of this.#columns.values()) {
      if (column.values.length <= row) column.values.push(null);
    }
    if (this.#annotationSource) {
      const values = this.#annotationSource.get(trace.id);
      for (const { name, column } of this.#annotations) column.values.push(cellValue(column.kind, values?.get(name)));
      if (this.#annotationSource.disagreements.has(trace.id)) rows.disagreements.push(row);
    }
  }

  #column(name: string, value: unknown, row: number): ScoreColumn {
    let column = this.#columns.get(name);
    if (!column) {
      const kind = this.#hints.kinds?.[name] ?? inferKind(value);
      column = {
        key: `score:${name}`,
        name,
        source: 'score',
        kind,
        direction: kind === 'label' ? null : (this.#hints.directions?.[name] ?? 'higher'),
        values: new Array<number | string | null>(row).fill(null),
      };
      this.#columns.set(name, column);
    }
    return column;
  }

  finish(): RunRows {
    this.#rows.scores = [
      ...[...this.#columns.values()].sort((a, b) => a.name.localeCompare(b.name)),
      ...this.#annotations.map((a) => a.column),
    ];
    return this.#rows;
  }
}

function inferKind(value: unknown): ColumnKind {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'label';
  return 'number';
}

function cellValue(kind: ColumnKind, value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (kind === 'label') return typeof value === 'string' ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return null;
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** What a run's index.json says when its trace detail was left out of the site (site/build/site-budget). */
export interface DetailOmitted {
  reason: string;
  /** The run's folder on the data branch, where its traces are; null when the repository is unknown. */
  url: string | null;
}
