import type { Annotation } from '../../schemas/annotation.ts';
import type { Span } from '../../schemas/span.ts';
import type { Score } from '../../schemas/score.ts';
import type { Trace } from '../../schemas/trace.ts';
import { buildSpanTree } from '../store/span-tree-layout.ts';
import { formatNumber, formatTable } from '../text/format-table.ts';
import { formatMs } from '../text/format-ms.ts';
import { countNoun } from '../text/count-noun.ts';

/** Table cells longer than this are cut on one line; `--json` prints them whole. */
const VALUE_WIDTH = 160;
/** Input, output and expected value are printed whole up to this many characters. */
const BLOCK_CHARACTERS = 4000;
/** A span name (with its tree prefix) wider than this is cut, so the columns stay in view. */
const NAME_WIDTH = 64;
/** Tree levels drawn with guides; deeper spans say their depth, so names keep their room. */
const DRAWN_LEVELS = 8;

interface TraceViewOptions {
  /** Spans printed at most; the rest are counted in a last line. */
  maxSpans: number;
  /** What people said of this trace (the experiment's annotations of it), shown after its scores. */
  annotations?: readonly Annotation[];
}

/**
 * One trace for a terminal: its example, status and time, its input, output and expected value
 * whole, its scores and annotations, then its span tree in the site's order (parents before children, siblings by start),
 * one line per span with its type, duration, model, tokens, cost and error.
 */
export function formatTraceView(trace: Trace, options: TraceViewOptions): string {
  const facts: Array<[string, string]> = [
    ['trace', printable(trace.id)],
    ['example', `${printable(trace.exampleId)}${trace.trial !== undefined ? ` (trial ${trace.trial})` : ''}`],
    ['status', trace.status === 'error' ? `error${trace.error ? `: ${printable(trace.error)}` : ''}` : 'ok'],
    ['time', `${formatTime(trace.start)} · ${formatMs(trace.durationMs)}`],
  ];
  if (trace.tags.length > 0) facts.push(['tags', printable(trace.tags.join(', '))]);
  const sections = [
    formatTable(facts, [
      { header: 'field', value: (r) => r[0] },
      { header: 'value', value: (r) => r[1], maxWidth: VALUE_WIDTH },
    ]),
    block('input', trace.input),
  ];
  // What a reviewer judges, whole and with its line breaks, not cut to a table cell.
  if (trace.output !== undefined) sections.push(block('output', trace.output));
  if (trace.expected !== undefined) sections.push(block('expected', trace.expected));
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
  const shown = Math.min(tree.count, maxSpans);
  for (let pos = 0; pos < shown; pos++) {
    const index = tree.order[pos]!;
    const depth = tree.depth[index]!;
    const last = tree.siblingIndex[index] === tree.siblingCount[index];
    continues.length = depth;
    rows.push({ span: spans[index]!, label: `${treePrefix(continues, depth, last)}${printable(spans[index]!.name) || '(unnamed)'}` });
    continues.push(!last);
  }
  const table = formatTable(rows, [
    { header: `spans (${spans.length})`, value: (r) => r.label, maxWidth: NAME_WIDTH },
    { header: 'type', value: (r) => r.span.type.toLowerCase() },
    { header: 'duration', value: (r) => formatMs(r.span.end - r.span.start), align: 'right' },
    { header: 'details', value: (r) => spanDetails(r.span), maxWidth: VALUE_WIDTH },
  ]);
  if (shown === tree.count) return table;
  // A failure among the spans not printed must not go unseen.
  const failed: string[] = [];
  for (let pos = shown; pos < tree.count; pos++) {
    const span = spans[tree.order[pos]!]!;
    if (span.status === 'error') failed.push(printable(span.name) || '(unnamed)');
  }
  const errors =
    failed.length === 0 ? '' : `, ${failed.length} with an error (${failed.slice(0, 3).join(', ')}${failed.length > 3 ? ', …' : ''})`;
  return `${table}\n… and ${countNoun(tree.count - shown, 'more span')}${errors}: --json prints them all`;
}

/**
 * The guides before a span's name: `│  ` or three spaces per ancestor level, then `├─ ` or
 * `└─ `. Past DRAWN_LEVELS the levels in between are one `┄17┄ ` mark of the depth, so a deep
 * chain keeps its names in view rather than indenting them out of the column.
 */
function treePrefix(continues: readonly boolean[], depth: number, last: boolean): string {
  if (depth === 0) return '';
  const guide = (more: boolean) => (more ? '│  ' : '   ');
  const ancestors = continues.slice(1);
  const drawn =
    ancestors.length <= DRAWN_LEVELS
      ? ancestors.map(guide).join('')
      : `${ancestors
          .slice(0, DRAWN_LEVELS - 1)
          .map(guide)
          .join('')}┄${depth}┄ `;
  return `${drawn}${last ? '└─ ' : '├─ '}`;
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

function formatTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : `${date.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/**
 * A value under its heading, indented: text as itself with its line breaks, anything else as
 * indented JSON; cut after BLOCK_CHARACTERS, saying how much more `--json` has.
 */
function block(heading: string, value: unknown): string {
  const text = value === undefined ? '—' : typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  const cut =
    text.length > BLOCK_CHARACTERS
      ? `${text.slice(0, BLOCK_CHARACTERS)}\n… ${text.length - BLOCK_CHARACTERS} more characters: --json prints it whole`
      : text;
  const lines = printable(cut.replace(/\r\n?/g, '\n').replace(/\t/g, '  ')).split('\n');
  return [heading, ...lines.map((line) => `  ${line}`.trimEnd())].join('\n');
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a trace (a model's output, an error, a span name) with its control characters and
 * bidirectional controls written as escapes: printed raw, an escape sequence in a model's output
 * would drive the reader's terminal, and a right-to-left override would show a name reversed.
 * Line breaks and tabs stay, for a table to fold into spaces and a block to keep.
 */
function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
