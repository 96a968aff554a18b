import { describe, expect, it } from 'vitest';
import { reportFormatFor } from './report-output.ts';

describe('the report format', () => {
  it('follows the output file extension, and --format when it agrees', () => {
    expect(reportFormatFor('out/report.pdf', undefined)).toBe('pdf');
    expect(reportFormatFor('report.html', undefined)).toBe('html');
    expect(reportFormatFor('REPORT.HTM', undefined)).toBe('html');
    expect(reportFormatFor('report.html', 'html')).toBe('html');
    expect(reportFormatFor('report.pdf', 'PDF')).toBe('pdf');
  });

  it('refuses a format that disagrees with the extension, an unknown format and an unknown extension', () => {
    expect(() => reportFormatFor('report.pdf', 'html')).toThrow('--format html does not match -o report.pdf (a PDF file name)');
    expect(() => reportFormatFor('report.html', 'pdf')).toThrow('--format pdf does not match -o report.html (an HTML file name)');
    expect(() => reportFormatFor('report.html', 'docx')).toThrow('--format must be pdf or html, not "docx"');
    expect(() => reportFormatFor('report.txt', 'html')).toThrow(
      "-o report.txt: the report's file name must end in .pdf, .html or .htm, not .txt",
    );
    expect(() => reportFormatFor('report', undefined)).toThrow(/must end in \.pdf, \.html or \.htm$/);
  });
});
