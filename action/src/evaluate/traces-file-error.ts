import { LabbookError, type FileFormatError } from '../../../src/errors/index.ts';

/** A traces file to ingest with lines that are not valid traces; nothing was recorded from it. */
export class TracesFileError extends LabbookError {
  override name = 'TracesFileError';
  constructor(
    readonly file: string,
    readonly errors: FileFormatError[],
    readonly count: number,
  ) {
    const more = count > errors.length ? `\n  … and ${count - errors.length} more` : '';
    super(`${file}: ${count} line(s) are not valid traces; nothing was recorded:\n  ${errors.map((e) => e.message).join('\n  ')}${more}`);
  }
}
