import type { Annotation } from '../../schemas/annotation.ts';
import type { Span } from '../../schemas/span.ts';
import type { Score } from '../../schemas/score.ts';
import type { Trace } from '../../schemas/trace.ts';
import { buildSpanTree } from '../store/span-tree-layout.ts';
import { formatNumber, formatTable } from '../text/format-table.ts';

/** Values longer than this are cut on one line; `--json` prints them whole. */
const VALUE_WIDTH = 160;
/** A span name (with its tree prefix) wider than this is cut, so the columns stay in view. */
const NAME_WIDTH = 56;

export interface TraceViewOptions {
  /** Spans printed at most; the rest are counted in a last line. */
  maxSpans: number;
  /** What people said of this trace (the experiment's annotations of it), shown after its scores. */
  annotations?: readonly Annotation[];
}

/**
 * One trace for a terminal: its example, status, time, input, output, expected value, scores
 * and annotations, then its span tree in the site's order (parents before children, siblings by start),
 * one line per span with its type, duration, model, tokens, cost and error.
 */
export function formatTraceView(trace: Trace, options: TraceViewOptions): string {
  const facts: Array<[string, string]> = [
    ['trace', printable(trace.id)],
    ['example', `${printable(trace.exampleId)}${trace.trial !== undefined ? ` (trial ${trace.trial})` : ''}`],
    ['status', trace.status === 'error' ? `error${trace.error ? `: ${printable(trace.error)}` : ''}` : 'ok'],
    ['time', `${formatTime(trace.start)} · ${formatDuration(trace.durationMs)}`],
    ['input', oneLine(trace.input)],
  ];
  if (trace.output !== undefined) facts.push(['output', oneLine(trace.output)]);
  if (trace.expected !== undefined) facts.push(['expected', oneLine(trace.expected)]);
  if (trace.tags.length > 0) facts.push(['tags', printable(trace.tags.join(', '))]);
  const sections = [
    formatTable(facts, [
      { header: 'field', value: (r) => r[0] },
      { header: 'value', value: (r) => r[1], maxWidth: VALUE_WIDTH },
    ]),
  ];
  if (trace.scores.length > 0) {
    sections.push(
      formatTable(trace.scores, [
        { header: 'score', value: (s) => printable(s.name) },
        { header: 'value', value: scoreValue, align: 'right' },
        { header: 'source', value: (s) => s.source },
        { header: 'why', value: (s) => printable(s.error ?? s.rationale ?? ''), maxWidth: VALUE_WIDTH },
      ]),
    );
  }
  if (options.annotations && options.annotations.length > 0) {
    sections.push(
      formatTable(options.annotations, [
        { header: 'annotation', value: (a) => printable(a.name) },
        { header: 'value', value: (a) => (typeof a.value === 'number' ? formatNumber(a.value) : printable(a.value)), align: 'right' },
        { header: 'by', value: (a) => `${printable(a.author)}, ${a.at.slice(0, 10)}` },
        { header: 'note', value: (a) => printable(a.note ?? ''), maxWidth: VALUE_WIDTH },
      ]),
    );
  }
  sections.push(formatSpans(trace.spans, options.maxSpans));
  return sections.join('\n\n');
}

function formatSpans(spans: readonly Span[], maxSpans: number): string {
  if (spans.length === 0) return 'no spans';
  const tree = buildSpanTree(spans);
  const rows: Array<{ span: Span; label: string }> = [];
  // A span's prefix draws, for each ancestor, whether more siblings follow it (│) or not.
  const continues: boolean[] = [];
  for (let pos = 0; pos < Math.min(tree.count, maxSpans); pos++) {
    const index = tree.order[pos]!;
    const depth = tree.depth[index]!;
    const last = tree.siblingIndex[index] === tree.siblingCount[index];
    continues.length = depth;
    const prefix =
      depth === 0
        ? ''
        : `${continues
            .slice(1)
            .map((more) => (more ? '│  ' : '   '))
            .join('')}${last ? '└─ ' : '├─ '}`;
    continues.push(!last);
    rows.push({ span: spans[index]!, label: `${prefix}${printable(spans[index]!.name) || '(unnamed)'}` });
  }
  const table = formatTable(rows, [
    { header: `spans (${spans.length})`, value: (r) => r.label, maxWidth: NAME_WIDTH },
    { header: 'type', value: (r) => r.span.type.toLowerCase() },
    { header: 'duration', value: (r) => formatDuration(r.span.end - r.span.start), align: 'right' },
    { header: 'details', value: (r) => spanDetails(r.span), maxWidth: VALUE_WIDTH },
  ]);
  const hidden = tree.count - rows.length;
  return hidden > 0 ? `${table}\n… and ${hidden} more span(s): --json prints them all` : table;
}

function spanDetails(span: Span): string {
  const parts: string[] = [];
  if (span.status === 'error') parts.push(`✗ ${printable(span.error ?? 'error')}`);
  if (span.model) parts.push(printable(span.model));
  if (span.usage) parts.push(`${formatNumber(span.usage.input)} in / ${formatNumber(span.usage.output)} out tokens`);
  if (span.cost) parts.push(`$${formatNumber(span.cost.total, 6)}`);
  return parts.join(' · ');
}

function scoreValue(score: Score): string {
  if (score.value === null) return 'error';
  const value = typeof score.value === 'number' ? formatNumber(score.value) : String(score.value);
  return printable(score.label !== undefined ? `${value} (${score.label})` : value);
}

/** Milliseconds as a person reads them: 0.86 ms, 412 ms, 12.4 s. */
function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) >= 10_000) return `${formatNumber(Math.round(ms / 100) / 10)} s`;
  return `${formatNumber(Math.abs(ms) < 10 ? Math.round(ms * 100) / 100 : Math.round(ms))} ms`;
}

function formatTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : `${date.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A value on one line: text as itself, anything else as its JSON. */
function oneLine(value: unknown): string {
  if (value === undefined) return '—';
  return printable(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Text from a trace (a model's output, an error, a span name) with its control characters
 * written as escapes: printed raw, an escape sequence in a model's output would drive the
 * reader's terminal. Line breaks and tabs stay for the table to fold into spaces.
 */
function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
