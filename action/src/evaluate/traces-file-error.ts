import { LabbookError, type FileFormatError } from '../../../src/errors/index.ts';
import { countNoun } from '../../../src/text/count-noun.ts';

/** A traces file to ingest with lines that are not valid traces; nothing was recorded from it. */
export class TracesFileError extends LabbookError {
  override name = 'TracesFileError';
  constructor(
    readonly file: string,
    readonly errors: FileFormatError[],
    readonly count: number,
  ) {
    const more = count > errors.length ? `\n  … and ${count - errors.length} more` : '';
    super(
      `${file}: ${countNoun(count, 'line')} ${count === 1 ? 'is not a valid trace' : 'are not valid traces'}; nothing was recorded:\n  ${errors.map((e) => e.message).join('\n  ')}${more}`,
    );
  }
}
