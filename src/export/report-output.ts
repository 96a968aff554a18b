import { extname } from 'node:path';
import { UsageError } from '../errors/index.ts';

/** What `labbook report` writes: a PDF printed by Chromium, or the same document as one HTML file. */
const REPORT_FORMATS = ['pdf', 'html'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

const BY_EXTENSION: Record<string, ReportFormat> = { '.pdf': 'pdf', '.html': 'html', '.htm': 'html' };

/**
 * The report's format from `--format` and the output file's extension. Either may decide, and
 * they must agree: `-o report.pdf --format html` would hand someone an HTML file named .pdf,
 * and an unknown extension (`report.txt`, `report`) opens in nothing useful, so both are refused
 * before anything is read.
 */
export function reportFormatFor(output: string, format: string | undefined): ReportFormat {
  if (format !== undefined && !(REPORT_FORMATS as readonly string[]).includes(format.toLowerCase())) {
    throw new UsageError(`--format must be pdf or html, not "${format}"`);
  }
  const extension = extname(output).toLowerCase();
  const fromExtension = BY_EXTENSION[extension];
  if (!fromExtension) {
    throw new UsageError(`-o ${output}: the report's file name must end in .pdf, .html or .htm${extension ? `, not ${extension}` : ''}`);
  }
  const chosen = format?.toLowerCase() as ReportFormat | undefined;
  if (chosen && chosen !== fromExtension)
    throw new UsageError(`--format ${chosen} does not match -o ${output} (${fromExtension === 'pdf' ? 'a PDF' : 'an HTML'} file name)`);
  return fromExtension;
}
