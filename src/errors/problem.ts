import { FileFormatError, formatLocation, type FileLocation } from './file-format-error.ts';
import { errorMessage } from './error-message.ts';

/** One thing `labbook validate` found: an error fails validation, a warning does not. */
export interface Problem extends FileLocation {
  severity: 'error' | 'warning';
  message: string;
}

export function problemFrom(error: unknown, fallbackFile: string): Problem {
  if (error instanceof FileFormatError) return { severity: 'error', ...error.location, message: error.detail };
  return { severity: 'error', file: fallbackFile, message: errorMessage(error) };
}

export function formatProblem(problem: Problem): string {
  return `${problem.severity}: ${formatLocation(problem)}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}
