import type { RunRows, ScoreColumn } from './run-rows.ts';

export type FilterOp = '>=' | '<=' | '=' | '!=' | 'missing';

export interface ScoreFilter {
  /** A ScoreColumn key. */
  key: string;
  op: FilterOp;
  /** A number for numeric columns (booleans: 1 pass, 0 fail), a label for label columns. */
  value: number | string | null;
}

export interface TableQuery {
  /** Case-insensitive words, all of which must appear in the id, example, previews, error or tags. */
  text: string;
  status: 'all' | 'ok' | 'error';
  filters: ScoreFilter[];
  /** Only traces whose annotators disagree on some name. */
  disagreements: boolean;
  /** Only traces where an automated judge and the people disagree (`rows.judgeDisagreements`). */
  judgeDisagreements?: boolean;
  /** Span facets (`type:TOOL`, `model:gpt-4o`, `attr:k=v`) every trace shown must have. */
  spans: string[];
  sort: { key: string; dir: 'asc' | 'desc' } | null;
}

export const EMPTY_QUERY: TableQuery = {
  text: '',
  status: 'all',
  filters: [],
  disagreements: false,
  judgeDisagreements: false,
  spans: [],
  sort: null,
};

const haystacks = new WeakMap<RunRows, string[]>();

/** Each row's searchable text, kept per rows object and extended as pages append rows to it. */
function haystack(rows: RunRows): string[] {
  let cached = haystacks.get(rows);
  if (!cached) haystacks.set(rows, (cached = []));
  for (let i = cached.length; i < rows.count; i++) {
    cached.push(`${rows.id[i]}\n${rows.example[i]}\n${rows.input[i]}\n${rows.output[i]}\n${rows.error[i]}\n${rows.tags[i]}`.toLowerCase());
  }
  return cached;
}

/** Whether one cell passes a filter. A missing value passes only the `missing` filter. */
function passesFilter(value: number | string | null | undefined, filter: ScoreFilter): boolean {
  if (filter.op === 'missing') return value === null || value === undefined;
  if (value === null || value === undefined) return false;
  switch (filter.op) {
    case '=':
      return value === filter.value;
    case '!=':
      return value !== filter.value;
    case '>=':
      return typeof value === 'number' && typeof filter.value === 'number' && value >= filter.value;
    case '<=':
      return typeof value === 'number' && typeof filter.value === 'number' && value <= filter.value;
  }
}

/**
 * The row indices that pass the query, in the query's order (file order when unsorted). Sorting
 * is stable and puts missing values last in both directions, as spreadsheets do.
 */
export function queryRows(rows: RunRows, query: TableQuery): Uint32Array {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  const texts = words.length > 0 ? haystack(rows) : null;
  const columns = new Map<string, ScoreColumn>(rows.scores.map((c) => [c.key, c]));
  const filters = query.filters.filter((f) => columns.has(f.key));
  const disputed = query.disagreements ? new Set(rows.disagreements ?? []) : null;
  const judgeDisputed = query.judgeDisagreements ? new Set(rows.judgeDisagreements ?? []) : null;
  // A facet the run never saw matches no trace (index -1 is in no row's list).
  const facets = (query.spans ?? []).map((facet) => rows.facetNames?.indexOf(facet) ?? -1);
  const out: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    if (disputed && !disputed.has(i)) continue;
    if (judgeDisputed && !judgeDisputed.has(i)) continue;
    if (facets.length > 0 && !facets.every((f) => rows.facets?.[i]?.includes(f))) continue;
    if (query.status === 'ok' && rows.status[i] === 1) continue;
    if (query.status === 'error' && rows.status[i] !== 1) continue;
    if (texts && !words.every((w) => texts[i]!.includes(w))) continue;
    if (!filters.every((f) => passesFilter(columns.get(f.key)!.values[i], f))) continue;
    out.push(i);
  }
  if (query.sort) sortIndices(out, sortValues(rows, query.sort.key, columns), query.sort.dir);
  return Uint32Array.from(out);
}

