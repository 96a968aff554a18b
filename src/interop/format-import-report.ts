import { formatLocation } from '../errors/index.ts';
import type { ImportReport } from './import-report.ts';

/**
 * An import report in words, for a terminal: what was mapped (traces, spans by type, where the
 * types came from, scores), what had to be repaired, what could not be mapped, then each warning
 * with its file and line.
 */
export function formatImportReport(report: ImportReport): { summary: string[]; warnings: string[] } {
  const m = report.mapped;
  const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;
  const breakdown = (counts: Partial<Record<string, number>>) =>
    Object.entries(counts)
      .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([key, count]) => `${key} ${count}`)
      .join(' · ');

  const summary = [
    `mapped: ${plural(m.traces, 'trace')}, ${plural(m.spans, 'span')}, ${plural(m.scores, 'score')}${m.expectations > 0 ? `, ${plural(m.expectations, 'expectation')}` : ''} from ${plural(m.files, 'file')}`,
  ];
  if (m.spans > 0) {
    summary.push(`  span types: ${breakdown(m.spanTypes)}`);
    summary.push(`  types read from: ${breakdown(m.kindSources)}`);
  }
  const repaired = [
    m.orphanSpans > 0 ? `${plural(m.orphanSpans, 'span')} whose parent was missing made roots` : '',
    m.cyclesBroken > 0 ? `${plural(m.cyclesBroken, 'cycle')} of parent ids broken` : '',
    m.duplicateSpanIds > 0 ? `${plural(m.duplicateSpanIds, 'repeated span id')} renamed` : '',
    m.endsBeforeStart > 0 ? `${plural(m.endsBeforeStart, 'span')} that ended before starting made instantaneous` : '',
  ].filter(Boolean);
  if (repaired.length > 0) summary.push(`repaired: ${repaired.join(' · ')}`);
  const unmapped = [
    m.unknownKinds > 0 ? `${plural(m.unknownKinds, 'span')} of a kind no convention defines (typed UNKNOWN)` : '',
    m.tracesWithoutInput > 0 ? `${plural(m.tracesWithoutInput, 'trace')} without an input (example id from the trace id)` : '',
    m.skipped > 0 ? `${plural(m.skipped, 'record')} skipped` : '',
  ].filter(Boolean);
  if (unmapped.length > 0) summary.push(`not mapped: ${unmapped.join(' · ')}`);
  const warnings = report.warnings.map(
    (warning) =>
      `warning: ${formatLocation({ file: warning.file, ...(warning.line !== undefined ? { line: warning.line } : {}) })}: ${warning.message}`,
  );
  return { summary, warnings };
}
