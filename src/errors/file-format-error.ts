import { LabbookError } from './labbook-error.ts';

export interface FileLocation {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted path of the offending field, e.g. `spans.3.type`. */
  field?: string;
}

/** A file that cannot be read as what it should be. The message starts `file:line:column:`. */
export class FileFormatError extends LabbookError {
  override name = 'FileFormatError';
  readonly location: FileLocation;
  readonly detail: string;
  constructor(location: FileLocation, detail: string, options?: { cause?: unknown }) {
    super(`${formatLocation(location)}: ${location.field ? `${location.field}: ` : ''}${detail}`, options);
    this.location = location;
    this.detail = detail;
  }
}

export function formatLocation({ file, line, column }: FileLocation): string {
  return [file, line, line !== undefined ? column : undefined].filter((part) => part !== undefined).join(':');
}