type SortValue = number | string | null | undefined;

function sortValues(rows: RunRows, key: string, columns: Map<string, ScoreColumn>): (i: number) => SortValue {
  switch (key) {
    case 'index':
      return (i) => i;
    case 'id':
      return (i) => rows.id[i];
    case 'example':
      return (i) => rows.example[i];
    case 'input':
      return (i) => rows.input[i];
    case 'output':
      return (i) => rows.output[i];
    case 'status':
      return (i) => rows.status[i];
    case 'latency':
      return (i) => rows.latency[i];
    case 'tokens':
      return (i) => rows.tokens[i];
    case 'cost':
      return (i) => rows.cost[i];
    case 'spans':
      return (i) => rows.spans[i];
    default: {
      const column = columns.get(key);
      return column ? (i) => column.values[i] : (i) => i;
    }
  }
}

/** Sorts indices in place by a value getter; nulls last; ties keep their order. */
function sortIndices(indices: number[], value: (i: number) => SortValue, dir: 'asc' | 'desc'): void {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = indices.map((i) => ({ i, v: value(i) }));
  keyed.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    const aMissing = av === null || av === undefined || av === '';
    const bMissing = bv === null || bv === undefined || bv === '';
    if (aMissing || bMissing) return aMissing === bMissing ? a.i - b.i : aMissing ? 1 : -1;
    let c: number;
    if (typeof av === 'number' && typeof bv === 'number') c = av - bv;
    else c = String(av).localeCompare(String(bv), 'en', { numeric: true });
    return c === 0 ? a.i - b.i : sign * c;
  });
  for (let k = 0; k < keyed.length; k++) indices[k] = keyed[k]!.i;
}

/** The query as URL parameters (`q`, `status`, `f` per filter, `disagree`, `judge-disagree`, `sort`), defaults omitted. */
export function queryToParams(query: TableQuery, params = new URLSearchParams()): URLSearchParams {
  for (const key of ['q', 'status', 'f', 'disagree', 'judge-disagree', 'span', 'sort']) params.delete(key);
  if (query.text) params.set('q', query.text);
  if (query.status !== 'all') params.set('status', query.status);
  for (const f of query.filters) params.append('f', JSON.stringify([f.key, f.op, f.value]));
  if (query.disagreements) params.set('disagree', '1');
  if (query.judgeDisagreements) params.set('judge-disagree', '1');
  for (const facet of query.spans ?? []) params.append('span', facet);
  if (query.sort) params.set('sort', `${query.sort.dir === 'desc' ? '-' : ''}${query.sort.key}`);
  return params;
}

const OPS: readonly FilterOp[] = ['>=', '<=', '=', '!=', 'missing'];

/** Reads a query back from URL parameters, dropping anything malformed. */
export function queryFromParams(params: URLSearchParams): TableQuery {
  const status = params.get('status');
  const filters: ScoreFilter[] = [];
  for (const raw of params.getAll('f')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed) || parsed.length !== 3) continue;
      const [key, op, value] = parsed as unknown[];
      if (typeof key !== 'string' || !OPS.includes(op as FilterOp)) continue;
      if (value !== null && typeof value !== 'number' && typeof value !== 'string') continue;
      filters.push({ key, op: op as FilterOp, value: value as ScoreFilter['value'] });
    } catch {
      // A hand-edited URL with a broken filter shows the table unfiltered rather than failing.
    }
  }
  const sortRaw = params.get('sort');
  const sort = sortRaw ? { key: sortRaw.replace(/^-/, ''), dir: sortRaw.startsWith('-') ? ('desc' as const) : ('asc' as const) } : null;
  return {
    text: params.get('q') ?? '',
    status: status === 'ok' || status === 'error' ? status : 'all',
    filters,
    disagreements: params.get('disagree') === '1',
    judgeDisagreements: params.get('judge-disagree') === '1',
    spans: params.getAll('span').filter((facet) => /^(type|model|tool|attr):./.test(facet)),
    sort: sort && sort.key ? sort : null,
  };
}
